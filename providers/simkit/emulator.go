package simkit

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Emulator is one vendor's emulator as the emulator binary serves it, with
// the demo data the example pipelines name. Each vendor's sim package
// declares its own, so the binary serves every vendor the registry lists
// without naming any.
type Emulator struct {
	// Name is the vendor's, as the registry names it.
	Name string
	// Addr is where it listens unless IMAGEPIPE_EMULATOR_<NAME>_ADDR says.
	Addr string
	// TLS says it serves HTTPS, with the TLS Serve returns.
	TLS bool
	// Serve builds the emulator and its demo data, writing under
	// setup.Dir what a worker needs to reach it (credentials, a CA).
	Serve func(setup EmulatorSetup) (Served, error)
}

// EmulatorSetup is what an Emulator is served with.
type EmulatorSetup struct {
	// Dir is the vendor's own directory for files a worker reads.
	Dir string
	// Endpoint is the URL workers reach the emulator at.
	Endpoint string
	// Host is the name workers reach it by (for a certificate), or empty.
	Host   string
	Timing Timing
	// Options, when set, are the vendor sim's own Options to serve instead
	// of its demo data (a test's seeds, clock and accounts); the worker's
	// credentials follow them. They must be that sim's Options type.
	Options any
	// Getenv reads the emulator's own settings (IMAGEPIPE_EMULATOR_<NAME>_*)
	// in the emulator binary, so the binary needs to know none of them;
	// nil (tests) leaves them at what Timing and Options say.
	Getenv func(string) string
}

// Served is an emulator ready to serve.
type Served struct {
	Handler http.Handler
	// Faults is where chaos is switched on.
	Faults *Faults
	// TLS is the server's, for an emulator with TLS.
	TLS *tls.Config
	// WorkerEnv are the KEY=VALUE lines that point a worker at it.
	WorkerEnv []string
	// Secrets are the values of WorkerEnv (or of the files it names) that
	// are credentials, as a leak would show them: a test proves none of
	// them reaches a log or a workflow history.
	Secrets []string
	// Holdings reports what clients made or changed at the emulator, for
	// tests that count it (nil: the emulator holds nothing to count).
	Holdings func() []Holding
}

// Timing is how long the emulators' vendor jobs take.
type Timing struct {
	Clock Clock // nil: the wall clock
	// Activation is how long a new resource stays in its creating state
	// (OCI's compartments).
	Activation time.Duration
	// Job is how long a vendor job runs (FPP imports, IMS copies, ZStack
	// updates).
	Job time.Duration
}

// OptionsOr is the Options the setup carries, or demo's for its Timing
// when it carries none; Options of another type than the sim's is an error
// naming both.
func OptionsOr[O any](s EmulatorSetup, demo func(Timing) O) (O, error) {
	if s.Options == nil {
		return demo(s.Timing), nil
	}
	o, ok := s.Options.(O)
	if !ok {
		var want O
		return want, fmt.Errorf("emulator options are a %T, want a %T", s.Options, want)
	}
	return o, nil
}

// AddrVariable is the variable that moves the emulator off Addr:
// IMAGEPIPE_EMULATOR_<NAME>_ADDR.
func (e Emulator) AddrVariable() string {
	return "IMAGEPIPE_EMULATOR_" + strings.ToUpper(e.Name) + "_ADDR"
}

// ServedSet is several emulators served together (a test environment's),
// each found by its Emulator's Name.
type ServedSet interface {
	Served(vendor string) (Served, bool)
}

// SimOf is the sim e serves among set's, as its own type S: what each
// vendor's test package hands tests (fpptest.Sim). A set without e, or
// serving another type, is a mistake in the test, and panics saying so.
func SimOf[S any](set ServedSet, e Emulator) S {
	served, ok := set.Served(e.Name)
	if !ok {
		panic(fmt.Sprintf("simkit: no %s emulator among those served", e.Name))
	}
	sim, ok := served.Handler.(S)
	if !ok {
		panic(fmt.Sprintf("simkit: the %s emulator serves a %T, not a %T", e.Name, served.Handler, sim))
	}
	return sim
}
