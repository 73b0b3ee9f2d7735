// Package bench is make bench: imagepipe measured against the floor of
// bare Temporal doing the same work, in one run on one dev server with
// the project's settings, and the figures written to BENCHMARKS.md.
//
// TestBench (run only with IMAGEPIPE_BENCH set) measures throughput and
// latency at several concurrencies in rounds alternating imagepipe with
// ShapeFloor and RawFloor, the latency of sequential steps, job waits of
// 10 s to 24 h (in real time on the server, and in the SDK's time-skipping
// environment where real time cannot be spent), and the worker binary's
// memory with many pipelines in flight. Each part saves its figures to
// bench/results.json; report.go and chart.go turn them into BENCHMARKS.md
// and bench/throughput.svg. The figures go in those files, never into
// assertions: the machine they run on is shared and its speed varies.
package bench
