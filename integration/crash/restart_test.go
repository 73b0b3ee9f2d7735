package crash

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// TestServerRestart_PipelinesSurviveTheDevServerStoppingMidRun stops the
// file-backed dev server while a fleet of pipelines is in flight, once
// gracefully (SIGTERM) and once not (SIGKILL), and starts it again on the
// same port and database file. The worker process rides it out; every
// pipeline must succeed, none may be lost, and nothing may be created twice.
func TestServerRestart_PipelinesSurviveTheDevServerStoppingMidRun(t *testing.T) {
	t.Parallel() // each test has its own dev server
	cfg := loadSettings(t)
	testenv.NewDevServerProcess(t) // skips the test without a Temporal CLI, before the build
	bin := testenv.BuildWorker(t)
	for _, how := range []struct {
		name string
		kill bool
	}{{"SIGTERM", false}, {"SIGKILL", true}} {
		t.Run(how.name, func(t *testing.T) {
			ctx := context.Background()
			srv, c := startServer(ctx, t)
			began := time.Now()

			f := newFleet(t, "restart-"+strings.ToLower(how.name), cfg.restartPipelines, cfg.seed)
			rec := &recorder{}
			opts := f.vendorOptions()
			opts.Wrap = rec.wrap
			v := testenv.ServeVendors(t, opts)
			w := testenv.NewWorkerProcess(t, bin, srv.HostPort, "crash-restart", v.WorkerEnv)
			if err := w.StartReady(ctx); err != nil {
				t.Fatal(err)
			}
			var ps []started
			for _, p := range f.pipelines {
				s, err := start(ctx, c, "crash-restart", p)
				if err != nil {
					t.Fatal(err)
				}
				ps = append(ps, s)
			}

			// Mid-run: each stop comes when a further share of the fleet's
			// vendor changes is made (a third, for one restart), the rest to come.
			total := f.mutations()
			done := 0
			for r := range cfg.restarts {
				want := (r + 1) * total / (cfg.restarts + 2)
				if err := waitUntil(ctx, 3*time.Minute, func() bool { return rec.accepted() >= want }); err != nil {
					t.Fatalf("the fleet never got %d of its %d vendor changes made: %v", want, total, err)
				}
				done = rec.accepted()
				var err error
				if how.kill {
					err = srv.Kill()
				} else {
					var killed bool
					if killed, err = srv.Stop(time.Minute); killed {
						t.Errorf("the dev server did not stop within a minute of SIGTERM; it was killed")
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				stoppedAt := time.Since(began)
				// Down long enough for the worker's polls, heartbeats and task
				// completions to fail, as in a real restart.
				time.Sleep(downtime)
				if err := srv.StartReady(ctx); err != nil {
					t.Fatal(err)
				}
				t.Logf("server-restart %s: stop %d at %s with %d of %d vendor changes made; up again after %s",
					how.name, r+1, stoppedAt.Round(100*time.Millisecond), done, total, (time.Since(began) - stoppedAt).Round(100*time.Millisecond))
			}

			waitCtx, cancel := context.WithTimeout(ctx, cfg.deadline)
			defer cancel()
			out := await(waitCtx, c, ps)
			took := time.Since(began)
			if !w.Running() {
				t.Errorf("the worker exited while the server was away; its log:\n%s", w.LogTail())
			}

			dups, missing := duplicates(f, v, out.succeeded)
			dups = append(dups, rec.acceptedTwice()...)
			rekeyed := rec.rekeyed()
			log, err := w.Log()
			if err != nil {
				t.Fatal(err)
			}
			leaked := leaks(ctx, t, c, v, srv, log, ps)
			t.Logf("server-restart %s: pipelines=%d restarts=%d faults=%d duplicates=%d rekeyed=%d lost=%d stuck=%d took=%s seed=%d",
				how.name, len(ps), cfg.restarts, cfg.restarts, len(dups), len(rekeyed), out.lostCount(), len(out.stuck), took.Round(time.Second), cfg.seed)
			report(t, c, ps, out, dups, missing, rekeyed, leaked)
			if cfg.restarts > 0 && done >= total {
				t.Errorf("every vendor change was made before the server last stopped: that restart proved nothing")
			}
		})
	}
}

// downtime is how long the server stays down before it is started again.
const downtime = 5 * time.Second

// mutations is how many vendor changes the fleet makes when all goes well.
func (f *fleet) mutations() int {
	n := 0
	for _, p := range f.pipelines {
		n += len(p.imsCopies)
		for _, s := range []string{p.fppImage, p.zstackImage, p.compartment, p.ociImage} {
			if s != "" {
				n++
			}
		}
	}
	return n
}

// waitUntil polls cond until it holds, or fails after limit.
func waitUntil(ctx context.Context, limit time.Duration, cond func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waited %s: %w", limit, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}
