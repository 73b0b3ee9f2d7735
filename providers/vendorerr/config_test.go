package vendorerr_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// A Config with several problems reports each, naming the vendor, the
// field (and the config file's key, where the vendor has one), so a caller
// can name its own setting instead.
func TestConfigCheck_ReportsEveryProblemNamingItsField(t *testing.T) {
	check := vendorerr.Vendor{Name: "acme"}.ConfigCheck()
	check.Bad("Endpoint", "empty; want %s", "https://acme.example")
	check.BadKey("KeyFile", "key_file", "required")
	check.Add(nil)
	err := check.Err()
	for _, want := range []string{"acme config: Endpoint: empty; want https://acme.example", "acme config: KeyFile (key_file): required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}
	var ce *vendorerr.ConfigError
	if !errors.As(err, &ce) || ce.Vendor != "acme" || ce.Field != "Endpoint" {
		t.Errorf("first problem %+v, want acme's Endpoint as a *ConfigError", ce)
	}
	if field, problem := ce.ConfigField(); field != "Endpoint" || !strings.HasPrefix(problem, "empty") {
		t.Errorf("ConfigField() = %q, %q", field, problem)
	}
	if (vendorerr.Vendor{Name: "acme"}).ConfigCheck().Err() != nil {
		t.Error("a check with no problem is an error")
	}
}
