package ocisim

import (
	"fmt"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Demo holds the demo tenancy and its gold image, which the example
// pipelines name.
func Demo(t simkit.Timing) Options {
	return Options{
		Clock: t.Clock, ActivationDelay: t.Activation, TenancyID: DemoTenancyID,
		Images: []Image{{ID: DemoImageID, CompartmentID: DemoTenancyID, DisplayName: "gold-image-demo"}},
	}
}

// Emulated is OCI as the emulator binary serves it: the demo tenancy, and
// the OCI config file (generated key, fingerprint, OCIDs) a worker signs
// with.
func Emulated() simkit.Emulator {
	return simkit.Emulator{Name: "oci", Addr: "127.0.0.1:9101", Serve: func(s simkit.EmulatorSetup) (simkit.Served, error) {
		creds, err := GenerateCredentials()
		if err != nil {
			return simkit.Served{}, err
		}
		creds.TenancyID = DemoTenancyID
		sim := New(Demo(s.Timing))
		sim.RegisterCredentials(creds)
		configPath, err := creds.WriteFiles(s.Dir, s.Endpoint)
		if err != nil {
			return simkit.Served{}, fmt.Errorf("write credentials: %w", err)
		}
		return simkit.Served{Handler: sim, Faults: sim.Faults(), WorkerEnv: []string{"IMAGEPIPE_OCI_CONFIG_FILE=" + configPath}}, nil
	}}
}
