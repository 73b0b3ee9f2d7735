package pipeline

import "strings"

// OCI's actions: OCI Identity's CreateCompartment and OCI Core's
// ChangeImageCompartment.
const (
	ActionOCICreateCompartment = "oci.create_compartment"
	ActionOCIMoveImage         = "oci.move_image"
)

// OCICreateCompartmentInput is what oci.create_compartment takes.
type OCICreateCompartmentInput struct {
	ParentID     string            `json:"parent_compartment_id" required:"true" doc:"OCID of the parent compartment or tenancy"`
	Name         string            `json:"name" required:"true" doc:"compartment name, unique in the parent"`
	Description  string            `json:"description" required:"true" doc:"compartment description"`
	FreeformTags map[string]string `json:"freeform_tags" doc:"free-form tags"`
}

// OCICreateCompartmentOutput is the compartment, and whether this step
// created it ("true") or reused one ("false").
type OCICreateCompartmentOutput struct {
	CompartmentID string `json:"compartment_id"`
	Created       string `json:"created"`
}

// OCIMoveImageInput is what oci.move_image takes.
type OCIMoveImageInput struct {
	ImageID       string `json:"image_id" required:"true" doc:"OCID of the image"`
	CompartmentID string `json:"compartment_id" required:"true" doc:"OCID of the destination compartment"`
}

// OCIMoveImageOutput is where the image is now and where it was.
type OCIMoveImageOutput struct {
	ImageID               string `json:"image_id"`
	CompartmentID         string `json:"compartment_id"`
	PreviousCompartmentID string `json:"previous_compartment_id"`
}

// OCICreateCompartment and OCIMoveImage declare OCI's actions.
var (
	OCICreateCompartment = Declare[OCICreateCompartmentInput, OCICreateCompartmentOutput](Action{
		Name:   ActionOCICreateCompartment,
		Vendor: "oci", API: "OCI Identity",
		Doc: "Create a compartment (POST /20160918/compartments) and wait until it is ACTIVE. A compartment of the same name in the parent is reused.",
	}, map[string]*Rule{"parent_compartment_id": ociCompartmentID, "name": ociCompartmentName, "description": ociCompartmentDescription})
	OCIMoveImage = Declare[OCIMoveImageInput, OCIMoveImageOutput](Action{
		Name:   ActionOCIMoveImage,
		Vendor: "oci", API: "OCI Core",
		Doc:     "Move an image to another compartment (POST /20160918/images/{imageId}/actions/changeCompartment) with the etag just read as if-match.",
		Inverse: "moves the image back to the compartment it came from",
	}, map[string]*Rule{"compartment_id": ociCompartmentID})
)

// OCI's documented rules, by the inputs that carry them.
var (
	// OCI Identity, "Renaming a Compartment": "a maximum of 100
	// characters, including letters, numbers, periods, hyphens, and
	// underscores"; CreateCompartmentDetails.name is 1 to 100 long.
	// Unverified: that "letters" means ASCII letters only.
	ociCompartmentName = &Rule{Vendor: "OCI", Field: "compartment names", MinLen: 1, MaxLen: 100, Example: "gold-images",
		Allowed:    func(c rune) bool { return asciiAlnum(c) || strings.ContainsRune("._-", c) },
		AllowedDoc: "letters, digits, '.', '-' and '_'"}
	// CreateCompartmentDetails.description: 1 to 400.
	ociCompartmentDescription = &Rule{Vendor: "OCI", Field: "compartment descriptions", MinLen: 1, MaxLen: 400, Example: "Gold images"}
	// ChangeImageCompartmentDetails.compartmentId: 1 to 255. Unverified:
	// CreateCompartmentDetails.compartmentId documents no length; the same
	// is assumed.
	ociCompartmentID = &Rule{Vendor: "OCI", Field: "compartment OCIDs", MinLen: 1, MaxLen: 255, Example: "ocid1.compartment.oc1..aaaa"}
)
