package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/activities"
)

// secretCase is one secret setting, the variables that turn its vendor on,
// and where the loaded value lands.
type secretCase struct {
	variable string
	others   map[string]string
	got      func(config) string
}

var secretCases = []secretCase{
	{"IMAGEPIPE_FPP_PASSWORD",
		map[string]string{"IMAGEPIPE_FPP_ENDPOINT": "https://fpp.example:8894", "IMAGEPIPE_FPP_USERNAME": "rest"},
		func(c config) string { return c.settingsOf("fpp").(*activities.FPPSettings).Password }},
	{"IMAGEPIPE_HUAWEI_ACCESS_KEY",
		map[string]string{"IMAGEPIPE_HUAWEI_ENDPOINT": "https://ims.example", "IMAGEPIPE_HUAWEI_PROJECT_ID": "p1", "IMAGEPIPE_HUAWEI_SECRET_KEY": "sk"},
		func(c config) string { return c.settingsOf("huawei").(*activities.HuaweiSettings).AccessKey }},
	{"IMAGEPIPE_HUAWEI_SECRET_KEY",
		map[string]string{"IMAGEPIPE_HUAWEI_ENDPOINT": "https://ims.example", "IMAGEPIPE_HUAWEI_PROJECT_ID": "p1", "IMAGEPIPE_HUAWEI_ACCESS_KEY": "ak"},
		func(c config) string { return c.settingsOf("huawei").(*activities.HuaweiSettings).SecretKey }},
	{"IMAGEPIPE_ZSTACK_PASSWORD",
		map[string]string{"IMAGEPIPE_ZSTACK_ENDPOINT": "http://zstack.example:8080", "IMAGEPIPE_ZSTACK_ACCOUNT": "admin"},
		func(c config) string { return c.settingsOf("zstack").(*activities.ZStackSettings).Password }},
}

// settingsOf is the settings the worker read for the named vendor.
func (cfg config) settingsOf(vendor string) activities.Settings {
	for _, v := range cfg.vendors {
		if v.name == vendor {
			return v.settings
		}
	}
	return nil
}

// secretFile writes content to a fresh file and returns its path.
func secretFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func envWith(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// A container or Kubernetes secret mounted as a file gives the secret; the
// newline most files end with is not part of it.
func TestLoadSettings_SecretFromItsFileVariable(t *testing.T) {
	for _, sc := range secretCases {
		t.Run(sc.variable, func(t *testing.T) {
			cleanEnv(t, envWith(sc.others, sc.variable+"_FILE", secretFile(t, "fr0m-file s3cret\n")))
			cfg, acts, err := loadSettings()
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.got(cfg); got != "fr0m-file s3cret" {
				t.Errorf("%s_FILE gave %q, want the file's text without its newline", sc.variable, got)
			}
			if !acts.configured["fpp"] && !acts.configured["huawei"] && !acts.configured["zstack"] {
				t.Error("no vendor configured from the secret file")
			}
		})
	}
}

func TestLoadSettings_SecretFileKeepsInnerLinesAndTrimsCRLF(t *testing.T) {
	sc := secretCases[0]
	cleanEnv(t, envWith(sc.others, sc.variable+"_FILE", secretFile(t, "pass word\r\n")))
	cfg, _, err := loadSettings()
	if err != nil || sc.got(cfg) != "pass word" {
		t.Fatalf("password %q, %v; want %q", sc.got(cfg), err, "pass word")
	}
}

// Both a value and a file is ambiguous: which one wins would be a guess.
func TestLoadSettings_SecretAndItsFileBothSetIsRefusedNamingBoth(t *testing.T) {
	for _, sc := range secretCases {
		t.Run(sc.variable, func(t *testing.T) {
			msg := refused(t, envWith(sc.others, sc.variable, "in-env-s3cret", sc.variable+"_FILE", secretFile(t, "in-file-s3cret\n")),
				sc.variable+" and "+sc.variable+"_FILE", "set one")
			if strings.Contains(msg, "s3cret") {
				t.Errorf("error shows the secret:\n%s", msg)
			}
		})
	}
}

// A vendor that needs the secret and has neither says both ways to give it.
func TestLoadSettings_MissingSecretNamesItsFileVariableToo(t *testing.T) {
	for _, sc := range secretCases {
		t.Run(sc.variable, func(t *testing.T) {
			refused(t, sc.others, sc.variable+" or "+sc.variable+"_FILE")
		})
	}
}

func TestLoadSettings_UnreadableSecretFileNamesTheVariableAndPath(t *testing.T) {
	for _, sc := range secretCases {
		t.Run(sc.variable, func(t *testing.T) {
			absent := filepath.Join(t.TempDir(), "absent")
			msg := refused(t, envWith(sc.others, sc.variable+"_FILE", absent),
				sc.variable+"_FILE="+`"`+absent+`"`, "no such file", "or set "+sc.variable)
			// Reported once: the vendor does not add that the secret is empty.
			if strings.Contains(msg, sc.variable+" or "+sc.variable+"_FILE") {
				t.Errorf("error also calls %s empty:\n%s", sc.variable, msg)
			}
		})
	}
}

// An empty file is an empty secret, refused like an empty variable.
func TestLoadSettings_EmptySecretFileIsAnEmptySecret(t *testing.T) {
	sc := secretCases[0]
	cleanEnv(t, envWith(sc.others, sc.variable+"_FILE", secretFile(t, "\n")))
	_, _, err := loadSettings()
	if err == nil || !strings.Contains(err.Error(), sc.variable+" or "+sc.variable+"_FILE") {
		t.Fatalf("error = %v; want the password refused as empty, naming both variables", err)
	}
}
