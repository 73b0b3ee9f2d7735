package main

import (
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestNewActivities_UnconfiguredVendorsAreLeftNil(t *testing.T) {
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	acts, err := newActivities(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	// A nil client must stay a nil interface, or steps would call through it.
	if acts.OCI != nil || acts.FPP != nil || acts.Huawei != nil || acts.ZStack != nil {
		t.Fatalf("activities = %+v, want no vendor configured", acts)
	}
}

func TestNewActivities_IncompleteVendorSettingsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"IMAGEPIPE_FPP_ENDPOINT": "https://fpp.example:8894"}, "IMAGEPIPE_FPP_"},
		{map[string]string{"IMAGEPIPE_HUAWEI_ENDPOINT": "https://ims.example", "IMAGEPIPE_HUAWEI_PROJECT_ID": "p"}, "IMAGEPIPE_HUAWEI_"},
		{map[string]string{"IMAGEPIPE_ZSTACK_ENDPOINT": "http://zstack.example:8080"}, "IMAGEPIPE_ZSTACK_"},
		{map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": "/nonexistent/oci/config"}, "IMAGEPIPE_OCI_CONFIG_FILE"},
		{map[string]string{"IMAGEPIPE_STOP_TIMEOUT": "soon"}, "IMAGEPIPE_STOP_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := loadConfig()
			if err == nil {
				_, err = newActivities(cfg, zap.NewNop())
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}
