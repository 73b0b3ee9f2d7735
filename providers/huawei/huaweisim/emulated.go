package huaweisim

import (
	"maps"
	"slices"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// DemoSourceImage is the image the example pipelines copy.
const DemoSourceImage = "3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01"

// Demo is an IMS project holding the source image the examples copy.
func Demo(t simkit.Timing) Options {
	return Options{
		Clock: t.Clock, JobDuration: t.Job,
		Images: []Image{{ID: DemoSourceImage, Name: "gold-ubuntu-22.04"}},
	}
}

// Emulated is IMS as the emulator binary serves it: one project with the
// demo source image, signed for with the default AK/SK, or with the
// (first) AK/SK of the Options served.
func Emulated() simkit.Emulator {
	return simkit.Emulator{Name: "huawei", Addr: "127.0.0.1:9102", Serve: func(s simkit.EmulatorSetup) (simkit.Served, error) {
		opts, err := simkit.OptionsOr(s, Demo)
		if err != nil {
			return simkit.Served{}, err
		}
		ak, sk := DefaultAccessKey, DefaultSecretKey
		if keys := slices.Sorted(maps.Keys(opts.Credentials)); len(keys) > 0 {
			ak, sk = keys[0], opts.Credentials[keys[0]]
		}
		sim := New(opts)
		return simkit.Served{Handler: sim, Faults: sim.Faults(), WorkerEnv: []string{
			"IMAGEPIPE_HUAWEI_ENDPOINT=" + s.Endpoint,
			"IMAGEPIPE_HUAWEI_PROJECT_ID=" + sim.ProjectID(),
			"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + ak,
			"IMAGEPIPE_HUAWEI_SECRET_KEY=" + sk,
		}, Secrets: []string{sk}, Holdings: sim.Holdings}, nil
	}}
}
