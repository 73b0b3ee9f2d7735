// Package integration runs pipelines on a real Temporal dev server, with an
// in-process worker calling the vendor emulators over HTTP: what make run
// does, checked.
package integration
