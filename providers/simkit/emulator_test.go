package simkit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

type simOptions struct{ Job time.Duration }

func demo(t simkit.Timing) simOptions { return simOptions{Job: t.Job} }

// An emulator serves a test's Options when given, its demo data for the
// setup's Timing otherwise, and refuses Options of another sim's type
// naming both types.
func TestOptionsOr_TestsOptionsOrDemoDataAndTheWrongTypeRefused(t *testing.T) {
	if o, err := simkit.OptionsOr(simkit.EmulatorSetup{Timing: simkit.Timing{Job: time.Minute}}, demo); err != nil || o.Job != time.Minute {
		t.Errorf("without options: %+v, %v; want the demo's for the timing", o, err)
	}
	if o, err := simkit.OptionsOr(simkit.EmulatorSetup{Options: simOptions{Job: time.Hour}}, demo); err != nil || o.Job != time.Hour {
		t.Errorf("with options: %+v, %v; want them", o, err)
	}
	_, err := simkit.OptionsOr(simkit.EmulatorSetup{Options: struct{ Other int }{}}, demo)
	if err == nil || !strings.Contains(err.Error(), "struct { Other int }") || !strings.Contains(err.Error(), "simkit_test.simOptions") {
		t.Errorf("with another sim's options: %v, want an error naming both types", err)
	}
}
