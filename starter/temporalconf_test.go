package main

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// profileNamespace is a namespace the starter learns only from a profile.
const profileNamespace = "imagepipe-profile"

// useProfile points the starter at the package's dev server through a
// TOML profile alone, naming profileNamespace (registered there), with no
// TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE or IMAGEPIPE_UI_URL set.
func useProfile(t *testing.T) (hostPort string) {
	t.Helper()
	srv := testenv.Server(t)
	c := testenv.Dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: profileNamespace, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		t.Fatal(err)
	}
	// The dev server registers the search attributes in default alone.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Second) {
		_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: profileNamespace,
			SearchAttributes: map[string]enumspb.IndexedValueType{
				workflows.PipelineNameAttribute.GetName():   enumspb.INDEXED_VALUE_TYPE_KEYWORD,
				workflows.PipelineStatusAttribute.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
			},
		})
		var exists *serviceerror.AlreadyExists
		if err == nil || errors.As(err, &exists) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
	for _, v := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_PROFILE", "IMAGEPIPE_UI_URL"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	path := filepath.Join(t.TempDir(), "temporal.toml")
	toml := "[profile.default]\naddress = \"" + srv.HostPort + "\"\nnamespace = \"" + profileNamespace + "\"\n"
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_CONFIG_FILE", path)
	return srv.HostPort
}

// The web UI link names the profile's namespace and the UI of the server
// the profile names (the dev server's: its port + 1000), not the default
// namespace and localhost:8233.
func TestRun_WebUILinkNamesTheProfilesNamespaceAndServer(t *testing.T) {
	hostPort := useProfile(t)
	host, port, _ := net.SplitHostPort(hostPort)
	n, _ := strconv.Atoi(port)
	id := testID(t)
	want := "web UI: http://" + net.JoinHostPort(host, strconv.Itoa(n+1000)) + "/namespaces/" + profileNamespace + "/workflows/" + id
	var out, errOut string
	deadline := time.Now().Add(time.Minute) // a new namespace reaches the frontend's cache within seconds
	for code := -1; code != exitOK; {
		if time.Now().After(deadline) {
			t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
		}
		code, out, errOut = starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id, "--detach")
		if code != exitOK {
			time.Sleep(time.Second)
		}
	}
	t.Cleanup(func() {
		_ = testenv.Dial(t).TerminateWorkflow(context.Background(), id, "", "test over")
	})
	if !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
}

// A pipeline not found is not found in the profile's namespace, and the
// message says which.
func TestStatus_UnknownIDNamesTheProfilesNamespace(t *testing.T) {
	useProfile(t)
	var code int
	var errOut string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Second) {
		code, _, errOut = starter(t, "status", "pipeline-nope")
		if code == exitNotFound || time.Now().After(deadline) {
			break
		}
	}
	if want := "no pipeline pipeline-nope in namespace " + profileNamespace; code != exitNotFound || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr %q; want exit %d saying %q", code, errOut, exitNotFound, want)
	}
}
