package workflows_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// landThenCancel lets the first request matching method and path reach the
// vendor, which acts on it, then cancels the pipeline and loses the
// answer: the pipeline is cancelled while the call is in flight and cannot
// know whether it landed. cancel is read when the request arrives.
func landThenCancel(method, pathPart string, cancel *func()) testenv.Wrap {
	var once sync.Once
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || r.Method != method || !strings.Contains(r.URL.Path, pathPart) {
				return resp, err
			}
			hit := false
			once.Do(func() { hit = true })
			if !hit {
				return resp, nil
			}
			resp.Body.Close()
			(*cancel)()
			return nil, testenv.ErrAnswerLost
		})
	}
}

const updateSpec = `name: update
on_failure: rollback
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: ` + zstackImage + `, name: gold-centos-v2, description: Approved}
`

// zstackRestored fails the test unless the ZStack image has the name and
// description it had before the pipeline, once every job it started has
// had time to finish.
func (f *fixture) zstackRestored(t *testing.T) {
	t.Helper()
	f.wait(time.Hour)
	if img, _ := f.zstack.Sim.Image(zstackImage); img.Name != zstackBefore || img.Description != "" {
		t.Errorf("zstack image = %q %q, want the name and description from before (%q, none)", img.Name, img.Description, zstackBefore)
	}
}

func TestImagePipeline_CancelDuringTheZStackUpdateCallRestoresTheAttributes(t *testing.T) {
	var cancel func()
	f := newFixture(t, options{jobDuration: 5 * time.Minute, wrap: map[string]testenv.Wrap{
		"zstack": landThenCancel(http.MethodPut, "/actions", &cancel),
	}})
	cancel = f.env.CancelWorkflow
	_, err := f.run(t, parse(t, updateSpec))
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want the pipeline cancelled", err)
	}
	f.zstackRestored(t)
	if p := f.progress(t); len(p.Rollback) != 1 || !strings.HasPrefix(p.Rollback[0], "attributes: restored") {
		t.Errorf("rollback = %q, want the attributes restored", p.Rollback)
	}
}

func TestImagePipeline_CancelDuringTheZStackJobWaitRestoresTheAttributes(t *testing.T) {
	f := newFixture(t, options{jobDuration: 10 * time.Minute})
	f.at(2*time.Minute, f.env.CancelWorkflow)
	_, err := f.run(t, parse(t, updateSpec))
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want the pipeline cancelled", err)
	}
	f.zstackRestored(t)
	if got := f.zstack.Sim.AppliedUpdates(zstackImage); got != 2 {
		t.Errorf("%d updates applied, want the update and its restore", got)
	}
}

// A step that times out while its job runs has changed the image all the
// same once the job ends; rollback waits for that and restores.
func TestImagePipeline_StepTimeoutDuringTheZStackJobRestoresTheAttributes(t *testing.T) {
	f := newFixture(t, options{jobDuration: 10 * time.Minute})
	_, err := f.run(t, parse(t, strings.Replace(updateSpec, "    uses: zstack.update_image\n", "    uses: zstack.update_image\n    timeout: 2m\n", 1)))
	if err == nil || !strings.Contains(err.Error(), "2m0s") {
		t.Fatalf("err = %v, want the step timed out", err)
	}
	f.zstackRestored(t)
}

// A ZStack update the vendor refused, or whose job failed, changed nothing:
// rollback looks, sends nothing, and the pipeline fails with the step's
// error alone.
func TestImagePipeline_RefusedZStackUpdateLeavesNothingToUndo(t *testing.T) {
	for name, refuse := range map[string]func(*fixture){
		"400 on the call": func(f *fixture) {
			f.zstack.Sim.Faults().Inject(zstacksim.OpUpdateImage, simkit.Fault{Status: http.StatusBadRequest, Message: "bad request"}, 1)
		},
		"failed job": func(f *fixture) { f.zstack.Sim.FailNextUpdate("backup storage is disconnected") },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, options{jobDuration: time.Minute})
			refuse(f)
			_, err := f.run(t, parse(t, updateSpec))
			var app *temporal.ApplicationError
			if !errors.As(err, &app) || app.Type() != workflows.ErrPipelineFailed {
				t.Fatalf("err = %v, want the step's failure and a clean rollback", err)
			}
			if got := f.zstack.Sim.Calls(zstacksim.OpUpdateImage); got != 1 {
				t.Errorf("UpdateImage sent %d times, want once (no restore of what never changed)", got)
			}
			f.zstackRestored(t)
			if p := f.progress(t); len(p.Rollback) != 1 || !strings.Contains(p.Rollback[0], "nothing to undo") {
				t.Errorf("rollback = %q, want nothing to undo", p.Rollback)
			}
		})
	}
}

const moveSpec = `name: move
on_failure: rollback
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + tenancyID + `, name: staging, description: Staging}
  - id: move
    uses: oci.move_image
    retry: {max_attempts: 2}
    with: {image_id: ` + imageID + `, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`

// A move whose answer never came back may have happened: when the step
// then fails, or the pipeline is cancelled, rollback moves the image back.
func TestImagePipeline_MoveWhoseAnswerWasLostIsMovedBack(t *testing.T) {
	t.Run("step fails", func(t *testing.T) {
		f := newFixture(t, options{activation: time.Minute, wrap: map[string]testenv.Wrap{
			"oci": testenv.LoseAnswer(http.MethodPost, "/actions/changeCompartment", 2),
		}})
		if _, err := f.run(t, parse(t, moveSpec)); err == nil || !strings.Contains(err.Error(), "answer lost") {
			t.Fatalf("err = %v, want the move failed on its lost answers", err)
		}
		if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID || img.Moves != 2 {
			t.Errorf("image in %s after %d moves, want back in the tenancy after 2", img.CompartmentID, img.Moves)
		}
	})
	t.Run("pipeline cancelled", func(t *testing.T) {
		var cancel func()
		f := newFixture(t, options{activation: time.Minute, wrap: map[string]testenv.Wrap{
			"oci": landThenCancel(http.MethodPost, "/actions/changeCompartment", &cancel),
		}})
		cancel = f.env.CancelWorkflow
		if _, err := f.run(t, parse(t, moveSpec)); !temporal.IsCanceledError(err) {
			t.Fatalf("err = %v, want the pipeline cancelled", err)
		}
		if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID || img.Moves != 2 {
			t.Errorf("image in %s after %d moves, want back in the tenancy after 2", img.CompartmentID, img.Moves)
		}
	})
}

// A move OCI refused (a stale etag) never happened: rollback finds the
// image where it was and leaves it.
func TestImagePipeline_RefusedMoveLeavesNothingToUndo(t *testing.T) {
	f := newFixture(t, options{activation: time.Minute})
	f.oci.Sim.Faults().Inject("ChangeImageCompartment", simkit.Fault{Status: http.StatusPreconditionFailed, Code: "NoEtagMatch", Message: "etag mismatch"}, 1)
	_, err := f.run(t, parse(t, moveSpec))
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrPipelineFailed {
		t.Fatalf("err = %v, want the step's failure and a clean rollback", err)
	}
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID || img.Moves != 0 {
		t.Errorf("image in %s after %d moves, want untouched in the tenancy", img.CompartmentID, img.Moves)
	}
	p := f.progress(t)
	if len(p.Rollback) != 1 || !strings.Contains(p.Rollback[0], "nothing to undo") {
		t.Errorf("rollback = %q, want nothing to undo", p.Rollback)
	}
	if st, _ := p.Step("move"); st.State != workflows.StepFailed {
		t.Errorf("move is %s, want failed (nothing was rolled back)", st.State)
	}
}

// Each item of a fan-out step owes its own compensation: cancelled while
// their jobs run, every item's update is undone.
func TestImagePipeline_CancelledFanOutRestoresEveryItem(t *testing.T) {
	const second = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	f := newFixture(t, options{jobDuration: 10 * time.Minute})
	f.zstack.Sim.AddImage(zstacksim.Image{UUID: second, Name: "gold-ubuntu", Description: "Ubuntu gold", Platform: "Linux", Architecture: "x86_64"})
	f.at(2*time.Minute, f.env.CancelWorkflow)
	_, err := f.run(t, parse(t, `name: fan
on_failure: rollback
steps:
  - id: attributes
    uses: zstack.update_image
    for_each: [`+zstackImage+`, `+second+`]
    with: {image_uuid: "${{ item }}", description: Approved}
`))
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want the pipeline cancelled", err)
	}
	f.zstackRestored(t)
	if img, _ := f.zstack.Sim.Image(second); img.Description != "Ubuntu gold" {
		t.Errorf("second image's description = %q, want the one from before", img.Description)
	}
	st, _ := f.progress(t).Step("attributes")
	for _, it := range st.Items {
		if it.State != workflows.StepRolledBack {
			t.Errorf("item %s is %s, want rolled back", it.Item, it.State)
		}
	}
}
