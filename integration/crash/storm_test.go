package crash

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// TestCrashStorm_KilledWorkersLoseNothingAndRepeatNothing runs a fleet of
// pipelines over all four vendors through a storm of SIGKILLs of the
// worker process, restarting it each time. Some kills land at seeded
// moments; the others in the window after a vendor accepted a mutating
// call and before the worker heard the answer (the emulator holds the
// answer while the test kills the worker, then drops it). Every pipeline
// must succeed, every resource exist once, every keyed mutation reach its
// vendor under one key, and no credential show in a log or a history.
func TestCrashStorm_KilledWorkersLoseNothingAndRepeatNothing(t *testing.T) {
	t.Parallel() // each test has its own dev server
	cfg := loadSettings(t)
	ctx := context.Background()
	srv, c := startServer(ctx, t)
	t.Logf("crash-storm: seed=%d (IMAGEPIPE_SOAK_SEED=%d repeats this schedule)", cfg.seed, cfg.seed)
	began := time.Now()

	f := newFleet(t, "storm", cfg.pipelines, cfg.seed)
	rec := &recorder{}
	holds := map[string]*simkit.Holds{}
	opts := f.vendorOptions()
	opts.Wrap = func(vendor string, h http.Handler) http.Handler {
		holds[vendor] = &simkit.Holds{}
		// The recorder sees the vendor's own answer, even one then held and dropped.
		return holds[vendor].Wrap(rec.wrap(vendor, h))
	}
	v := testenv.ServeVendors(t, opts)
	queue := fmt.Sprintf("crash-storm-%d", cfg.seed)
	w := testenv.NewWorkerProcess(t, testenv.BuildWorker(t), srv.HostPort, queue, v.WorkerEnv)
	if err := w.StartReady(ctx); err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(cfg.seed, 0xc0ffee))
	inWindow := map[int]bool{}
	for _, k := range rng.Perm(cfg.kills)[:cfg.inWindow] {
		inWindow[k] = true
	}
	opOrder := rng.Perm(len(mutations))
	// Pipelines keep arriving until the last kill, a share before each, so
	// kills find every kind of step in flight and even the last one held
	// finds fresh mutations to hold.
	var ps []started
	launch := func(upTo int) {
		for len(ps) < min(upTo, f.size()) {
			s, err := start(ctx, c, queue, f.pipelines[len(ps)])
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, s)
		}
	}
	var st stormStats
	var schedule []string // logged only when the test fails: it is how to read a failure
	t.Cleanup(func() {
		if t.Failed() {
			t.Log("crash-storm kills:\n" + strings.Join(schedule, "\n"))
		}
	})
	st.heldByOp = map[string]int{}
	for k := range cfg.kills {
		launch((k + 1) * f.size() / cfg.kills)
		if !w.Running() {
			t.Errorf("the worker exited by itself before kill %d; its log:\n%s", k, w.LogTail())
		}
		if inWindow[k] {
			first := mutations[opOrder[st.inWindow%len(mutations)]]
			held := holdAndKill(t, w, holds, []*mutation{first}, 5*time.Second)
			if len(held) == 0 { // none of that kind in flight now: any mutation will do
				held = holdAndKill(t, w, holds, mutations, 30*time.Second)
			}
			if len(held) == 0 {
				schedule = append(schedule, fmt.Sprintf("kill %d: no mutating call arrived to hold; killed without one", k))
				if err := w.Kill(); err != nil {
					t.Fatal(err)
				}
			} else {
				st.inWindow++
			}
			for _, h := range held {
				st.heldByOp[h]++
				st.faults++
			}
			schedule = append(schedule, fmt.Sprintf("kill %d at %s: while holding the answer of %s", k, time.Since(began).Round(100*time.Millisecond), strings.Join(held, ", ")))
		} else {
			time.Sleep(time.Duration(300+rng.IntN(2700)) * time.Millisecond)
			if err := w.Kill(); err != nil {
				t.Fatal(err)
			}
			schedule = append(schedule, fmt.Sprintf("kill %d at %s", k, time.Since(began).Round(100*time.Millisecond)))
		}
		st.kills++
		if err := w.StartReady(ctx); err != nil {
			t.Fatal(err)
		}
		st.restarts++
	}
	launch(f.size())
	stormDone := time.Since(began)

	waitCtx, cancel := context.WithTimeout(ctx, cfg.deadline)
	defer cancel()
	out := await(waitCtx, c, ps)
	took := time.Since(began)

	dups, missing := duplicates(f, v, out.succeeded)
	dups = append(dups, rec.acceptedTwice()...)
	rekeyed := rec.rekeyed()
	log, err := w.Log()
	if err != nil {
		t.Fatal(err)
	}
	leaked := leaks(ctx, t, c, v, srv, log, ps)

	t.Logf("crash-storm: held answers by call: %s; storm %s, then %s until the last pipeline ended",
		byOp(st.heldByOp), stormDone.Round(time.Second), (took - stormDone).Round(time.Second))
	t.Logf("crash-storm: pipelines=%d kills=%d (in-window=%d) restarts=%d faults=%d duplicates=%d rekeyed=%d lost=%d stuck=%d took=%s seed=%d",
		len(ps), st.kills, st.inWindow, st.restarts, st.faults, len(dups), len(rekeyed), out.lostCount(), len(out.stuck), took.Round(time.Second), cfg.seed)

	report(t, c, ps, out, dups, missing, rekeyed, leaked)
	if st.inWindow < cfg.inWindow {
		t.Errorf("only %d of %d kills landed while a vendor's answer was held", st.inWindow, cfg.inWindow)
	}
}

// stormStats are the figures of a storm.
type stormStats struct {
	kills, inWindow, restarts, faults int
	heldByOp                          map[string]int
}

// holdAndKill arms a hold for each of ops, waits up to wait for a vendor to
// accept one of them, and then SIGKILLs the worker while that answer is
// held, and drops it. It returns the calls caught (none: nothing was
// killed).
func holdAndKill(t *testing.T, w *testenv.WorkerProcess, holds map[string]*simkit.Holds, ops []*mutation, wait time.Duration) []string {
	t.Helper()
	type armed struct {
		m  *mutation
		hd *simkit.Hold
	}
	var all []armed
	for _, m := range ops {
		all = append(all, armed{m, holds[m.vendor].Arm(func(r *http.Request) bool { return m.matches(m.vendor, r) })})
	}
	deadline := time.Now().Add(wait)
	any := false
	for !any && time.Now().Before(deadline) {
		for _, a := range all {
			if req, _ := a.hd.Request(); req != "" {
				any = true
			}
		}
		if !any {
			time.Sleep(10 * time.Millisecond)
		}
	}
	var caught []armed
	for _, a := range all {
		if holds[a.m.vendor].Disarm(a.hd) {
			<-a.hd.Caught()
			caught = append(caught, a)
		}
	}
	if len(caught) == 0 {
		return nil
	}
	if err := w.Kill(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range caught {
		a.hd.Drop()
		out = append(out, a.m.vendor+" "+a.m.op)
	}
	return out
}

// report fails the test with every finding, and logs what stuck pipelines wait for.
func report(t *testing.T, c client.Client, ps []started, out outcome, dups, missing, rekeyed, leaked []string) {
	t.Helper()
	names := make([]string, 0, len(out.failed))
	for n := range out.failed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf("pipeline %s did not succeed: %s", n, out.failed[n])
	}
	for _, n := range out.lost {
		t.Errorf("pipeline %s is lost", n)
	}
	if len(out.stuck) > 0 {
		t.Errorf("%d pipelines still running at the deadline: %s", len(out.stuck), strings.Join(out.stuck, ", "))
		describeStuck(t, c, ps, out.stuck)
	}
	for _, d := range dups {
		t.Errorf("duplicate: %s", d)
	}
	for _, m := range missing {
		t.Errorf("a succeeded pipeline's resource is missing: %s", m)
	}
	for _, r := range rekeyed {
		t.Errorf("mutation repeated under another idempotency key: %s", r)
	}
	for _, l := range leaked {
		t.Error(l)
	}
}

func byOp(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
