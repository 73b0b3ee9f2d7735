package workflows_test

import (
	"go.temporal.io/sdk/activity"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/workflows"
)

// behaviors records the versioning behavior each workflow is registered with.
type behaviors struct {
	worker.Registry // nil: any other registration fails the test by panicking
	got             map[string]workflow.VersioningBehavior
}

func (b *behaviors) RegisterWorkflow(w any) {
	b.RegisterWorkflowWithOptions(w, workflow.RegisterOptions{})
}

func (b *behaviors) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	name := o.Name
	if name == "" {
		full := runtime.FuncForPC(reflect.ValueOf(w).Pointer()).Name()
		name = full[strings.LastIndex(full, ".")+1:]
	}
	b.got[name] = o.VersioningBehavior
}

func (b *behaviors) RegisterActivity(any) {}

func (b *behaviors) RegisterActivityWithOptions(any, activity.RegisterOptions) {}

// A versioned worker runs a pipeline and every child it starts on the
// version the pipeline started on: each workflow type is pinned, none left
// to a default.
func TestRegister_PipelineAndItsChildrenArePinnedToTheirVersion(t *testing.T) {
	b := &behaviors{got: map[string]workflow.VersioningBehavior{}}
	workflows.Register(b, workflows.Default())
	for _, name := range []string{"ImagePipeline", "AwaitJob", "NameLock", "NameLockWait"} {
		if _, ok := b.got[name]; !ok {
			t.Errorf("%s not registered", name)
		}
	}
	for name, behavior := range b.got {
		if behavior != workflow.VersioningBehaviorPinned {
			t.Errorf("%s registered with versioning behavior %d, want pinned (%d)", name, behavior, workflow.VersioningBehaviorPinned)
		}
	}
}

// The SDK refuses, by panicking, to register a workflow without a
// versioning behavior on a worker that has a deployment version: without
// one each, IMAGEPIPE_DEPLOYMENT_NAME would crash the worker at start.
func TestRegister_OnAVersionedWorkerStarts(t *testing.T) {
	c, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "imagepipe-register-test", worker.Options{DeploymentOptions: worker.DeploymentOptions{
		UseVersioning: true,
		Version:       worker.WorkerDeploymentVersion{DeploymentName: "imagepipe", BuildID: "v1"},
	}})
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("registering on a versioned worker: %v", p)
		}
	}()
	workflows.Register(w, workflows.Default())
}
