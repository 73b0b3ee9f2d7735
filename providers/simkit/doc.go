// Package simkit is the kernel every vendor emulator in providers/*/…sim is
// built on, holding what no vendor owns: the Kernel a Server embeds (its
// clock, its fault queue, the record of calls and of the idempotency keys
// they carried), a Router from "METHOD /path/{param}" patterns to
// operations, injected faults (throttling, 5xx, dropped connections, slow
// answers) and a random "chaos" mode for demos and soak runs, Holds that
// keep an accepted call's answer back, strict JSON decoding, request
// identifiers, and one ManualClock tests move by hand (a Clock can also be
// Temporal's time-skipping clock, so vendor jobs finish in workflow time).
// An Emulator is how one vendor's emulator is served, by the emulator
// binary and by tests alike: with its demo data or a test's Options, the
// worker settings that reach it and which of them are secrets, and its
// Holdings (what clients made or changed) for tests that count them.
//
// It knows no vendor's wire format: each emulator renders a Fault, a miss
// and its own errors in its own vendor's shape, and keeps only its vendor's
// semantics.
package simkit
