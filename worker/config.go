package main

import (
	"fmt"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/imagepipe/imagepipe/providers/oci"
)

// config is everything the worker reads from its environment, besides the
// Temporal connection (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
// TEMPORAL_TLS_*, TEMPORAL_PROFILE: the Temporal SDK's own environment
// configuration). A vendor whose settings are absent is not configured, and
// pipeline steps that need it fail saying so.
type config struct {
	TaskQueue   string        `env:"IMAGEPIPE_TASK_QUEUE" envDefault:"imagepipe"`
	LogLevel    string        `env:"IMAGEPIPE_LOG_LEVEL" envDefault:"info"`
	LogFormat   string        `env:"IMAGEPIPE_LOG_FORMAT" envDefault:"console"`
	StopTimeout time.Duration `env:"IMAGEPIPE_STOP_TIMEOUT" envDefault:"30s"`
	// MaxConcurrentActivities bounds the vendor calls this worker makes at once.
	MaxConcurrentActivities int `env:"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES" envDefault:"100"`

	OCI ociConfig `envPrefix:"IMAGEPIPE_OCI_"`
}

// ociConfig points at an OCI SDK config file (the one the OCI CLI writes).
type ociConfig struct {
	ConfigFile string `env:"CONFIG_FILE"`
	Profile    string `env:"PROFILE" envDefault:"DEFAULT"`
	// Endpoint overrides the Identity and Core endpoints, e.g. to reach the
	// emulator; empty means the region's public endpoints.
	Endpoint string `env:"ENDPOINT"`
}

func loadConfig() (config, error) {
	cfg, err := env.ParseAs[config]()
	if err != nil {
		return config{}, fmt.Errorf("environment: %w", err)
	}
	return cfg, nil
}

// newOCI builds the OCI client, or nil when OCI is not configured.
func (c ociConfig) client() (*oci.Client, error) {
	if c.ConfigFile == "" {
		return nil, nil
	}
	cfg, err := oci.LoadConfigFile(c.ConfigFile, c.Profile)
	if err != nil {
		return nil, fmt.Errorf("IMAGEPIPE_OCI_CONFIG_FILE: %w", err)
	}
	if c.Endpoint != "" {
		cfg.Endpoint = c.Endpoint
	}
	client, err := oci.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("oci: %w", err)
	}
	return client, nil
}
