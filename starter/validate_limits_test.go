package main

import (
	"strings"
	"testing"
)

// Files that validate once accepted and that then never progressed (or
// failed to start with a gRPC size error, exit 1) are input errors now:
// exit 2, located, before anything starts.
func TestValidate_FilesThatCannotRunExitTwoWithTheirLine(t *testing.T) {
	move := "  - id: move\n    uses: oci.move_image\n    with: {image_id: ocid1.image.oc1..a, compartment_id: ocid1.compartment.oc1..b}\n"
	for name, tt := range map[string]struct{ src, want string }{
		"50 MB description": {"name: big\ndescription: " + strings.Repeat("d", 50<<20) + "\nsteps:\n" + move,
			":2:262135: the file is larger than 262144 bytes"},
		"max_attempts past int32": {"name: retry\nsteps:\n" + move + "    retry: {max_attempts: 2147483648}\n",
			`:6:27: step "move": retry.max_attempts: 2147483648 is more than 100`},
		"2,000-character item": {"name: item\nsteps:\n  - id: attrs\n    uses: zstack.update_image\n    for_each: [" + strings.Repeat("a", 2000) + "]\n    with: {image_uuid: \"${{ item }}\"}\n",
			`:5:16: step "attrs": for_each[0]: the item names its activities and child workflows and is 2000 bytes; at most 255`},
		"second document": {"name: one\nsteps:\n" + move + "---\nname: two\n",
			":6:1: a second YAML document starts here"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := starter(t, "validate", "-f", writeFile(t, tt.src))
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
			}
			if !strings.Contains(errOut, "nothing started") || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%.600s", tt.want, errOut)
			}
		})
	}
}
