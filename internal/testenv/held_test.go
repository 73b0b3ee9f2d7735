package testenv

import (
	"slices"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Held reports an IMS copy made twice, a copy no pipeline asked for, and
// what a pipeline that says it succeeded did not leave; for a pipeline
// that failed, what is absent is not missing.
func TestHeld_CountsTwiceMadeUnaskedAndMissingResources(t *testing.T) {
	v := ServeVendors(t, ServedOptions{})
	ims := huaweitest.Sim(v)
	ims.AddImage(huaweisim.Image{ID: "c0ffee00-0000-4000-8000-000000000001", Name: "p1-copy"})
	ims.AddImage(huaweisim.Image{ID: "c0ffee00-0000-4000-8000-000000000002", Name: "p1-copy"})
	ims.AddImage(huaweisim.Image{ID: "c0ffee00-0000-4000-8000-000000000003", Name: "stray"})
	copyOf := func(name string) Want { return Want{Kind: huaweisim.KindImage, Name: name} }
	plans := []Planned{
		{Name: "p1", Leaves: []Want{copyOf("p1-copy")}},
		{Name: "p2", Leaves: []Want{{Kind: fppsim.KindImage, Name: "p2_gold"}, copyOf("p2-copy")}},
		{Name: "p3", Leaves: []Want{copyOf("p3-copy")}},
	}
	dups, missing := v.Held(plans, map[string]bool{"p1": true, "p2": true})
	wantDups := []string{"huawei image p1-copy: 2 of them", "huawei image stray that no pipeline asked for"}
	if !slices.Equal(dups, wantDups) {
		t.Errorf("dups %q, want %q", dups, wantDups)
	}
	wantMissing := []string{"fpp image p2_gold", "huawei image p2-copy"}
	if !slices.Equal(missing, wantMissing) {
		t.Errorf("missing %q, want %q", missing, wantMissing)
	}
}

// Held reads each vendor's rules from its Holdings: a resource changed
// twice is done twice, a succeeded pipeline's resource in another state or
// absent (its job failed) is missing, and a failed pipeline's absent
// resource is neither.
func TestHeld_ChangedTwiceWrongStateAndAbsentResources(t *testing.T) {
	v := &ServedVendors{vendors: []string{"test"}, served: map[string]simkit.Served{"test": {Holdings: func() []simkit.Holding {
		return []simkit.Holding{
			{Kind: "test image", Name: "moved-twice", Changes: 2, State: "p1-comp"},
			{Kind: "test image", Name: "elsewhere", Changes: 1, State: "tenancy"},
			{Kind: "test image", Name: "failed-job", Changes: 1, Absent: true},
			{Kind: "test image", Name: "failed-pipeline", Changes: 1, Absent: true},
			{Kind: "test image", Name: "described", Changes: 1, State: "p2: copy 42"},
		}
	}}}}
	plans := []Planned{
		{Name: "p1", Leaves: []Want{{Kind: "test image", Name: "moved-twice", State: "p1-comp"}, {Kind: "test image", Name: "elsewhere", State: "p1-comp"}}},
		{Name: "p2", Leaves: []Want{{Kind: "test image", Name: "failed-job"}, {Kind: "test image", Name: "described", State: "p2: copy "}}},
		{Name: "p3", Leaves: []Want{{Kind: "test image", Name: "failed-pipeline"}}},
	}
	dups, missing := v.Held(plans, map[string]bool{"p1": true, "p2": true})
	if want := []string{"test image moved-twice: changed 2 times"}; !slices.Equal(dups, want) {
		t.Errorf("dups %q, want %q", dups, want)
	}
	if want := []string{`test image elsewhere "p1-comp"..., it is "tenancy"`, "test image failed-job"}; !slices.Equal(missing, want) {
		t.Errorf("missing %q, want %q", missing, want)
	}
}
