package taskqueue_test

import (
	"os"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/internal/taskqueue"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestFromEnv_UnsetIsTheDefaultQueue(t *testing.T) {
	t.Setenv(taskqueue.Variable, "") // restored after the test
	if err := os.Unsetenv(taskqueue.Variable); err != nil {
		t.Fatal(err)
	}
	got, err := taskqueue.FromEnv()
	if err != nil || got != workflows.TaskQueue {
		t.Fatalf("FromEnv() = %q, %v; want %q", got, err, workflows.TaskQueue)
	}
}

func TestFromEnv_SetIsThatQueue(t *testing.T) {
	t.Setenv(taskqueue.Variable, "imagepipe-eu")
	if got, err := taskqueue.FromEnv(); err != nil || got != "imagepipe-eu" {
		t.Fatalf("FromEnv() = %q, %v; want imagepipe-eu", got, err)
	}
}

func TestFromEnv_UnusableValueNamesTheVariable(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"empty", "", "empty task queue"},
		{"blank", "   ", "empty task queue"},
		{"stray blank", "imagepipe ", "trailing blank"},
		{"invalid UTF-8", "image\xffpipe", "UTF-8"},
		{"too long", strings.Repeat("q", 1001), "over Temporal's limit of 1000"},
		{"reserved prefix", "/_sys/imagepipe", "reserves"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(taskqueue.Variable, tt.value)
			got, err := taskqueue.FromEnv()
			if err == nil {
				t.Fatalf("FromEnv() = %q, accepted", got)
			}
			for _, want := range []string{taskqueue.Variable + "=", tt.want, "such as imagepipe"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
