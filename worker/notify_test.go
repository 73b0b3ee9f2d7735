package main

import (
	"strings"
	"testing"
)

// A webhook URL the worker holds is checked at start, and its value
// (which holds the hook's token) never appears in the message.
func TestLoadSettings_BadNotifyURLNamesTheVariableNotItsValue(t *testing.T) {
	cleanEnv(t, map[string]string{
		"IMAGEPIPE_NOTIFY_OPS":   "hooks.example.com/services/s3cret",
		"IMAGEPIPE_NOTIFY_SLACK": "https://hooks.slack.com/services/T0/B0/x",
	})
	_, _, err := loadSettings()
	if err == nil || !strings.Contains(err.Error(), "IMAGEPIPE_NOTIFY_OPS: not an http:// or https:// URL") {
		t.Fatalf("error = %v", err)
	}
	if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "IMAGEPIPE_NOTIFY_SLACK") {
		t.Errorf("error shows a secret or blames a good URL: %v", err)
	}
}

func TestLoadSettings_UIURLLinksNotificationsAndMustBeAURL(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_UI_URL": "https://temporal.example.com"})
	cfg, _, err := loadSettings()
	if err != nil || notifications(cfg).UIURL != "https://temporal.example.com" {
		t.Fatalf("ui url %q, %v", notifications(cfg).UIURL, err)
	}
	cleanEnv(t, map[string]string{"IMAGEPIPE_UI_URL": "temporal:8233"})
	if _, _, err := loadSettings(); err == nil || !strings.Contains(err.Error(), `IMAGEPIPE_UI_URL="temporal:8233"`) {
		t.Fatalf("error = %v", err)
	}
}
