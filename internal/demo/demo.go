// Package demo is the emulators' seed data under the names older tests
// use. The data itself lives with each vendor's emulator (its sim
// package's Demo, served by the emulator binary through simkit.Emulator);
// this package only forwards to it and is to go once nothing imports it.
package demo

import (
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// The ids example pipelines name.
const (
	OCITenancyID      = ocisim.DemoTenancyID
	OCIImageID        = ocisim.DemoImageID
	HuaweiSourceImage = imssim.DemoSourceImage
	ZStackImage       = zstacksim.DemoImage
	ZStackAccount     = zstacksim.DemoAccount
	ZStackPassword    = zstacksim.DemoPassword
)

// Timing is how long the emulators' vendor jobs take.
type Timing = simkit.Timing

// The emulators' demo options.
var (
	OCI    = ocisim.Demo
	FPP    = fppsim.Demo
	Huawei = imssim.Demo
	ZStack = zstacksim.Demo
)
