package zstacksim

import (
	"maps"
	"slices"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// The demo data the example pipelines name.
const (
	DemoImage = "7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b"
	// ZStack's initial account, which the demo accepts.
	DemoAccount  = "admin"
	DemoPassword = "password"
)

// Demo is a management node holding the image the examples update.
func Demo(t simkit.Timing) Options {
	return Options{
		Clock: t.Clock, JobDuration: t.Job,
		Accounts: map[string]string{DemoAccount: DemoPassword},
		Images: []Image{{
			UUID: DemoImage, Name: "gold-centos-7", Description: "CentOS 7 gold image",
			GuestOSType: "CentOS 7", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate",
		}},
	}
}

// Emulated is ZStack as the emulator binary serves it: the initial admin
// account and the demo image. The worker logs in as the (first) account of
// the Options served; the password's SHA-512, which the login sends, is a
// secret as much as the password.
func Emulated() simkit.Emulator {
	return simkit.Emulator{Name: "zstack", Addr: "127.0.0.1:9103", Serve: func(s simkit.EmulatorSetup) (simkit.Served, error) {
		opts, err := simkit.OptionsOr(s, Demo)
		if err != nil {
			return simkit.Served{}, err
		}
		account, password := DemoAccount, DemoPassword
		if names := slices.Sorted(maps.Keys(opts.Accounts)); len(names) > 0 {
			account, password = names[0], opts.Accounts[names[0]]
		}
		sim := New(opts)
		return simkit.Served{Handler: sim, Faults: sim.Faults(), WorkerEnv: []string{
			"IMAGEPIPE_ZSTACK_ENDPOINT=" + s.Endpoint,
			"IMAGEPIPE_ZSTACK_ACCOUNT=" + account,
			"IMAGEPIPE_ZSTACK_PASSWORD=" + password,
		}, Secrets: []string{password, PasswordHash(password)}, Holdings: sim.Holdings}, nil
	}}
}
