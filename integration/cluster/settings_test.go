package cluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// scripts/cluster.sh up refuses a bad setting naming the variable, before
// it starts anything (no PostgreSQL, no server, no state written). It needs
// neither the server nor PostgreSQL, so it always runs.
func TestClusterScript_RefusesBadSettingsBeforeStartingAnything(t *testing.T) {
	script := filepath.Join(testenv.RepoRoot(), "scripts", "cluster.sh")
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"port base not a number", []string{"CLUSTER_PORT_BASE=7233x"}, "CLUSTER_PORT_BASE=7233x: want a port"},
		{"port block past 65535", []string{"CLUSTER_PORT_BASE=65530"}, "CLUSTER_PORT_BASE=65530: want a port"},
		{"three workers", []string{"CLUSTER_WORKERS=3"}, "CLUSTER_WORKERS=3: want 0, 1 or 2"},
		{"certificate without key", []string{"CLUSTER_TLS_CERT_FILE=" + script}, "CLUSTER_TLS_CERT_FILE is set without CLUSTER_TLS_KEY_FILE"},
		{"client CA without certificate", []string{"CLUSTER_TLS_CLIENT_CA_FILE=" + script}, "without CLUSTER_TLS_CERT_FILE"},
		{"unreadable certificate", []string{"CLUSTER_TLS_CERT_FILE=/nonexistent/frontend.pem", "CLUSTER_TLS_KEY_FILE=" + script},
			"CLUSTER_TLS_CERT_FILE=/nonexistent/frontend.pem: no such readable file"},
		{"unreadable client CA of the script's clients", []string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH=/nonexistent/ca.pem"},
			"TEMPORAL_TLS_SERVER_CA_CERT_PATH=/nonexistent/ca.pem: no such readable file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state")
			cmd := exec.Command(script, "up")
			cmd.Env = append(testenv.BaseEnv(t.TempDir()), append(tc.env, "CLUSTER_STATE="+state)...)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("up with %v succeeded:\n%s", tc.env, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("up with %v said:\n%s\nwant it to say %q", tc.env, out, tc.want)
			}
			if _, err := os.Stat(state); !os.IsNotExist(err) {
				t.Errorf("up with %v refused, but after making %s (%v)", tc.env, state, err)
			}
		})
	}
}
