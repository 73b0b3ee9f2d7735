package workflows_test

import (
	"strings"
	"testing"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// The default registry lists every built-in vendor's actions, and nothing
// else but the engine's approval.
func TestDefault_ListsTheBuiltInVendorsActions(t *testing.T) {
	var got []string
	for _, a := range workflows.Default().Catalog().Actions() {
		got = append(got, a.Name)
	}
	want := "fpp.import_image huawei.copy_image imagepipe.approval oci.create_compartment oci.move_image zstack.update_image"
	if strings.Join(got, " ") != want {
		t.Errorf("default actions = %v, want %s", got, want)
	}
	if v := workflows.Default().Catalog().Vendors(); strings.Join(v, " ") != "fpp huawei oci zstack" {
		t.Errorf("default vendors = %v", v)
	}
}

// A vendor whose pieces do not fit together is refused when the registry
// is built, naming the action or job kind, instead of failing a pipeline.
func TestNewRegistry_RefusesAVendorWhosePiecesDisagree(t *testing.T) {
	type otherInput struct {
		Name string `json:"name"`
	}
	wrongInput := workflows.NewAction(pipeline.FPPImportImage,
		func(workflow.Context, *workflows.Step, otherInput) (pipeline.FPPImportImageOutput, error) {
			return pipeline.FPPImportImageOutput{}, nil
		})
	noInverse := workflows.NewAction(pipeline.OCIMoveImage,
		func(workflow.Context, *workflows.Step, pipeline.OCIMoveImageInput) (pipeline.OCIMoveImageOutput, error) {
			return pipeline.OCIMoveImageOutput{}, nil
		})
	poll := func() {}
	for _, tc := range []struct {
		name   string
		vendor workflows.Vendor
		want   string
	}{
		{"code takes other inputs", workflows.Vendor{Name: "fpp", Actions: []workflows.Action{wrongInput}}, "fpp.import_image is declared with"},
		{"inverse declared, none coded", workflows.Vendor{Name: "oci", Actions: []workflows.Action{noInverse}}, "oci.move_image: its declaration's Inverse"},
		{"action of another vendor", workflows.Vendor{Name: "zstack", Actions: []workflows.Action{noInverse}}, `declared for vendor "oci" but listed by zstack`},
		{"job kind twice", workflows.Vendor{Name: "x", Jobs: []workflows.JobKind{{Kind: "x.job", Poll: poll}, {Kind: "x.job", Poll: poll}}}, `job kind "x.job"`},
		{"job kind without a poll", workflows.Vendor{Name: "x", Jobs: []workflows.JobKind{{Kind: "x.job"}}}, `job kind "x.job"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workflows.NewRegistry(tc.vendor)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewRegistry: err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := workflows.NewRegistry(workflows.OCIVendor(), workflows.OCIVendor()); err == nil {
		t.Error("NewRegistry took the same vendor twice")
	}
}
