package bench

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imagepipe/imagepipe/pipeline"
)

// The report's prose names what the bench ran from the pipeline it ran and
// the job kinds it measured, never from a list of vendors of its own, so a
// change of the bench pipeline (or of a vendor) changes the words with it.

// describeSteps writes steps as chains of `id` (`action`) joined by →, the
// chains that run side by side joined by "and ... in parallel":
// "`a` (`x.make`) → `b` (`y.copy`), and `c` (`z.create`) in parallel".
// A step continues a chain when its only need is the chain's last step and
// it is that step's only dependant; any other step starts a chain, naming
// the steps it needs.
func describeSteps(steps []pipeline.Step) string {
	dependants := map[string]int{}
	for _, s := range steps {
		for _, n := range s.Needs {
			dependants[n]++
		}
	}
	var chains [][]string
	last := map[string]int{} // a chain's last step → the chain
	for _, s := range steps {
		name := fmt.Sprintf("`%s` (`%s`)", s.ID, s.Uses)
		if len(s.Needs) == 1 && dependants[s.Needs[0]] == 1 {
			if c, ok := last[s.Needs[0]]; ok {
				chains[c] = append(chains[c], name)
				delete(last, s.Needs[0])
				last[s.ID] = c
				continue
			}
		}
		if len(s.Needs) > 0 {
			name = fmt.Sprintf("`%s` (`%s`, after `%s`)", s.ID, s.Uses, strings.Join(s.Needs, "`, `"))
		}
		last[s.ID] = len(chains)
		chains = append(chains, []string{name})
	}
	var parts []string
	for _, c := range chains {
		parts = append(parts, strings.Join(c, " → "))
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", and " + parts[len(parts)-1] + " in parallel"
}

// stepChain writes steps' ids in order, `a → b → c`.
func stepChain(steps []pipeline.Step) string {
	var ids []string
	for _, s := range steps {
		ids = append(ids, s.ID)
	}
	return "`" + strings.Join(ids, " → ") + "`"
}

// jobSplit is the job kinds of the waits runs whose jobs take the run's
// whole length (long) and those capped shorter (capped), read from the
// longest run: a kind whose job there is shorter than the run is capped.
func jobSplit(w *WaitsResult) (long, capped []string) {
	if w == nil || len(w.Runs) == 0 {
		return nil, nil
	}
	longest := slices.MaxFunc(w.Runs, func(a, b WaitRun) int { return int(a.JobSecs - b.JobSecs) })
	for _, x := range longest.Waits {
		if x.JobSeconds < longest.JobSecs {
			capped = append(capped, x.Kind)
		} else {
			long = append(long, x.Kind)
		}
	}
	return long, capped
}

// kinds writes job kinds as prose: "`a`", "`a` and `b`", "`a`, `b` and `c`";
// "the" when there are none.
func kinds(ks []string) string {
	var q []string
	for _, k := range ks {
		q = append(q, "`"+k+"`")
	}
	switch len(q) {
	case 0:
		return "the"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
