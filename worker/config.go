package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/zstack"
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

	OCI    ociConfig    `envPrefix:"IMAGEPIPE_OCI_"`
	FPP    fppConfig    `envPrefix:"IMAGEPIPE_FPP_"`
	Huawei huaweiConfig `envPrefix:"IMAGEPIPE_HUAWEI_"`
	ZStack zstackConfig `envPrefix:"IMAGEPIPE_ZSTACK_"`
}

// fppConfig reaches an FPP server's REST API (HTTPS, port 8894 by default,
// with the server's own CA).
type fppConfig struct {
	Endpoint string `env:"ENDPOINT"`
	Username string `env:"USERNAME"`
	Password string `env:"PASSWORD"`
	CAFile   string `env:"CA_FILE"`
}

func (c fppConfig) client() (*fpp.Client, error) {
	if c.Endpoint == "" {
		return nil, nil
	}
	client, err := fpp.New(fpp.Config{Endpoint: c.Endpoint, Username: c.Username, Password: c.Password, CAFile: c.CAFile})
	if err != nil {
		return nil, fmt.Errorf("IMAGEPIPE_FPP_*: %w", err)
	}
	return client, nil
}

// huaweiConfig is an IMS regional endpoint, a project and an AK/SK pair.
type huaweiConfig struct {
	Endpoint  string `env:"ENDPOINT"`
	ProjectID string `env:"PROJECT_ID"`
	AccessKey string `env:"ACCESS_KEY"`
	SecretKey string `env:"SECRET_KEY"`
}

func (c huaweiConfig) client() (*huaweiims.Client, error) {
	if c.Endpoint == "" {
		return nil, nil
	}
	client, err := huaweiims.New(huaweiims.Config{Endpoint: c.Endpoint, ProjectID: c.ProjectID, AccessKey: c.AccessKey, SecretKey: c.SecretKey})
	if err != nil {
		return nil, fmt.Errorf("IMAGEPIPE_HUAWEI_*: %w", err)
	}
	return client, nil
}

// zstackConfig is a ZStack management node and an account.
type zstackConfig struct {
	Endpoint string `env:"ENDPOINT"`
	Account  string `env:"ACCOUNT"`
	Password string `env:"PASSWORD"`
}

func (c zstackConfig) client() (*zstack.Client, error) {
	if c.Endpoint == "" {
		return nil, nil
	}
	client, err := zstack.New(zstack.Config{Endpoint: c.Endpoint, AccountName: c.Account, Password: c.Password})
	if err != nil {
		return nil, fmt.Errorf("IMAGEPIPE_ZSTACK_*: %w", err)
	}
	return client, nil
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
		return config{}, fmt.Errorf("environment: %s", nameVariables(err))
	}
	return cfg, nil
}

// nameVariables rewrites the env library's errors, which name struct
// fields, to name the variables a user set.
func nameVariables(err error) string {
	vars := map[string][]string{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			if p, ok := f.Tag.Lookup("envPrefix"); ok {
				walk(f.Type, prefix+p)
			} else if name, ok := f.Tag.Lookup("env"); ok {
				vars[f.Name] = append(vars[f.Name], prefix+strings.Split(name, ",")[0])
			}
		}
	}
	walk(reflect.TypeFor[config](), "")
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err.Error()
	}
	var msgs []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) && len(vars[pe.Name]) > 0 {
			msgs = append(msgs, fmt.Sprintf("%s: %v", strings.Join(vars[pe.Name], " or "), pe.Err))
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "; ")
}

// client builds the OCI client, or nil when OCI is not configured.
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
