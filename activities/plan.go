package activities

import (
	"context"
)

// The activities in this file only read. `starter plan` (the PlanPipeline
// workflow) calls them, and nothing else, to say what a run would do
// without changing anything at a vendor; the run's own steps use the
// lookups they already make (FPPImportImage and HuaweiCopyImage look before
// they create), which these share.

// FPPFindImageInput names a gold image.
type FPPFindImageInput struct {
	Step      string `json:"step"`
	ImageName string `json:"image_name"`
}

// FPPImage is whether FPP holds a gold image of the name.
type FPPImage struct {
	Found bool   `json:"found"`
	Name  string `json:"name,omitempty"`
}

// FPPFindImage looks for a gold image by name (GET
// /rhp-restapi/rhp/images/{name}), the look FPPImportImage makes before it
// imports.
func (a *FPP) FPPFindImage(ctx context.Context, in FPPFindImageInput) (FPPImage, error) {
	if a.Client == nil {
		return FPPImage{}, notConfigured(in.Step, VendorFPP)
	}
	_, found, err := a.Client.GetImage(ctx, in.ImageName)
	if err != nil {
		return FPPImage{}, translate(in.Step, "GetImage", err)
	}
	if !found {
		return FPPImage{}, nil
	}
	return FPPImage{Found: true, Name: in.ImageName}, nil
}

// HuaweiFindImageInput names an IMS image by its name.
type HuaweiFindImageInput struct {
	Step string `json:"step"`
	Name string `json:"name"`
}

// HuaweiImage is whether IMS lists an image of the name, and which.
type HuaweiImage struct {
	Found  bool   `json:"found"`
	ID     string `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
}

// HuaweiFindImage looks for an image by name (GET /v2/cloudimages?name=),
// the look HuaweiCopyImage makes before it copies.
func (a *Huawei) HuaweiFindImage(ctx context.Context, in HuaweiFindImageInput) (HuaweiImage, error) {
	if a.Client == nil {
		return HuaweiImage{}, notConfigured(in.Step, VendorHuawei)
	}
	img, found, err := a.Client.FindImageByName(ctx, in.Name)
	if err != nil {
		return HuaweiImage{}, translate(in.Step, "ListImages", err)
	}
	if !found {
		return HuaweiImage{}, nil
	}
	return HuaweiImage{Found: true, ID: img.ID, Status: img.Status}, nil
}

// GetCompartmentInput names an OCI compartment by its OCID.
type GetCompartmentInput struct {
	Step          string `json:"step"`
	CompartmentID string `json:"compartment_id"`
}

// OCIGetCompartment reads a compartment (GET
// /20160918/compartments/{compartmentId}), so a plan can say that a move's
// target does not exist. Unlike OCICompartmentState it believes a 404 at
// once: a plan reads compartments that existed before it started, not ones
// it just created.
func (a *OCI) OCIGetCompartment(ctx context.Context, in GetCompartmentInput) (Compartment, error) {
	if a.Client == nil {
		return Compartment{}, notConfigured(in.Step, VendorOCI)
	}
	c, err := a.Client.GetCompartment(ctx, in.CompartmentID)
	if err != nil {
		return Compartment{}, translate(in.Step, "GetCompartment", err)
	}
	return Compartment{Found: true, ID: c.ID, Name: c.Name, LifecycleState: c.LifecycleState}, nil
}
