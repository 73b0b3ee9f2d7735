package pipeline

import "sort"

// Action names: vendor.verb, one per documented vendor call.
const (
	ActionFPPImportImage       = "fpp.import_image"
	ActionHuaweiCopyImage      = "huawei.copy_image"
	ActionZStackUpdateImage    = "zstack.update_image"
	ActionOCICreateCompartment = "oci.create_compartment"
	ActionOCIMoveImage         = "oci.move_image"
	// ActionApproval waits for a person to approve or reject.
	ActionApproval = "imagepipe.approval"
)

// InputType is the shape an action input takes in `with`.
type InputType string

// The input shapes a pipeline file can give.
const (
	TypeString     InputType = "string"
	TypeStringList InputType = "list of strings"
	TypeStringMap  InputType = "map of strings"
)

// Input describes one input of an action.
type Input struct {
	Name     string
	Type     InputType
	Required bool
	Doc      string
	// Rule is what the vendor accepts for a string input; nil when it
	// documents nothing to check before the call.
	Rule *Rule
}

// Action describes what a step's `uses` can name: its inputs, its outputs,
// and how rollback undoes it.
type Action struct {
	Name string
	// Vendor names the vendor the action calls, for concurrency caps: fpp,
	// huawei, zstack, oci; "imagepipe" for steps that call no vendor.
	Vendor string
	// API is the vendor API's full name.
	API     string
	Doc     string
	Inputs  []Input
	Outputs []string
	// Inverse says what rollback does for a completed step of this action;
	// empty when the action has no natural inverse and rollback leaves it.
	Inverse string
}

// Input returns the named input.
func (a Action) Input(name string) (Input, bool) {
	for _, in := range a.Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return Input{}, false
}

// HasOutput reports whether the action produces the named output.
func (a Action) HasOutput(name string) bool {
	for _, o := range a.Outputs {
		if o == name {
			return true
		}
	}
	return false
}

var actions = map[string]Action{
	ActionApproval: {
		Name:   ActionApproval,
		Vendor: "imagepipe", API: "imagepipe",
		Doc: "Wait for a person to approve (the pipeline goes on) or reject (the step fails) through the workflow's approve and reject updates: starter approve|reject ID --step STEP --by NAME. The step's timeout (default 24h) bounds the wait; without a decision the step fails.",
		Inputs: []Input{
			{Name: "message", Type: TypeString, Doc: "what the approver is asked to check"},
			{Name: "approvers", Type: TypeStringList, Doc: "who may decide; anyone when empty", Rule: approverName},
		},
		Outputs: []string{"decision", "decided_by", "comment"},
	},
	ActionFPPImportImage: {
		Name:   ActionFPPImportImage,
		Vendor: "fpp", API: "Oracle Fleet Patching and Provisioning",
		Doc: "Import a gold image from a software home (POST /rhp-restapi/rhp/images) and wait for the FPP job. An image of the same name that already exists is reused.",
		Inputs: []Input{
			{Name: "image_name", Type: TypeString, Required: true, Doc: "name of the gold image to create", Rule: fppImageName},
			{Name: "path", Type: TypeString, Required: true, Doc: "path of the software home to import", Rule: fppPath},
			{Name: "image_type", Type: TypeString, Doc: "FPP image type, e.g. ORACLEDBSOFTWARE"},
			{Name: "client", Type: TypeString, Doc: "FPP client cluster holding the software home"},
		},
		Outputs: []string{"image_name", "job_id"},
	},
	ActionHuaweiCopyImage: {
		Name:   ActionHuaweiCopyImage,
		Vendor: "huawei", API: "Huawei Cloud IMS",
		Doc: "Copy an image within a region (POST /v1/cloudimages/{image_id}/copy) and wait for the IMS job. An image of the target name that already exists is reused.",
		Inputs: []Input{
			{Name: "image_id", Type: TypeString, Required: true, Doc: "ID of the source image"},
			{Name: "name", Type: TypeString, Required: true, Doc: "name of the copy", Rule: imsImageName},
			{Name: "description", Type: TypeString, Doc: "description of the copy", Rule: imsDescription},
			{Name: "cmk_id", Type: TypeString, Doc: "KMS key that encrypts the copy"},
			{Name: "enterprise_project_id", Type: TypeString, Doc: "enterprise project of the copy", Rule: imsEnterpriseProject},
		},
		Outputs: []string{"image_id", "job_id"},
	},
	ActionZStackUpdateImage: {
		Name:   ActionZStackUpdateImage,
		Vendor: "zstack", API: "ZStack Cloud",
		Doc: "Update an image's attributes (PUT /zstack/v1/images/{uuid}/actions, updateImage) and wait for the API job. Attributes left out are unchanged.",
		Inputs: []Input{
			{Name: "image_uuid", Type: TypeString, Required: true, Doc: "UUID of the image"},
			{Name: "name", Type: TypeString, Doc: "new name", Rule: zstackName},
			{Name: "description", Type: TypeString, Doc: "new description", Rule: zstackDescription},
			{Name: "guest_os_type", Type: TypeString, Doc: "new guest OS type", Rule: zstackGuestOSType},
			{Name: "platform", Type: TypeString, Doc: "new platform, e.g. Linux", Rule: zstackPlatform},
			{Name: "architecture", Type: TypeString, Doc: "new architecture, e.g. x86_64", Rule: zstackArchitecture},
			{Name: "system_tags", Type: TypeStringList, Doc: "system tags to set"},
			{Name: "user_tags", Type: TypeStringList, Doc: "user tags to set"},
		},
		Outputs: []string{"image_uuid", "name"},
		Inverse: "restores the attributes the image had before the update",
	},
	ActionOCICreateCompartment: {
		Name:   ActionOCICreateCompartment,
		Vendor: "oci", API: "OCI Identity",
		Doc: "Create a compartment (POST /20160918/compartments) and wait until it is ACTIVE. A compartment of the same name in the parent is reused.",
		Inputs: []Input{
			{Name: "parent_compartment_id", Type: TypeString, Required: true, Doc: "OCID of the parent compartment or tenancy", Rule: ociCompartmentID},
			{Name: "name", Type: TypeString, Required: true, Doc: "compartment name, unique in the parent", Rule: ociCompartmentName},
			{Name: "description", Type: TypeString, Required: true, Doc: "compartment description", Rule: ociCompartmentDescription},
			{Name: "freeform_tags", Type: TypeStringMap, Doc: "free-form tags"},
		},
		Outputs: []string{"compartment_id", "created"},
	},
	ActionOCIMoveImage: {
		Name:   ActionOCIMoveImage,
		Vendor: "oci", API: "OCI Core",
		Doc: "Move an image to another compartment (POST /20160918/images/{imageId}/actions/changeCompartment) with the etag just read as if-match.",
		Inputs: []Input{
			{Name: "image_id", Type: TypeString, Required: true, Doc: "OCID of the image"},
			{Name: "compartment_id", Type: TypeString, Required: true, Doc: "OCID of the destination compartment", Rule: ociCompartmentID},
		},
		Outputs: []string{"image_id", "compartment_id", "previous_compartment_id"},
		Inverse: "moves the image back to the compartment it came from",
	},
}

// Vendors are the vendor names concurrency caps take.
var Vendors = []string{"fpp", "huawei", "oci", "zstack"}

// LookupAction returns the action a step's `uses` names.
func LookupAction(name string) (Action, bool) {
	a, ok := actions[name]
	return a, ok
}

// Actions lists every action, sorted by name.
func Actions() []Action {
	out := make([]Action, 0, len(actions))
	for _, a := range actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// actionNames is the sorted list of action names, for messages.
func actionNames() []string {
	var names []string
	for _, a := range Actions() {
		names = append(names, a.Name)
	}
	return names
}
