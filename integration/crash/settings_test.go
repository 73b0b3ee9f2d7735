package crash

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// settings size a run. `make test` runs the defaults; `make soak` raises
// them through these variables:
//
//	IMAGEPIPE_SOAK_PIPELINES          crash-storm pipelines (40)
//	IMAGEPIPE_SOAK_KILLS              worker SIGKILLs (25)
//	IMAGEPIPE_SOAK_IN_WINDOW          of those, kills while a vendor's answer is held (10)
//	IMAGEPIPE_SOAK_RESTART_PIPELINES  pipelines in flight while the server restarts (20)
//	IMAGEPIPE_SOAK_RESTARTS           stops and starts of the server, per signal (1)
//	IMAGEPIPE_SOAK_SEED               the seed of pipelines' order and the kill schedule (1)
//	IMAGEPIPE_SOAK_DEADLINE           how long pipelines may take after the last fault (6m)
type settings struct {
	pipelines        int
	kills            int
	inWindow         int
	restartPipelines int
	restarts         int
	seed             uint64
	deadline         time.Duration
}

func loadSettings(t *testing.T) settings {
	t.Helper()
	s, problems := parseSettings(os.LookupEnv)
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.FailNow()
	}
	return s
}

// parseSettings reads the settings through lookup, listing every bad value
// by its variable.
func parseSettings(lookup func(string) (string, bool)) (settings, []string) {
	s := settings{pipelines: 40, kills: 25, inWindow: 10, restartPipelines: 20, restarts: 1, seed: 1, deadline: 6 * time.Minute}
	var problems []string
	intVar := func(name string, dst *int, least int) {
		v, ok := lookup(name)
		if !ok {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < least {
			problems = append(problems, fmt.Sprintf("%s=%q: want a whole number of at least %d", name, v, least))
			return
		}
		*dst = n
	}
	intVar("IMAGEPIPE_SOAK_PIPELINES", &s.pipelines, 1)
	intVar("IMAGEPIPE_SOAK_KILLS", &s.kills, 0)
	intVar("IMAGEPIPE_SOAK_IN_WINDOW", &s.inWindow, 0)
	intVar("IMAGEPIPE_SOAK_RESTART_PIPELINES", &s.restartPipelines, 1)
	intVar("IMAGEPIPE_SOAK_RESTARTS", &s.restarts, 0)
	if v, ok := lookup("IMAGEPIPE_SOAK_SEED"); ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_SEED=%q: want a whole number", v))
		}
		s.seed = n
	}
	if v, ok := lookup("IMAGEPIPE_SOAK_DEADLINE"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_DEADLINE=%q: want a positive duration such as 10m", v))
		}
		s.deadline = d
	}
	if s.inWindow > s.kills {
		problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_IN_WINDOW=%d is more than IMAGEPIPE_SOAK_KILLS=%d", s.inWindow, s.kills))
	}
	return s, problems
}

func TestSettings_BadValuesAreRefusedNamingTheVariable(t *testing.T) {
	env := map[string]string{
		"IMAGEPIPE_SOAK_PIPELINES": "many",
		"IMAGEPIPE_SOAK_KILLS":     "3",
		"IMAGEPIPE_SOAK_IN_WINDOW": "4",
		"IMAGEPIPE_SOAK_SEED":      "-1",
		"IMAGEPIPE_SOAK_DEADLINE":  "0s",
	}
	_, problems := parseSettings(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	want := []string{`IMAGEPIPE_SOAK_PIPELINES="many"`, `IMAGEPIPE_SOAK_SEED="-1"`, `IMAGEPIPE_SOAK_DEADLINE="0s"`, "IMAGEPIPE_SOAK_IN_WINDOW=4 is more than IMAGEPIPE_SOAK_KILLS=3"}
	if len(problems) != len(want) {
		t.Fatalf("problems %q, want one for each of %q", problems, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d is %q, want it to start %q", i, problems[i], w)
		}
	}
}

func TestSettings_DefaultsAreTheCISlice(t *testing.T) {
	s, problems := parseSettings(func(string) (string, bool) { return "", false })
	if len(problems) > 0 || s.pipelines < 40 || s.kills < 25 || s.inWindow == 0 || s.restartPipelines < 20 || s.restarts < 1 {
		t.Fatalf("defaults %+v (%q): want at least 40 pipelines, 25 kills some in the window, 20 pipelines through a restart", s, problems)
	}
}
