package cluster

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// The frontend serves TLS with a certificate of the test's own CA, then
// requires client certificates (mTLS). The worker and the starter reach it
// through the SDK's standard variables alone (TEMPORAL_TLS_*, read by
// go.temporal.io/sdk/contrib/envconfig): the worker turns ready and the
// starter runs a pipeline on it, each time. A client that does not speak
// TLS is refused under TLS; under mTLS a client without a certificate,
// and one with a certificate of another CA, are refused.
func TestCluster_TLSAndMutualTLS(t *testing.T) {
	pki := newCerts(t, t.TempDir())
	c := startCluster(t, options{workers: 1, env: []string{
		"CLUSTER_TLS_CERT_FILE=" + pki.ServerCert,
		"CLUSTER_TLS_KEY_FILE=" + pki.ServerKey,
		// How the script's clients (the CLI, the system worker, worker-1)
		// trust the frontend.
		"TEMPORAL_TLS_SERVER_CA_CERT_PATH=" + pki.CA,
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	example := filepath.Join(testenv.RepoRoot(), "examples", "oci-move.yaml")
	addr := "TEMPORAL_ADDRESS=" + c.Address
	trust := "TEMPORAL_TLS_SERVER_CA_CERT_PATH=" + pki.CA

	t.Run("TLS", func(t *testing.T) {
		out, err := starter(ctx, []string{addr, trust}, "run", "-f", example)
		if err != nil || !strings.Contains(out, "pipeline oci-move: Succeeded") {
			t.Fatalf("starter run over TLS: %v\n%s", err, out)
		}
		out, err = starter(ctx, []string{addr}, "list")
		refused(t, "a client without TLS", out, err)
	})

	c.setEnv(
		"CLUSTER_TLS_CLIENT_CA_FILE="+pki.CA,
		"TEMPORAL_TLS_CLIENT_CERT_PATH="+pki.ClientCert,
		"TEMPORAL_TLS_CLIENT_KEY_PATH="+pki.ClientKey,
	)
	began := time.Now()
	c.script("restart", "temporal", "worker-1")
	t.Logf("server restarted with client certificates required, worker-1 ready again, in %s", time.Since(began).Round(100*time.Millisecond))

	t.Run("mTLS", func(t *testing.T) {
		cert := []string{addr, trust, "TEMPORAL_TLS_CLIENT_CERT_PATH=" + pki.ClientCert, "TEMPORAL_TLS_CLIENT_KEY_PATH=" + pki.ClientKey}
		out, err := starter(ctx, cert, "run", "-f", example)
		if err != nil || !strings.Contains(out, "pipeline oci-move: Succeeded") {
			t.Fatalf("starter run over mTLS: %v\n%s", err, out)
		}
		// The profile the script writes holds the same settings.
		profile := []string{"TEMPORAL_CONFIG_FILE=" + filepath.Join(c.state, "temporal.toml"), "TEMPORAL_PROFILE=cluster"}
		if out, err := starter(ctx, profile, "list", "--all"); err != nil || !strings.Contains(out, "oci-move") {
			t.Errorf("starter list with the script's profile %s: %v\n%s", profile, err, out)
		}
		out, err = starter(ctx, []string{addr, trust}, "list")
		refused(t, "a client without a certificate", out, err)
		stranger := []string{addr, trust, "TEMPORAL_TLS_CLIENT_CERT_PATH=" + pki.StrangerCert, "TEMPORAL_TLS_CLIENT_KEY_PATH=" + pki.StrangerKey}
		out, err = starter(ctx, stranger, "list")
		refused(t, "a client with another CA's certificate", out, err)
	})
}

// refused checks that the starter failed to reach Temporal, and says so.
func refused(t *testing.T, who, out string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s was served:\n%s", who, out)
	}
	if !strings.Contains(out, "connect to temporal at") {
		t.Fatalf("%s failed, but not at connecting: %v\n%s", who, err, out)
	}
	t.Logf("%s: refused: %s", who, strings.TrimSpace(out))
}
