package crash

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// settings size a run. `make test` runs the defaults; `make soak` raises
// them through these variables:
//
//	IMAGEPIPE_SOAK_PIPELINES          crash-storm pipelines (40)
//	IMAGEPIPE_SOAK_KILLS              worker SIGKILLs (25)
//	IMAGEPIPE_SOAK_IN_WINDOW          of those, kills while a vendor's answer is held (10)
//	IMAGEPIPE_SOAK_RESTART_PIPELINES  pipelines in flight at each server restart (20)
//	IMAGEPIPE_SOAK_SEED               the seed of pipelines' order and the kill schedule (1)
//	IMAGEPIPE_SOAK_DEADLINE           how long pipelines may take after the last fault (6m)
type settings struct {
	pipelines        int
	kills            int
	inWindow         int
	restartPipelines int
	seed             uint64
	deadline         time.Duration
}

func loadSettings(t *testing.T) settings {
	t.Helper()
	s := settings{pipelines: 40, kills: 25, inWindow: 10, restartPipelines: 20, seed: 1, deadline: 6 * time.Minute}
	var problems []string
	intVar := func(name string, dst *int, least int) {
		v, ok := os.LookupEnv(name)
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
	if v, ok := os.LookupEnv("IMAGEPIPE_SOAK_SEED"); ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_SEED=%q: want a whole number", v))
		}
		s.seed = n
	}
	if v, ok := os.LookupEnv("IMAGEPIPE_SOAK_DEADLINE"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_DEADLINE=%q: want a positive duration such as 10m", v))
		}
		s.deadline = d
	}
	if s.inWindow > s.kills {
		problems = append(problems, fmt.Sprintf("IMAGEPIPE_SOAK_IN_WINDOW=%d is more than IMAGEPIPE_SOAK_KILLS=%d", s.inWindow, s.kills))
	}
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.FailNow()
	}
	return s
}
