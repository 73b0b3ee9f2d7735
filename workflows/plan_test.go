package workflows_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// mutations counts the emulators' mutating calls: a plan must add none.
func (f *fixture) mutations() map[string]int {
	return map[string]int{
		"oci CreateCompartment":      f.oci.Sim.Calls(ocisim.OpCreateCompartment),
		"oci ChangeImageCompartment": f.oci.Sim.Calls(ocisim.OpChangeImageCompartment),
		"fpp ImportImage":            f.fpp.Sim.Calls(fppsim.OpImportImage),
		"huawei CopyImageInRegion":   f.huawei.Sim.Calls(imssim.OpCopyImageInRegion),
		"zstack UpdateImage":         f.zstack.Sim.Calls(zstacksim.OpUpdateImage),
	}
}

func (f *fixture) plan(t *testing.T, yaml string) workflows.PlanResult {
	t.Helper()
	f.env.ExecuteWorkflow(workflows.PlanPipeline, workflows.PlanInput{Spec: parse(t, yaml)})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("plan did not complete")
	}
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.PlanResult
	if err := f.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func planOf(t *testing.T, res workflows.PlanResult, id string) workflows.StepPlan {
	t.Helper()
	for _, s := range res.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no plan for step %q in %+v", id, res.Steps)
	return workflows.StepPlan{}
}

// Every action plans each of its verbs from read-only lookups: what
// exists is reused or left alone, what does not is created, an image
// elsewhere is moved, differing attributes are changes old → new, and a
// value only a run produces is known after apply. No emulator sees a
// mutating call.
func TestPlanPipeline_EachActionPlansItsVerbsWithoutChangingAnything(t *testing.T) {
	calls := new(testenv.CallLog)
	wrap := map[string]testenv.Wrap{}
	for _, v := range []string{"oci", "fpp", "huawei", "zstack"} {
		wrap[v] = calls.Wrap(v, nil)
	}
	f := newFixture(t, options{wrap: wrap})
	ctx := context.Background()
	if _, err := f.fpp.Client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "db19_gold", Path: "/u01/db"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.huawei.Client.CopyImage(ctx, huaweiims.CopyImageInput{SourceImageID: sourceImage, Name: "copy-made"}); err != nil {
		t.Fatal(err)
	}
	made, err := f.oci.Client.CreateCompartment(ctx, oci.CreateCompartmentInput{ParentID: tenancyID, Name: "made", Description: "d", RetryToken: "plan-test-made"})
	if err != nil {
		t.Fatal(err)
	}
	f.wait(time.Hour) // the import, the copy and the compartment finish
	before := f.mutations()

	res := f.plan(t, `name: plan-all
steps:
  - id: gold
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/db}
  - id: newgold
    uses: fpp.import_image
    with: {image_name: db21_gold, path: /u01/db21}
  - id: copy
    uses: huawei.copy_image
    with: {image_id: `+sourceImage+`, name: copy-made}
  - id: copies
    uses: huawei.copy_image
    for_each: [a, b]
    with: {image_id: `+sourceImage+`, name: "copy-${{ item }}"}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+tenancyID+`, name: gold-images, description: d}
  - id: existing
    uses: oci.create_compartment
    with: {parent_compartment_id: `+tenancyID+`, name: made, description: d}
  - id: move
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
  - id: move-existing
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: "${{ steps.existing.outputs.compartment_id }}"}
  - id: stay
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: `+tenancyID+`}
  - id: rename
    uses: zstack.update_image
    with: {image_uuid: `+zstackImage+`, name: gold-centos-8, platform: Linux}
  - id: same
    uses: zstack.update_image
    with: {image_uuid: `+zstackImage+`, name: `+zstackBefore+`}
  - id: approve
    uses: imagepipe.approval
    with: {message: "ship it?", approvers: [alice, bob]}
`)
	want := map[string]string{
		"gold": workflows.PlanReuse, "newgold": workflows.PlanCreate, "copy": workflows.PlanReuse,
		"copies": workflows.PlanCreate, "compartment": workflows.PlanCreate, "existing": workflows.PlanReuse,
		"move": workflows.PlanMove, "move-existing": workflows.PlanMove, "stay": workflows.PlanNothing,
		"rename": workflows.PlanChange, "same": workflows.PlanNothing, "approve": workflows.PlanApprove,
	}
	for id, verb := range want {
		if got := planOf(t, res, id); got.Verb != verb {
			t.Errorf("step %s plans %q (%s), want %q", id, got.Verb, got.Summary, verb)
		}
	}
	if p := planOf(t, res, "existing"); p.Resource != made.ID {
		t.Errorf("existing reuses %q, want compartment %s", p.Resource, made.ID)
	}
	if p := planOf(t, res, "copy"); p.Resource == "" || !strings.Contains(p.Summary, "copy-made") {
		t.Errorf("copy reuses %q (%s), want the image named copy-made", p.Resource, p.Summary)
	}
	if p := planOf(t, res, "copies"); len(p.Items) != 2 || p.Items[0].Verb != workflows.PlanCreate || p.Items[1].Verb != workflows.PlanCreate {
		t.Errorf("copies' items plan %+v, want each created", p.Items)
	}
	if p := planOf(t, res, "move"); p.From != tenancyID || p.To != workflows.KnownAfterApply {
		t.Errorf("move plans from %q to %q, want from %s to %s", p.From, p.To, tenancyID, workflows.KnownAfterApply)
	}
	if p := planOf(t, res, "move-existing"); p.From != tenancyID || p.To != made.ID {
		t.Errorf("move-existing plans from %q to %q, want from %s to %s", p.From, p.To, tenancyID, made.ID)
	}
	p := planOf(t, res, "rename")
	if len(p.Changes) != 1 || p.Changes[0] != (workflows.Change{Field: "name", Old: zstackBefore, New: "gold-centos-8"}) {
		t.Errorf("rename plans changes %+v, want only name %s → gold-centos-8 (platform is Linux already)", p.Changes, zstackBefore)
	}
	if p := planOf(t, res, "approve"); p.Summary != "waits for approval by alice, bob" {
		t.Errorf("approve plans %q", p.Summary)
	}
	if f := res.Failing(); len(f) != 0 {
		t.Errorf("steps would fail: %v", f)
	}
	if after := f.mutations(); !equalCounts(before, after) {
		t.Errorf("the plan made mutating calls: before %v, after %v", before, after)
	}
	planned := 0
	for _, c := range calls.Calls() {
		if c.WorkflowID == "" {
			continue // the test's own setup
		}
		planned++
		// ZStack's session login is a PUT that changes no resource.
		if c.Method != http.MethodGet && !(c.Vendor == "zstack" && c.Path == "/zstack/v1/accounts/login") {
			t.Errorf("the plan sent %s to %s", c.Op(), c.Vendor)
		}
	}
	if planned == 0 {
		t.Error("the call log saw no call of the plan's")
	}
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// What a run would fail on fails the plan of that step with the vendor's
// code, and the steps needing it would not run; the plan itself succeeds.
func TestPlanPipeline_MissingResourcesWouldFailWithTheVendorsCode(t *testing.T) {
	f := newFixture(t, options{})
	res := f.plan(t, `name: plan-fail
steps:
  - id: missing
    uses: oci.move_image
    with: {image_id: ocid1.image.oc1.iad.aaaaaaaanosuchimage, compartment_id: `+tenancyID+`}
  - id: after
    uses: zstack.update_image
    with: {image_uuid: "${{ steps.missing.outputs.image_id }}", name: x}
  - id: nowhere
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: ocid1.compartment.oc1..aaaaaaaanosuchcompartment}
  - id: nozstack
    uses: zstack.update_image
    with: {image_uuid: 0000000000000000000000000000dead, name: x}
`)
	for id, code := range map[string]string{"missing": "oci.NotAuthorizedOrNotFound", "nowhere": "oci.NotAuthorizedOrNotFound"} {
		if p := planOf(t, res, id); p.Verb != workflows.PlanFail || p.Code != code {
			t.Errorf("step %s plans %q code %q (%s), want %q with %s", id, p.Verb, p.Code, p.Summary, workflows.PlanFail, code)
		}
	}
	if p := planOf(t, res, "nozstack"); p.Verb != workflows.PlanFail || !strings.HasPrefix(p.Code, "zstack.") {
		t.Errorf("nozstack plans %q code %q (%s), want a zstack code", p.Verb, p.Code, p.Summary)
	}
	if p := planOf(t, res, "after"); p.Verb != workflows.PlanNotRun || !strings.Contains(p.Summary, "missing") {
		t.Errorf("after plans %q (%s), want it not run for missing", p.Verb, p.Summary)
	}
	if got := res.Failing(); strings.Join(got, " ") != "missing nowhere nozstack" {
		t.Errorf("Failing() = %v", got)
	}
}

// An action whose vendor gave it no plan shows as unknown; the plan of
// the rest goes on.
func TestPlanPipeline_AnActionWithoutAPlanIsUnknown(t *testing.T) {
	reg, err := workflows.NewRegistry(append(workflows.Vendors(), widgetVendor())...)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := reg.Catalog().Parse("widgets.yaml", []byte(widgetPipeline))
	if err != nil {
		t.Fatal(err)
	}
	sim := newWidgetSim()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	workflows.Register(env, reg, &widgetActivities{client: &widgetClient{url: srv.URL}})
	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{Spec: *spec})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.PlanResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.Verb != workflows.PlanUnknown || s.Summary != "unknown: this action cannot plan" {
			t.Errorf("step %s plans %q (%s), want unknown", s.ID, s.Verb, s.Summary)
		}
	}
	if _, calls := sim.state(); len(calls) != 0 {
		t.Errorf("the plan called the widget API: %v", calls)
	}
}
