package main

import (
	"strings"
	"testing"
)

func TestWorkerSettings_CacheAndWorkflowTaskLimitAreReadAndApplied(t *testing.T) {
	cleanEnv(t, map[string]string{
		"IMAGEPIPE_WORKFLOW_CACHE_SIZE":           "250",
		"IMAGEPIPE_MAX_CONCURRENT_WORKFLOW_TASKS": "40",
		"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES":     "30",
	})
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	var asked []int
	prev := setWorkflowCacheSize
	setWorkflowCacheSize = func(n int) { asked = append(asked, n) }
	t.Cleanup(func() { setWorkflowCacheSize = prev })

	applyWorkflowCache(cfg)
	opts := workerOptions(cfg)
	if len(asked) != 1 || asked[0] != 250 {
		t.Errorf("sticky workflow cache sized %v, want [250] from IMAGEPIPE_WORKFLOW_CACHE_SIZE", asked)
	}
	if opts.MaxConcurrentWorkflowTaskExecutionSize != 40 || opts.MaxConcurrentActivityExecutionSize != 30 {
		t.Errorf("worker options: %d workflow tasks, %d activities at once; want 40 and 30 from the settings",
			opts.MaxConcurrentWorkflowTaskExecutionSize, opts.MaxConcurrentActivityExecutionSize)
	}
}

func TestWorkerSettings_CacheDefaultBoundsMemory(t *testing.T) {
	cleanEnv(t, nil)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	// The SDK's own default, 10,000, is what let memory grow unbounded;
	// 500 kept the worker under 150 MB with 1,000 pipelines in flight.
	if cfg.WorkflowCacheSize != 500 || cfg.MaxConcurrentWorkflowTasks != 1000 {
		t.Errorf("defaults: cache %d, workflow tasks %d; want 500 and 1000", cfg.WorkflowCacheSize, cfg.MaxConcurrentWorkflowTasks)
	}
}

func TestWorkerSettings_ZeroCacheOrWorkflowTasksIsRefusedNamingTheVariable(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_WORKFLOW_CACHE_SIZE": "0", "IMAGEPIPE_MAX_CONCURRENT_WORKFLOW_TASKS": "many"})
	_, err := loadConfig()
	if err == nil {
		t.Fatal("settings accepted, want both refused")
	}
	for _, want := range []string{`IMAGEPIPE_WORKFLOW_CACHE_SIZE="0"`, "at least 1", `IMAGEPIPE_MAX_CONCURRENT_WORKFLOW_TASKS="many"`, "not a whole number"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
