package ocisim

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// ActivationDelayVariable is the emulator binary's setting of how long a
// new compartment stays CREATING; unset, it is DefaultEmulatedActivation.
const ActivationDelayVariable = "IMAGEPIPE_EMULATOR_OCI_ACTIVATION_DELAY"

// DefaultEmulatedActivation is the emulator binary's activation delay: long
// enough for `make run` to show a compartment being awaited.
const DefaultEmulatedActivation = 5 * time.Second

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
// with, for the tenancy of the Options served.
func Emulated() simkit.Emulator {
	return simkit.Emulator{Name: "oci", Addr: "127.0.0.1:9101", Serve: func(s simkit.EmulatorSetup) (simkit.Served, error) {
		opts, err := simkit.OptionsOr(s, Demo)
		if err != nil {
			return simkit.Served{}, err
		}
		if s.Getenv != nil {
			opts.ActivationDelay = DefaultEmulatedActivation
			if v := s.Getenv(ActivationDelayVariable); v != "" {
				if opts.ActivationDelay, err = time.ParseDuration(v); err != nil {
					return simkit.Served{}, fmt.Errorf("%s=%q: want a duration such as 5s: %w", ActivationDelayVariable, v, err)
				}
			}
		}
		creds, err := GenerateCredentials()
		if err != nil {
			return simkit.Served{}, err
		}
		sim := New(opts)
		creds.TenancyID = sim.TenancyID()
		sim.RegisterCredentials(creds)
		configPath, err := creds.WriteFiles(s.Dir, s.Endpoint)
		if err != nil {
			return simkit.Served{}, fmt.Errorf("write credentials: %w", err)
		}
		secrets, err := keyMaterial(creds)
		if err != nil {
			return simkit.Served{}, err
		}
		return simkit.Served{Handler: sim, Faults: sim.Faults(), WorkerEnv: []string{"IMAGEPIPE_OCI_CONFIG_FILE=" + configPath},
			Secrets: secrets, Holdings: sim.Holdings}, nil
	}}
}

// keyMaterial is what of the private key would show in a leak: the PEM
// lines of key.pem, and the PEM's base64 as a payload would carry it.
func keyMaterial(c *Credentials) ([]string, error) {
	b, err := c.KeyPEM()
	if err != nil {
		return nil, err
	}
	key := string(b)
	out := []string{"PRIVATE KEY", base64.StdEncoding.EncodeToString([]byte(key))[:60]}
	for _, line := range strings.Split(key, "\n") {
		if len(line) >= 40 && line[0] != '-' {
			out = append(out, line)
		}
	}
	return out, nil
}
