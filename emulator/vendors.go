package main

import (
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// emulators are the emulators of the registry's vendors (each declared in
// its sim package, workflows.Vendor.Emulator), in the registry's order.
func emulators() []simkit.Emulator {
	var out []simkit.Emulator
	for _, v := range workflows.Default().Vendors() {
		if v.Emulator != nil {
			out = append(out, v.Emulator())
		}
	}
	return out
}
