// Command emulator serves in-memory emulators of the vendor APIs imagepipe
// calls, for `make run`, demos and integration tests. Each vendor listens on
// its own address; the credentials a worker needs are generated at start
// and written under IMAGEPIPE_EMULATOR_DIR, with a worker.env that sets the
// worker's IMAGEPIPE_* variables to use them.
//
// Settings every emulator shares are read here; an emulator's own
// (IMAGEPIPE_EMULATOR_<VENDOR>_*, such as how long a new resource stays
// in its creating state) are read by that emulator's Emulated, in its sim
// package.
//
// The emulators are hostile on request: IMAGEPIPE_EMULATOR_CHAOS makes that
// fraction of all requests fail with 429 or 5xx, so a run shows retries.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/caarlos0/env/v11"
	"go.uber.org/zap"

	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

type config struct {
	Dir string `env:"IMAGEPIPE_EMULATOR_DIR" envDefault:".imagepipe/emulator"`
	// Host is the name workers reach the emulator by, written into the
	// endpoints of worker.env and into the certificates of the emulators
	// that serve TLS (e.g. "emulator" in docker-compose); empty means the
	// address each vendor listens on.
	Host string `env:"IMAGEPIPE_EMULATOR_HOST"`
	// JobDuration is how long every emulator's vendor jobs take.
	JobDuration time.Duration `env:"IMAGEPIPE_EMULATOR_JOB_DURATION" envDefault:"8s"`
	Chaos       float64       `env:"IMAGEPIPE_EMULATOR_CHAOS" envDefault:"0"`
	ChaosSeed   uint64        `env:"IMAGEPIPE_EMULATOR_CHAOS_SEED" envDefault:"1"`
	AccessLog   bool          `env:"IMAGEPIPE_EMULATOR_ACCESS_LOG" envDefault:"true"`
	LogLevel    string        `env:"IMAGEPIPE_LOG_LEVEL" envDefault:"info"`
	LogFormat   string        `env:"IMAGEPIPE_LOG_FORMAT" envDefault:"console"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := env.ParseAs[config]()
	if err != nil {
		return fmt.Errorf("environment: %w", err)
	}
	if cfg.Chaos < 0 || cfg.Chaos > 1 {
		return fmt.Errorf("IMAGEPIPE_EMULATOR_CHAOS=%v: use a fraction between 0 and 1", cfg.Chaos)
	}
	log, err := logging.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return err
	}

	if cfg.ChaosSeed == 0 {
		cfg.ChaosSeed = uint64(time.Now().UnixNano())
	}
	var (
		servers   []*http.Server
		listeners []net.Listener
		envLines  []string
		fields    []zap.Field
	)
	timing := simkit.Timing{Job: cfg.JobDuration}
	for i, v := range emulators() {
		addr := v.Addr
		if a := os.Getenv(v.AddrVariable()); a != "" {
			addr = a
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s emulator: listen on %s (%s): %w", v.Name, addr, v.AddrVariable(), err)
		}
		defer ln.Close()
		scheme := "http"
		if v.TLS {
			scheme = "https"
		}
		endpoint := scheme + "://" + advertised(cfg.Host, ln.Addr())
		served, err := v.Serve(simkit.EmulatorSetup{Dir: filepath.Join(dir, v.Name), Endpoint: endpoint, Host: cfg.Host, Timing: timing, Getenv: os.Getenv})
		if err != nil {
			return fmt.Errorf("%s emulator: %w", v.Name, err)
		}
		if served.TLS != nil {
			ln = tls.NewListener(ln, served.TLS)
		}
		if cfg.Chaos > 0 {
			// Each vendor draws its own sequence from the one seed.
			served.Faults.SetChaos(cfg.Chaos, cfg.ChaosSeed+uint64(i))
		}
		servers = append(servers, &http.Server{Handler: withAccessLog(log, v.Name, cfg.AccessLog, served.Handler), ReadHeaderTimeout: 10 * time.Second})
		listeners = append(listeners, ln)
		envLines = append(envLines, served.WorkerEnv...)
		fields = append(fields, zap.String(v.Name, endpoint))
	}
	if err := writeEnv(filepath.Join(dir, "worker.env"), envLines); err != nil {
		return err
	}

	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	log.Info("emulator ready", append(fields,
		zap.String("worker_env", filepath.Join(dir, "worker.env")),
		zap.Float64("chaos", cfg.Chaos), zap.Uint64("chaos_seed", cfg.ChaosSeed))...)

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		_ = srv.Shutdown(shutdown)
	}
	log.Info("emulator stopped")
	return nil
}

// advertised is the host:port a worker reaches a listener by.
func advertised(host string, addr net.Addr) string {
	if host == "" {
		return addr.String()
	}
	_, port, _ := net.SplitHostPort(addr.String())
	return net.JoinHostPort(host, port)
}

// writeEnv writes KEY=VALUE lines a shell can source and the worker reads.
func writeEnv(path string, lines []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	body := "# written by the imagepipe emulator; source it before starting a worker\n" + strings.Join(lines, "\n") + "\n"
	return os.WriteFile(path, []byte(body), 0o600)
}

// withAccessLog logs each request and its status, so a demo shows the
// vendor traffic (and the injected failures) as it happens.
func withAccessLog(log *zap.Logger, vendor string, enabled bool, h http.Handler) http.Handler {
	if !enabled {
		return h
	}
	log = log.With(zap.String("vendor", vendor))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		log.Info(r.Method+" "+r.URL.Path, zap.Int("status", rec.status), zap.Duration("took", time.Since(start)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
