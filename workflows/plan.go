package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// PlanWorkflow is the name PlanPipeline is registered and started under.
const PlanWorkflow = "PlanPipeline"

// What a run would do with a step (or fan-out item): Plan.Verb.
const (
	PlanCreate  = "create"
	PlanReuse   = "reuse"
	PlanMove    = "move"
	PlanChange  = "change"
	PlanNothing = "nothing to do"
	PlanFail    = "would fail"
	PlanApprove = "waits for approval"
	PlanUnknown = "unknown"
	// PlanNotRun: a step that needs a step that would fail.
	PlanNotRun = "would not run"
)

// KnownAfterApply stands, in a plan, for a value only a run produces: an
// output of a step that would create what it outputs, or the run's ID.
const KnownAfterApply = "(known after apply)"

// Known reports whether v holds no value that only a run produces.
func Known(v string) bool { return !strings.Contains(v, KnownAfterApply) }

// PlanInput is the spec PlanPipeline plans.
type PlanInput struct {
	Spec pipeline.Spec `json:"spec"`
}

// PlanResult is what a run of the spec would do, step by step, in the
// order a run could take them.
type PlanResult struct {
	Pipeline string     `json:"pipeline"`
	Steps    []StepPlan `json:"steps"`
}

// StepPlan is one step's plan; a fan-out step's is in its Items.
type StepPlan struct {
	ID   string `json:"id"`
	Uses string `json:"uses"`
	Plan
	Items []ItemPlan `json:"items,omitempty"`
}

// ItemPlan is one fan-out item's plan.
type ItemPlan struct {
	Item string `json:"item"`
	Plan
}

// Plan is what a run would do with one step or item.
type Plan struct {
	Verb string `json:"verb"`
	// Summary says it in a sentence: what is created, reused, moved or
	// changed, or why it would fail.
	Summary string `json:"summary"`
	// Resource is the existing resource a reuse, change or move acts on
	// (an id, or a name where the vendor names resources).
	Resource string `json:"resource,omitempty"`
	// From and To are a move's compartments.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Changes are a change's attributes, old value to new.
	Changes []Change `json:"changes,omitempty"`
	// Code is the error type a failing step would end with
	// (<vendor>.<code>, see activities' error types).
	Code string `json:"code,omitempty"`
	// Outputs are the step's outputs already known now; the rest are
	// KnownAfterApply to the steps that use them.
	Outputs map[string]string `json:"outputs,omitempty"`
}

// Change is one attribute a step would change.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Failing lists the steps and items that would fail, as "step" or
// "step[item]".
func (r PlanResult) Failing() []string {
	var out []string
	for _, s := range r.Steps {
		if s.Verb == PlanFail && len(s.Items) == 0 {
			out = append(out, s.ID)
		}
		for _, it := range s.Items {
			if it.Verb == PlanFail {
				out = append(out, s.ID+"["+it.Item+"]")
			}
		}
	}
	return out
}

// PlanPipeline says what a run of a spec would do, as `terraform plan`
// does, making read-only vendor calls only: each action's plan (WithPlan)
// looks the resources up with the same lookups its run makes before it
// changes anything. It runs on the worker because the vendors' credentials
// are there. Steps are planned one at a time in an order a run could take;
// a value only an earlier step's run would produce is KnownAfterApply. A
// step needing one that would fail would not run. It has no timers and no
// children; each lookup gets a few attempts (planCallOptions).
//
// PlanPipeline plans with the default vendors; a worker's Register
// registers, under the same name, the one of the registry it is given.
func PlanPipeline(ctx workflow.Context, in PlanInput) (PlanResult, error) {
	return engine{Default()}.planPipeline(ctx, in)
}

func (e engine) planPipeline(ctx workflow.Context, in PlanInput) (PlanResult, error) {
	if err := e.reg.catalog.Validate(&in.Spec); err != nil {
		return PlanResult{}, temporal.NewNonRetryableApplicationError("invalid pipeline: "+err.Error(), activities.ErrInvalidInput, nil)
	}
	res := PlanResult{Pipeline: in.Spec.Name}
	outputs := map[string]map[string]string{}
	wontRun := map[string]string{} // step -> the step that would fail first on its way
	run := map[string]string{"date": workflow.Now(ctx).UTC().Format("20060102"), "id": KnownAfterApply}
	for _, st := range planOrder(in.Spec.Steps) {
		sp := StepPlan{ID: st.ID, Uses: st.Uses}
		blocker := ""
		for _, d := range pipeline.Dependencies(st) {
			if b, ok := wontRun[d]; ok && blocker == "" {
				blocker = b
			}
		}
		switch {
		case blocker != "":
			sp.Plan = Plan{Verb: PlanNotRun, Summary: "needs " + blocker + ", which would fail"}
			wontRun[st.ID] = blocker
		case len(st.ForEach) == 0:
			sp.Plan = e.planUnit(ctx, st, -1, nil, pipeline.Scope{Outputs: outputs, Run: run})
		default:
			for i, item := range st.ForEach {
				p := e.planUnit(ctx, st, i, item, pipeline.Scope{Outputs: outputs, Item: item, Run: run})
				sp.Items = append(sp.Items, ItemPlan{Item: pipeline.ItemLabel(item), Plan: p})
			}
			sp.Plan = fanOutPlan(sp.Items)
		}
		if _, ok := wontRun[st.ID]; !ok && (sp.Verb == PlanFail || len(failingItems(sp.Items)) > 0) {
			wontRun[st.ID] = st.ID
		}
		outputs[st.ID] = e.plannedOutputs(st, sp)
		res.Steps = append(res.Steps, sp)
	}
	return res, nil
}

// planUnit plans one step, or one item of a fan-out step (item >= 0).
func (e engine) planUnit(ctx workflow.Context, st pipeline.Step, item int, value any, sc pipeline.Scope) Plan {
	with, err := pipeline.Resolve(st.With, sc)
	if err == nil && !withUnknown(with) {
		// What validate could not know meets the vendor's rules here, as
		// it does before a run's first call.
		err = e.reg.catalog.CheckInputs(st.Uses, with)
	}
	if err != nil {
		return Plan{Verb: PlanFail, Summary: err.Error(), Code: activities.ErrInvalidInput}
	}
	p := &PlanStep{id: st.ID, item: item, with: with}
	if item >= 0 {
		p.label = pipeline.ItemLabel(value)
	}
	if st.Uses == pipeline.ActionApproval {
		return p.approval()
	}
	act, ok := e.reg.actions[st.Uses]
	if !ok || act.plan == nil {
		return Plan{Verb: PlanUnknown, Summary: "unknown: this action cannot plan"}
	}
	plan, err := act.plan(ctx, p)
	if err != nil {
		return failPlan(err)
	}
	return plan
}

// failPlan is the plan of a step whose lookup the vendor refused: it names
// the error type (vendor and code) and the vendor's message.
func failPlan(err error) Plan {
	p := Plan{Verb: PlanFail, Summary: rootMessage(err)}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		p.Code = app.Type()
	}
	return p
}

// fanOutPlan sums up a fan-out step's items: their verb when they share
// one, or what would fail first.
func fanOutPlan(items []ItemPlan) Plan {
	if f := failingItems(items); len(f) > 0 {
		return Plan{Verb: PlanFail, Summary: fmt.Sprintf("%d of %d items would fail: %s", len(f), len(items), strings.Join(f, ", "))}
	}
	verbs := map[string]int{}
	var order []string
	for _, it := range items {
		if verbs[it.Verb] == 0 {
			order = append(order, it.Verb)
		}
		verbs[it.Verb]++
	}
	if len(order) == 1 {
		return Plan{Verb: order[0], Summary: fmt.Sprintf("%d items", len(items))}
	}
	var parts []string
	for _, v := range order {
		parts = append(parts, fmt.Sprintf("%d %s", verbs[v], v))
	}
	return Plan{Verb: "", Summary: fmt.Sprintf("%d items: %s", len(items), strings.Join(parts, ", "))}
}

func failingItems(items []ItemPlan) []string {
	var out []string
	for _, it := range items {
		if it.Verb == PlanFail {
			out = append(out, it.Item)
		}
	}
	return out
}

// plannedOutputs are a planned step's outputs as later steps see them:
// what its plan knows, the rest KnownAfterApply. A fan-out step's are its
// items' joined by commas, as a run joins them; known only if every
// item's is.
func (e engine) plannedOutputs(st pipeline.Step, sp StepPlan) map[string]string {
	decl, _ := e.reg.catalog.Lookup(st.Uses)
	out := map[string]string{}
	for _, name := range decl.Outputs {
		out[name] = KnownAfterApply
		if len(sp.Items) == 0 {
			if v, ok := sp.Outputs[name]; ok {
				out[name] = v
			}
			continue
		}
		var vals []string
		for _, it := range sp.Items {
			v, ok := it.Outputs[name]
			if !ok || !Known(v) {
				vals = nil
				break
			}
			vals = append(vals, v)
		}
		if vals != nil {
			out[name] = strings.Join(vals, ",")
		}
	}
	return out
}

// planOrder is the steps in an order a run could take them: each after the
// steps it needs, otherwise as the file lists them. Validate has refused
// cycles.
func planOrder(steps []pipeline.Step) []pipeline.Step {
	done := map[string]bool{}
	var out []pipeline.Step
	for len(out) < len(steps) {
		progressed := false
		for _, st := range steps {
			if done[st.ID] {
				continue
			}
			ready := true
			for _, d := range pipeline.Dependencies(st) {
				ready = ready && done[d]
			}
			if ready {
				done[st.ID] = true
				out = append(out, st)
				progressed = true
			}
		}
		if !progressed {
			break // a cycle Validate let through: plan no further
		}
	}
	return out
}

// withUnknown reports whether resolved inputs hold a KnownAfterApply.
func withUnknown(with map[string]any) bool {
	b, _ := json.Marshal(with)
	return !Known(string(b))
}

// planCallOptions are the options of a plan's lookup: a few quick
// attempts, since a plan is read by a person waiting for it; a vendor's
// refusal is not retried.
func planCallOptions(step, summary string) workflow.ActivityOptions {
	o := callOptions(step, "plan: "+summary)
	o.StartToCloseTimeout = 30 * time.Second
	o.ScheduleToCloseTimeout = 2 * time.Minute
	o.RetryPolicy.MaximumAttempts = 3
	return o
}

// PlanStep is one step, or one item of a fan-out step, being planned: what
// an action's plan (WithPlan) is handed to make its lookups through.
type PlanStep struct {
	id    string
	item  int
	label string
	with  map[string]any
}

// Name is the step (and item) as messages name it.
func (p *PlanStep) Name() string { return p.Unit().UnitName() }

// Unit is the step (and item) as its lookups' inputs carry it.
func (p *PlanStep) Unit() activities.Unit { return activities.NewUnit(p.id, p.item, p.label) }

// Read runs a read-only activity of the step's vendor once (a few
// attempts). A plan must call nothing else: the plan makes no change.
func (p *PlanStep) Read(ctx workflow.Context, summary string, activity, input, result any) error {
	ctx = workflow.WithActivityOptions(ctx, planCallOptions(p.Name(), summary))
	return workflow.ExecuteActivity(ctx, activity, input).Get(ctx, result)
}

func (p *PlanStep) decode(v any) error {
	b, err := json.Marshal(p.with)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: inputs: %v", p.id, err), activities.ErrInvalidInput, nil)
	}
	return nil
}

// approval is an approval step's plan: who it waits for.
func (p *PlanStep) approval() Plan {
	var in pipeline.ApprovalInput
	if err := p.decode(&in); err != nil {
		return failPlan(err)
	}
	by := "anyone"
	if len(in.Approvers) > 0 {
		by = strings.Join(in.Approvers, ", ")
	}
	return Plan{Verb: PlanApprove, Summary: "waits for approval by " + by}
}

// WithPlan gives an action its plan: what a run of it would do, found by
// read-only lookups only (PlanStep.Read). plan gets the step's inputs
// decoded into In, the action's input struct; an input only an earlier
// step's run produces holds KnownAfterApply. An action without a plan
// plans as "unknown".
func WithPlan[In any](a Action, plan func(ctx workflow.Context, p *PlanStep, in In) (Plan, error)) Action {
	if reflect.TypeFor[In]() != a.in {
		panic(fmt.Sprintf("workflows.WithPlan: action %s takes %v, its plan %v", a.decl.Name, a.in, reflect.TypeFor[In]()))
	}
	a.plan = func(ctx workflow.Context, p *PlanStep) (Plan, error) {
		var in In
		if err := p.decode(&in); err != nil {
			return Plan{}, err
		}
		return plan(ctx, p, in)
	}
	return a
}
