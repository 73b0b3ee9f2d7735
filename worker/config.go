package main

import (
	"errors"
	"net"
	"os"
	"reflect"
	"strconv"
	"time"

	"github.com/caarlos0/env/v11"
	"go.uber.org/zap/zapcore"

	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/workflows"
)

// config is everything the worker reads from its environment. A vendor
// whose settings are absent is not configured, and pipeline steps that
// need it fail saying so.
type config struct {
	// temporal is the Temporal connection, task queue and payload
	// encryption, read by package temporalconf as the starter reads them
	// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
	// TEMPORAL_TLS_*, TEMPORAL_PROFILE: the Temporal SDK's own environment
	// configuration; IMAGEPIPE_TASK_QUEUE; IMAGEPIPE_CODEC_KEYS ...).
	temporal temporalconf.Config
	// TaskQueue is temporal.TaskQueue, from IMAGEPIPE_TASK_QUEUE.
	TaskQueue   string
	LogLevel    string        `env:"IMAGEPIPE_LOG_LEVEL" envDefault:"info"`
	LogFormat   string        `env:"IMAGEPIPE_LOG_FORMAT" envDefault:"console"`
	StopTimeout time.Duration `env:"IMAGEPIPE_STOP_TIMEOUT" envDefault:"30s"`
	// MaxConcurrentActivities bounds the vendor calls this worker makes at once.
	MaxConcurrentActivities int `env:"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES" envDefault:"100"`
	// WorkflowCacheSize bounds the workflows the worker keeps in memory
	// between their tasks (the SDK's sticky cache; see cache.go).
	WorkflowCacheSize int `env:"IMAGEPIPE_WORKFLOW_CACHE_SIZE" envDefault:"500"`
	// MaxConcurrentWorkflowTasks bounds the workflow tasks it runs at once
	// (the SDK's default, 1,000, unless set).
	MaxConcurrentWorkflowTasks int `env:"IMAGEPIPE_MAX_CONCURRENT_WORKFLOW_TASKS" envDefault:"1000"`
	// MetricsAddr is where the worker serves /metrics (Prometheus),
	// /healthz and /readyz; empty serves none of them.
	MetricsAddr string `env:"IMAGEPIPE_METRICS_ADDR"`
	// DeploymentName turns Worker Versioning on: the worker joins this
	// Worker Deployment as version BuildID, which defaults to the binary's
	// own version (deployment.go).
	DeploymentName string `env:"IMAGEPIPE_DEPLOYMENT_NAME"`
	BuildID        string `env:"IMAGEPIPE_BUILD_ID"`

	// vendors are the settings of each of the registry's vendors
	// (workflows.Vendor.Settings), read under their own prefixes.
	vendors []vendorSettings

	// unreadableSecrets are the secrets whose _FILE could not be read,
	// already reported, so their vendors do not report them empty too.
	unreadableSecrets map[string]bool
}

// goodValue says what a good value of each typed setting looks like.
var goodValue = map[string]string{
	"StopTimeout":                "how long running activities may go on after a stop signal, a duration of zero or more such as 30s or 2m",
	"MaxConcurrentActivities":    "a whole number of at least 1, such as 100",
	"WorkflowCacheSize":          "a whole number of at least 1, such as 500 (workflows kept in memory between tasks)",
	"MaxConcurrentWorkflowTasks": "a whole number of at least 1, such as 1000",
	"LogLevel":                   "debug, info, warn or error",
	"LogFormat":                  "json (for log collectors) or console (for people)",
	"MetricsAddr":                "host:port to serve /metrics, /healthz and /readyz on, such as :9090 or 127.0.0.1:9090, or empty for none",
	"DeploymentName":             "the Worker Deployment's name, the same for every release, such as imagepipe (no '.' or ':'), or empty for an unversioned worker",
	"BuildID":                    "the release this binary is, such as the git commit or tag it was built from, the same on every worker of that build",
}

// loadConfig reads the environment and checks every setting, returning all
// the problems it finds at once. Vendor settings are checked when their
// clients are built (newActivities).
func loadConfig() (config, error) {
	vars := variables()
	problems := &settingsError{}
	cfg, err := env.ParseAs[config]()
	unparsed := map[string]bool{}
	var agg env.AggregateError
	if errors.As(err, &agg) {
		for _, e := range agg.Errors {
			var pe env.ParseError
			var fe env.LoadFileContentError
			if errors.As(e, &fe) {
				unparsed[fe.Key] = true
				problems.Add("%s", unreadableSecret(fe))
				continue
			}
			if errors.As(e, &pe) && vars[pe.Name] != "" {
				unparsed[pe.Name] = true
				problems.Add("%s=%q: %s; want %s", vars[pe.Name], os.Getenv(vars[pe.Name]), unreadable(pe), goodValue[pe.Name])
				continue
			}
			problems.Add("%v", e)
		}
	} else if err != nil {
		problems.Add("%v", err)
	}
	resolveSecrets(&cfg, reflect.ValueOf(&cfg).Elem(), "", unparsed, problems)
	cfg.vendors = readVendorSettings(&cfg, workflows.Default().Vendors(), problems)
	bad := func(field, why string) {
		problems.Add("%s=%q: %s; want %s", vars[field], os.Getenv(vars[field]), why, goodValue[field])
	}
	if !unparsed["StopTimeout"] && cfg.StopTimeout < 0 {
		bad("StopTimeout", "negative")
	}
	if !unparsed["MaxConcurrentActivities"] && cfg.MaxConcurrentActivities < 1 {
		bad("MaxConcurrentActivities", "no activity could ever run")
	}
	if !unparsed["WorkflowCacheSize"] && cfg.WorkflowCacheSize < 1 {
		bad("WorkflowCacheSize", "no workflow could stay cached")
	}
	if !unparsed["MaxConcurrentWorkflowTasks"] && cfg.MaxConcurrentWorkflowTasks < 1 {
		bad("MaxConcurrentWorkflowTasks", "no workflow task could ever run")
	}
	if _, err := zapcore.ParseLevel(cfg.LogLevel); err != nil {
		bad("LogLevel", "not a log level")
	}
	if cfg.LogFormat != "json" && cfg.LogFormat != "console" {
		bad("LogFormat", "not a log format")
	}
	if cfg.MetricsAddr != "" {
		if why := badListenAddr(cfg.MetricsAddr); why != "" {
			bad("MetricsAddr", why)
		}
	}
	checkDeployment(&cfg, vars, problems)
	checkNotifyVariables(os.Environ(), problems)
	return cfg, problems.Err()
}

// badListenAddr says what is wrong with addr as a TCP address to listen
// on, or "" when nothing is.
func badListenAddr(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "not host:port"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "port " + strconv.Quote(port) + " is not a number from 0 to 65535"
	}
	return ""
}

// unreadable says why a value could not be read as its setting's type.
func unreadable(pe env.ParseError) string {
	switch pe.Type {
	case reflect.TypeFor[time.Duration]():
		return "not a duration"
	case reflect.TypeFor[int]():
		return "not a whole number"
	}
	return pe.Err.Error()
}
