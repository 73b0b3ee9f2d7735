package pipeline

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParse_EveryExampleMeetsTheVendorRules(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples found")
	}
	for _, f := range files {
		if _, err := ParseFile(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// A literal value the vendor would refuse is a located problem naming the
// vendor's rule, before anything starts.
func TestParse_LiteralsTheVendorRefusesAreLocatedErrors(t *testing.T) {
	tests := []struct {
		name, uses, with, want string
	}{
		{"oci name too long", "oci.create_compartment",
			"{parent_compartment_id: ocid1.tenancy.oc1..a, description: d, name: " + strings.Repeat("n", 101) + "}",
			`with.name: 101 characters; OCI takes at most 100 for compartment names`},
		{"oci name charset", "oci.create_compartment",
			"{parent_compartment_id: ocid1.tenancy.oc1..a, description: d, name: gold images}",
			`with.name: ' ' is not allowed: OCI compartment names take letters, digits, '.', '-' and '_'`},
		{"oci description too long", "oci.create_compartment",
			"{parent_compartment_id: ocid1.tenancy.oc1..a, name: gold, description: " + strings.Repeat("d", 401) + "}",
			`with.description: 401 characters; OCI takes at most 400 for compartment descriptions`},
		{"oci compartment id too long", "oci.move_image",
			"{image_id: ocid1.image.oc1..a, compartment_id: " + strings.Repeat("c", 256) + "}",
			`with.compartment_id: 256 characters; OCI takes at most 255`},
		{"ims name too long", "huawei.copy_image",
			"{image_id: src, name: " + strings.Repeat("n", 129) + "}",
			`with.name: 129 characters; IMS takes at most 128 for image names`},
		{"ims name edge space", "huawei.copy_image",
			`{image_id: src, name: "gold "}`,
			`with.name: IMS image names cannot start or end with a space`},
		{"ims name charset", "huawei.copy_image",
			`{image_id: src, name: "gold/ubuntu"}`,
			`with.name: '/' is not allowed: IMS image names take letters, digits, spaces, '-', '_' and '.'`},
		{"ims description brackets", "huawei.copy_image",
			`{image_id: src, name: gold, description: "<b>gold</b>"}`,
			`with.description: '<' is not allowed in IMS image descriptions`},
		{"ims enterprise project", "huawei.copy_image",
			`{image_id: src, name: gold, enterprise_project_id: default}`,
			`with.enterprise_project_id: "default": IMS takes 0 (the default project) or a project's UUID`},
		{"zstack platform", "zstack.update_image",
			`{image_uuid: u, platform: linux}`,
			`with.platform: "linux": ZStack takes one of Linux, Windows, Other, Paravirtualization, WindowsVirtio`},
		{"zstack name in java characters", "zstack.update_image",
			"{image_uuid: u, name: " + strings.Repeat("😀", 128) + "}",
			`with.name: 256 characters; ZStack takes at most 255 for image names`},
		{"fpp relative path", "fpp.import_image",
			`{image_name: db19, path: u01/db}`,
			`with.path: "u01/db": FPP takes an absolute path for software home paths`},
		{"blank approver", "imagepipe.approval",
			`{approvers: [alice, " "]}`,
			`with.approvers[1]: imagepipe approver names cannot start or end with a space`},
		{"fpp image name", "fpp.import_image",
			`{image_name: "db 19", path: /u01/db}`,
			`with.image_name: ' ' is not allowed: FPP image names take letters, digits, '_', '.' and '-'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := problemsOf(t, "name: rules\nsteps:\n  - id: s\n    uses: "+tt.uses+"\n    with: "+tt.with+"\n")
			wantProblem(t, ps, 5, 0, `step "s": `+tt.want)
		})
	}
}

// Referenced values are checked as far as validate can know them: a
// fan-out item is known, a step's output is not, but the text around it is.
func TestParse_ReferencedValuesAreCheckedAsFarAsTheyAreKnown(t *testing.T) {
	ps := problemsOf(t, `name: refs
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19, path: /u01/db}
  - id: copy
    uses: huawei.copy_image
    for_each: [web, data/ml]
    with:
      image_id: src
      name: ${{ item }}-${{ steps.import.outputs.image_name }}
      description: "<${{ steps.import.outputs.image_name }}>"
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: ocid1.tenancy.oc1..a
      name: `+strings.Repeat("g", 100)+`-${{ run.date }}
      description: nightly
`)
	wantProblem(t, ps, 11, 7, `step "copy": with.name: for_each[1] makes it "data/ml-": '/' is not allowed: IMS image names`)
	wantProblem(t, ps, 12, 7, `step "copy": with.description: '<' is not allowed in IMS image descriptions`)
	wantProblem(t, ps, 17, 7, `step "compartment": with.name: 109 characters; OCI takes at most 100`)
	if len(ps) != 3 {
		t.Errorf("want 3 problems, got:\n%s", ps.Error())
	}

	// A fanned-out step's output is its items' values joined by commas.
	ps = problemsOf(t, `name: joined
steps:
  - id: copy
    uses: huawei.copy_image
    for_each: [web, data]
    with: {image_id: src, name: "${{ item }}"}
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: ocid1.tenancy.oc1..a
      name: "for-${{ steps.copy.outputs.image_id }}"
      description: copies
`)
	wantProblem(t, ps, 11, 7, `step "compartment": with.name: ',' is not allowed: OCI compartment names`)

	// Within the rules once filled in, the same references pass.
	if _, err := Parse("refs.yaml", []byte(`name: refs
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19, path: /u01/db}
  - id: copy
    uses: huawei.copy_image
    for_each: [web, data]
    with: {image_id: src, name: "${{ item }}-${{ steps.import.outputs.image_name }}-${{ run.date }}"}
`)); err != nil {
		t.Fatal(err)
	}
}

func TestCheckInputs_AResolvedValueTheVendorRefusesNamesTheInputAndTheRule(t *testing.T) {
	err := CheckInputs(ActionHuaweiCopyImage, map[string]any{
		"image_id": "src", "name": strings.Repeat("n", 120) + "-20260101-copy", "description": "ok",
	})
	if err == nil || err.Error() != "with.name: 134 characters; IMS takes at most 128 for image names" {
		t.Fatalf("CheckInputs = %v", err)
	}
	if err := CheckInputs(ActionHuaweiCopyImage, map[string]any{"image_id": "src", "name": "gold-20260101"}); err != nil {
		t.Fatalf("CheckInputs refused a good name: %v", err)
	}
}

func TestRule_ExamplesMeetTheirRules(t *testing.T) {
	for _, a := range Actions() {
		for _, in := range a.Inputs {
			if in.Rule == nil {
				continue
			}
			if msg := in.Rule.check(in.Rule.Example, true); msg != "" {
				t.Errorf("%s %s: example %q: %s", a.Name, in.Name, in.Rule.Example, msg)
			}
		}
	}
}
