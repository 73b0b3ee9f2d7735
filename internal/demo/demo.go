// Package demo is the emulators' seed data: the tenancy, images and accounts
// the example pipelines name. The emulator binary serves it and the tests
// run the examples against it, so examples/ is proven to run as-is.
package demo

import (
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// The ids example pipelines name. They are the emulators' seed data, not
// any real cloud's.
const (
	OCITenancyID      = ocisim.DemoTenancyID
	OCIImageID        = ocisim.DemoImageID
	HuaweiSourceImage = "3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01"
	ZStackImage       = "7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b"
	// ZStack's initial account, which its emulator accepts.
	ZStackAccount  = "admin"
	ZStackPassword = "password"
)

// Timing is how long the emulators' vendor jobs take.
type Timing struct {
	Clock simkit.Clock // nil: the wall clock
	// Activation is how long a new OCI compartment stays CREATING.
	Activation time.Duration
	// Job is how long FPP imports, IMS copies and ZStack updates run.
	Job time.Duration
}

// OCI holds the demo tenancy and its gold image.
func OCI(t Timing) ocisim.Options {
	return ocisim.Options{
		Clock: t.Clock, ActivationDelay: t.Activation, TenancyID: OCITenancyID,
		Images: []ocisim.Image{{ID: OCIImageID, CompartmentID: OCITenancyID, DisplayName: "gold-image-demo"}},
	}
}

// FPP is an FPP server with its default REST user and no images yet.
func FPP(t Timing) fppsim.Options {
	return fppsim.Options{Clock: t.Clock, JobDuration: t.Job}
}

// Huawei is an IMS project holding the source image the examples copy.
func Huawei(t Timing) imssim.Options {
	return imssim.Options{
		Clock: t.Clock, JobDuration: t.Job,
		Images: []imssim.Image{{ID: HuaweiSourceImage, Name: "gold-ubuntu-22.04"}},
	}
}

// ZStack is a management node holding the image the examples update.
func ZStack(t Timing) zstacksim.Options {
	return zstacksim.Options{
		Clock: t.Clock, JobDuration: t.Job,
		Accounts: map[string]string{ZStackAccount: ZStackPassword},
		Images: []zstacksim.Image{{
			UUID: ZStackImage, Name: "gold-centos-7", Description: "CentOS 7 gold image",
			GuestOSType: "CentOS 7", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate",
		}},
	}
}
