// Package bench measures imagepipe where it matters to its users: how many
// pipelines a worker and a dev server carry per second, what a pipeline
// costs in history events, and how fast pipeline files parse. Run it with
// make bench; the numbers go in issue notes, never into assertions.
package bench
