package fppsim

import (
	"os"
	"path/filepath"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Demo is an FPP server with its default REST user and no images yet.
func Demo(t simkit.Timing) Options {
	return Options{Clock: t.Clock, JobDuration: t.Job}
}

// Emulated is FPP as the emulator binary serves it: HTTPS with a CA
// generated at start, written where the worker's IMAGEPIPE_FPP_CA_FILE
// points, as a real FPP server has its own CA. The worker logs in as the
// REST user of the Options served (the default one for the demo).
func Emulated() simkit.Emulator {
	return simkit.Emulator{Name: "fpp", Addr: "127.0.0.1:8894", TLS: true, Serve: func(s simkit.EmulatorSetup) (simkit.Served, error) {
		opts, err := simkit.OptionsOr(s, Demo)
		if err != nil {
			return simkit.Served{}, err
		}
		var hosts []string
		if s.Host != "" {
			hosts = append(hosts, s.Host)
		}
		ca, err := GenerateCA(hosts...)
		if err != nil {
			return simkit.Served{}, err
		}
		if err := os.MkdirAll(s.Dir, 0o700); err != nil {
			return simkit.Served{}, err
		}
		caFile := filepath.Join(s.Dir, "ca.pem")
		if err := ca.WriteCertFile(caFile); err != nil {
			return simkit.Served{}, err
		}
		user, password := opts.Username, opts.Password
		if user == "" && password == "" {
			user, password = DefaultUsername, DefaultPassword
		}
		sim := New(opts)
		return simkit.Served{Handler: sim, Faults: sim.Faults(), TLS: ca.ServerTLSConfig(), WorkerEnv: []string{
			"IMAGEPIPE_FPP_ENDPOINT=" + s.Endpoint,
			"IMAGEPIPE_FPP_USERNAME=" + user,
			"IMAGEPIPE_FPP_PASSWORD=" + password,
			"IMAGEPIPE_FPP_CA_FILE=" + caFile,
		}, Secrets: []string{password}, Holdings: sim.Holdings}, nil
	}}
}
