// Package simkit holds what every vendor emulator in providers/*/…sim shares
// and no vendor owns: injected faults (throttling, 5xx, dropped connections,
// slow answers), a random "chaos" mode for demos and soak runs,
// per-operation call counters a test reads to prove there were no
// duplicates, request identifiers, and an injectable clock so time-skipping
// workflow tests can drive vendor jobs.
//
// It knows no vendor's wire format: each emulator renders a Fault in its own
// vendor's error shape.
package simkit
