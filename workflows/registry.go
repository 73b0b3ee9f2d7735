package workflows

import (
	"fmt"
	"reflect"
	"sync"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Vendor is everything the engine knows of one vendor, contributed from
// the vendor's own files: its actions (declaration, workflow code, inverse),
// the kinds of job its actions wait for, its activities and its default
// concurrency cap. Nothing outside a Vendor value switches on its name, its
// actions or its job kinds: the engine looks them up here.
type Vendor struct {
	// Name is the vendor as pipelines' concurrency caps name it; every
	// action's pipeline.Action.Vendor is this.
	Name string
	// Cap is how many steps or fan-out items may call the vendor at once
	// when a pipeline does not say; 0 is no cap.
	Cap     int
	Actions []Action
	Jobs    []JobKind
	// Activities is the vendor's activities struct without a client: what
	// a worker registers when the vendor is not configured, so its steps
	// fail at once saying so. A worker with the vendor configured passes
	// its own value of the same type to Register instead.
	Activities any
	// Settings is a fresh value of the vendor's worker settings, which the
	// worker reads from the environment and connects the vendor's client
	// with; nil for a vendor that needs none.
	Settings func() activities.Settings
	// Emulator is the vendor's emulator and demo data, as the emulator
	// binary serves them; nil for a vendor without one.
	Emulator func() simkit.Emulator
}

// Action is one action a step's `uses` can name: its declaration, the
// workflow code that runs it, and the inverse rollback runs, if it has one.
type Action struct {
	decl     pipeline.Action
	in, out  reflect.Type
	run      func(workflow.Context, *Step) (map[string]string, error)
	undo     func(workflow.Context, *Step, any) (string, bool, error)
	undoType reflect.Type
	plan     func(workflow.Context, *PlanStep) (Plan, error) // nil: the action cannot plan (WithPlan)
}

// NewAction is an action with no inverse: run gets the step's resolved
// inputs decoded into In, and returns its outputs as an Out (In and Out are
// the structs decl was declared with, pipeline.Declare).
func NewAction[In, Out any](decl pipeline.Action, run func(ctx workflow.Context, s *Step, in In) (Out, error)) Action {
	return Action{
		decl: decl, in: reflect.TypeFor[In](), out: reflect.TypeFor[Out](),
		run: func(ctx workflow.Context, s *Step) (map[string]string, error) {
			var in In
			if err := s.decode(&in); err != nil {
				return nil, err
			}
			out, err := run(ctx, s, in)
			if err != nil {
				return nil, err
			}
			return pipeline.OutputsOf(out), nil
		},
	}
}

// NewReversibleAction is an action with an inverse: run records, through
// Step.Compensate, a value of type R for each change it may make, and undo
// gets that value back on rollback. undo reports what it did and whether
// it changed anything; it must cope with a change that never happened.
func NewReversibleAction[In, Out, R any](decl pipeline.Action,
	run func(ctx workflow.Context, s *Step, in In) (Out, error),
	undo func(ctx workflow.Context, s *Step, record R) (string, bool, error),
) Action {
	a := NewAction(decl, run)
	a.undoType = reflect.TypeFor[R]()
	a.undo = func(ctx workflow.Context, s *Step, record any) (string, bool, error) {
		r, ok := record.(R)
		if !ok {
			return "", false, fmt.Errorf("step %q: compensation is a %T, %s undoes a %s", s.Name(), record, decl.Name, a.undoType)
		}
		return undo(ctx, s, r)
	}
	return a
}

// Declaration is the action as pipeline files see it.
func (a Action) Declaration() pipeline.Action { return a.decl }

// JobKind is a kind of vendor job AwaitJob can wait for: the activity that
// looks at one such job once, and how often to look.
type JobKind struct {
	Kind string
	// Poll is an activity of the vendor's, taking an activities.PollInput
	// and returning an activities.JobStatus.
	Poll   any
	Policy PollPolicy
}

// Registry is the set of vendors one engine runs: the actions pipelines
// may use, the job kinds their steps wait for, and the activities a worker
// registers. It is built once from an explicit list (Vendors is the
// default one) and handed to Register, so a test or another build can run
// the engine with vendors of its own.
type Registry struct {
	vendors []Vendor
	catalog *pipeline.Catalog
	actions map[string]Action
	jobs    map[string]JobKind
	caps    map[string]int
}

// NewRegistry checks that the vendors fit together (no name twice, each
// action's code takes the structs it was declared with, each job kind can
// be polled) and indexes them.
func NewRegistry(vendors ...Vendor) (*Registry, error) {
	r := &Registry{vendors: vendors, actions: map[string]Action{}, jobs: map[string]JobKind{}, caps: map[string]int{}}
	var decls []pipeline.Action
	seen := map[string]bool{}
	for _, v := range vendors {
		if v.Name == "" || seen[v.Name] {
			return nil, fmt.Errorf("registry: vendor %q is unnamed or listed twice", v.Name)
		}
		seen[v.Name] = true
		if v.Cap > 0 {
			r.caps[v.Name] = v.Cap
		}
		for _, a := range v.Actions {
			d := a.decl
			switch {
			case d.Vendor != v.Name:
				return nil, fmt.Errorf("registry: action %s is declared for vendor %q but listed by %s", d.Name, d.Vendor, v.Name)
			case a.run == nil:
				return nil, fmt.Errorf("registry: action %s has no workflow code", d.Name)
			case d.InputStruct() != a.in || d.OutputStruct() != a.out:
				return nil, fmt.Errorf("registry: action %s is declared with %v and %v but its code takes %v and returns %v",
					d.Name, d.InputStruct(), d.OutputStruct(), a.in, a.out)
			case (a.undo != nil) != (d.Inverse != ""):
				return nil, fmt.Errorf("registry: action %s: its declaration's Inverse (%q) and its code's inverse disagree", d.Name, d.Inverse)
			}
			r.actions[d.Name] = a
			decls = append(decls, d)
		}
		for _, j := range v.Jobs {
			if _, dup := r.jobs[j.Kind]; dup || j.Kind == "" || j.Poll == nil {
				return nil, fmt.Errorf("registry: job kind %q of %s is unnamed, listed twice or has no poll activity", j.Kind, v.Name)
			}
			r.jobs[j.Kind] = j
		}
	}
	cat, err := pipeline.NewCatalog(decls...)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	r.catalog = cat
	return r, nil
}

// Catalog is the registry's actions as the pipeline parser takes them.
func (r *Registry) Catalog() *pipeline.Catalog { return r.catalog }

// Vendors are the registry's vendors, in the order it was built with.
func (r *Registry) Vendors() []Vendor { return r.vendors }

// Default is the registry of the default vendors (Vendors), built on first
// use.
func Default() *Registry {
	defaultRegistry.once.Do(func() {
		r, err := NewRegistry(Vendors()...)
		if err != nil {
			panic(err) // a mistake in the default list, which every test finds
		}
		defaultRegistry.reg = r
	})
	return defaultRegistry.reg
}

var defaultRegistry struct {
	once sync.Once
	reg  *Registry
}

// ActivityVendor is the vendor whose activities include activityType, or
// "" for an activity of no vendor's.
func (r *Registry) ActivityVendor(activityType string) string {
	for _, v := range r.vendors {
		if v.Activities == nil {
			continue
		}
		if _, ok := reflect.TypeOf(v.Activities).MethodByName(activityType); ok {
			return v.Name
		}
	}
	return ""
}
