package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/workflows"
)

// planTimeout bounds a plan: its lookups take seconds, each at most a few
// minutes when a vendor keeps failing; a plan that has not ended by then
// had no worker to run it.
const planTimeout = 10 * time.Minute

// wouldFail is a plan in which some step would fail: the starter exits 1.
type wouldFail struct{ steps []string }

func (w wouldFail) Error() string {
	return fmt.Sprintf("plan: %d step(s) would fail: %s", len(w.steps), strings.Join(w.steps, ", "))
}

// cmdPlan says what `starter run -f FILE` would do, as `terraform plan`
// does, changing nothing: the file is validated here (bad input exits 2,
// nothing started), then the PlanPipeline workflow runs on the worker,
// which holds the vendors' credentials, and makes read-only vendor calls
// only.
func cmdPlan(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("plan")
	file := fs.String("f", "", "pipeline file")
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	spec, err := loadSpec(*file)
	if err != nil {
		return err
	}
	queue, err := taskQueue()
	if err != nil {
		return err
	}
	return withConfig(ctx, func(c client.Client, conf temporalconf.Config) error {
		// A plan changes nothing, so two of the same pipeline may run at
		// once: the random tail keeps plans started in one millisecond apart.
		id := "plan-" + strings.TrimPrefix(workflows.WorkflowID(spec.Name, time.Now()), "pipeline-") + "-" + rand.Text()[:6]
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID:                       id,
			TaskQueue:                queue,
			WorkflowExecutionTimeout: planTimeout,
			StaticSummary:            "plan of pipeline " + spec.Name + " (changes nothing)",
			StaticDetails:            staticDetails(spec),
		}, workflows.PlanWorkflow, workflows.PlanInput{Spec: *spec})
		if err != nil {
			return fmt.Errorf("plan %s: start %s: %w", spec.Name, workflows.PlanWorkflow, err)
		}
		var res workflows.PlanResult
		if err := run.Get(ctx, &res); err != nil {
			if temporal.IsTimeoutError(err) {
				return fmt.Errorf("plan %s: no worker finished it within %s: is a worker of this version polling task queue %s? (%s)", spec.Name, planTimeout, queue, conf.WorkflowURL(id))
			}
			return fmt.Errorf("plan %s (%s): %w", spec.Name, id, err)
		}
		failing := res.Failing()
		if *asJSON {
			if err := json.NewEncoder(stdout).Encode(struct {
				WorkflowID string `json:"workflow_id"`
				File       string `json:"file"`
				workflows.PlanResult
				WouldFail []string `json:"would_fail"`
			}{id, *file, res, append([]string{}, failing...)}); err != nil {
				return err
			}
		} else {
			printPlan(stdout, *file, res)
		}
		if len(failing) > 0 {
			return wouldFail{failing}
		}
		return nil
	})
}

// planMarks are the signs before each verb, as terraform marks its plan.
var planMarks = map[string]string{
	workflows.PlanCreate:  "+",
	workflows.PlanReuse:   "=",
	workflows.PlanMove:    "→",
	workflows.PlanChange:  "~",
	workflows.PlanNothing: " ",
	workflows.PlanFail:    "!",
	workflows.PlanApprove: "?",
	workflows.PlanUnknown: "?",
	workflows.PlanNotRun:  "-",
}

// printPlan writes the plan as a table, a line per step and per fan-out
// item, each change on a line of its own, and a count of each verb over
// plain steps and items.
func printPlan(w io.Writer, file string, res workflows.PlanResult) {
	fmt.Fprintf(w, "plan of pipeline %s (%s); nothing was changed:\n\n", res.Pipeline, file)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	counts := map[string]int{}
	line := func(indent, name, uses string, p workflows.Plan) {
		counts[p.Verb]++
		fmt.Fprintf(tw, "%s%s %s\t%s\t%s\t%s\n", indent, mark(p.Verb), name, uses, orMixed(p.Verb), planDetail(p))
		for _, c := range p.Changes {
			fmt.Fprintf(tw, "%s    %s: %q → %q\t\t\t\n", indent, c.Field, c.Old, c.New)
		}
	}
	fmt.Fprintf(tw, "  STEP\tACTION\tPLAN\tDETAIL\n")
	for _, s := range res.Steps {
		if len(s.Items) == 0 {
			line("", s.ID, s.Uses, s.Plan)
			continue
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark(s.Verb), s.ID, s.Uses, orMixed(s.Verb), s.Summary)
		for _, it := range s.Items {
			line("  ", "["+it.Item+"]", "", it.Plan)
		}
	}
	tw.Flush()
	var parts []string
	for _, v := range []string{workflows.PlanCreate, workflows.PlanReuse, workflows.PlanMove, workflows.PlanChange,
		workflows.PlanNothing, workflows.PlanApprove, workflows.PlanUnknown, workflows.PlanFail, workflows.PlanNotRun} {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
		}
	}
	fmt.Fprintf(w, "\nplan: %s.\n", strings.Join(parts, ", "))
}

func mark(verb string) string {
	if m, ok := planMarks[verb]; ok {
		return m
	}
	return "*"
}

func orMixed(verb string) string {
	if verb == "" {
		return "mixed"
	}
	return verb
}

// planDetail is a plan's sentence, with the code a failing step would end
// with.
func planDetail(p workflows.Plan) string {
	if p.Verb == workflows.PlanFail && p.Code != "" && !strings.Contains(p.Summary, p.Code) {
		return p.Code + ": " + p.Summary
	}
	return p.Summary
}
