package testenv

import (
	"slices"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// ServeVendors serves each vendor the Options given under its name (the
// sim holds what they seed), points the worker at the credentials they
// give, and lists those credentials, as each emulator declares them, among
// the secrets no log may hold; a vendor given none serves its demo data.
func TestServeVendors_OptionsByVendorNameReachTheSimAndItsSecrets(t *testing.T) {
	v := ServeVendors(t, ServedOptions{Options: map[string]any{
		"fpp": fppsim.Options{Username: "u", Password: "fpp-Secret-1", Images: []fppsim.Image{{Name: "seeded_gold"}}},
	}})
	if imgs := fpptest.Sim(v).Images(); len(imgs) != 1 || imgs[0].Name != "seeded_gold" {
		t.Errorf("FPP emulator holds %+v, want the seeded image", imgs)
	}
	for _, line := range []string{"IMAGEPIPE_FPP_USERNAME=u", "IMAGEPIPE_FPP_PASSWORD=fpp-Secret-1", "IMAGEPIPE_ZSTACK_PASSWORD=" + zstacksim.DemoPassword} {
		if !slices.Contains(v.WorkerEnv, line) {
			t.Errorf("worker env %q lacks %s", v.WorkerEnv, line)
		}
	}
	for _, s := range []string{"fpp-Secret-1", zstacksim.DemoPassword, zstacksim.PasswordHash(zstacksim.DemoPassword), "PRIVATE KEY"} {
		if !slices.Contains(v.Secrets, s) {
			t.Errorf("secrets lack %q", s)
		}
	}
}
