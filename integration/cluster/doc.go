// Package cluster tests imagepipe on the production topology that
// scripts/cluster.sh runs without Docker: PostgreSQL, the Temporal server
// v1.29.1 as four processes (frontend, history, matching, system worker)
// and imagepipe workers as separate processes. The examples complete on
// two workers; a worker SIGKILL and a history restart mid-run lose no
// pipeline and change nothing twice; the frontend serves TLS and mTLS to
// the worker and the starter through the SDK's TEMPORAL_TLS_* variables.
//
// The tests need the server (make temporal-server builds it into bin/) and
// PostgreSQL's initdb and pg_ctl. Without them they skip, unless
// IMAGEPIPE_REQUIRE_CLUSTER is set (CI sets it), when they fail.
package cluster
