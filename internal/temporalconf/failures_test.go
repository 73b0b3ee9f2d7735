package temporalconf

import (
	"context"
	"errors"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// vendorMessage is what a step's failure quotes: the vendor's error and
// the resource it names.
const vendorMessage = "oci move image: 409 IncorrectState: etag mismatch for image gold-ubuntu-7f3a (opc-request-id 4c1e)"

// storedFailure is a step's failure as an encrypting worker writes it.
func storedFailure(t *testing.T, worker Config) *failurepb.Failure {
	t.Helper()
	fc := worker.WorkerOptions().FailureConverter
	if fc == nil {
		t.Fatal("the worker's options have no failure converter: failure messages are stored in plain text")
	}
	cause := temporal.NewNonRetryableApplicationError(vendorMessage, "OCIStaleEtag", nil)
	return fc.ErrorToFailure(temporal.NewApplicationErrorWithCause("step move failed: "+vendorMessage, "StepFailed", cause))
}

// received passes a history holding f through the starter's connection
// as conf sets it up, and gives back the failure it reads.
func received(t *testing.T, conf Config, f *failurepb.Failure) *failurepb.Failure {
	t.Helper()
	chain, err := conf.inspectorInterceptors()
	if err != nil {
		t.Fatal(err)
	}
	wire := proto.Clone(f).(*failurepb.Failure)
	server := func(_ context.Context, _ string, _, reply any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
		reply.(*workflowservice.GetWorkflowExecutionHistoryResponse).History = &historypb.History{Events: []*historypb.HistoryEvent{{
			EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
			Attributes: &historypb.HistoryEvent_WorkflowExecutionFailedEventAttributes{
				WorkflowExecutionFailedEventAttributes: &historypb.WorkflowExecutionFailedEventAttributes{Failure: wire},
			},
		}}}
		return nil
	}
	invoker := grpc.UnaryInvoker(server)
	for i := len(chain) - 1; i >= 0; i-- {
		icpt, next := chain[i], invoker
		invoker = func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
			return icpt(ctx, method, req, reply, cc, next, opts...)
		}
	}
	var resp workflowservice.GetWorkflowExecutionHistoryResponse
	if err := invoker(context.Background(), workflowservice.WorkflowService_GetWorkflowExecutionHistory_FullMethodName,
		&workflowservice.GetWorkflowExecutionHistoryRequest{}, &resp, nil); err != nil {
		t.Fatal(err)
	}
	return resp.GetHistory().GetEvents()[0].GetWorkflowExecutionFailedEventAttributes().GetFailure()
}

func keyed(t *testing.T) Config {
	t.Helper()
	clean(t)
	t.Setenv(KeysVariable, "k1="+b64(1))
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An encrypting worker stores no failure message or vendor text in plain
// text, at any depth of the cause chain, and a starter with the keys
// reads the real messages back, the error they make included.
func TestFailures_EncryptedByTheWorkerAndReadByTheStarterWithTheKeys(t *testing.T) {
	conf := keyed(t)
	stored := storedFailure(t, conf)
	if text := prototext.Format(stored); strings.Contains(text, "gold-ubuntu") || strings.Contains(text, "IncorrectState") {
		t.Fatalf("stored failure holds the vendor's message in plain text:\n%s", text)
	}
	if got := stored.GetCause().GetApplicationFailureInfo().GetType(); got != "OCIStaleEtag" {
		t.Errorf("stored cause's type %q: the error type stays readable for retry policies", got)
	}

	f := received(t, conf, stored)
	if f.GetMessage() != "step move failed: "+vendorMessage || f.GetCause().GetMessage() != vendorMessage {
		t.Errorf("starter reads %q caused by %q", f.GetMessage(), f.GetCause().GetMessage())
	}
	err := temporal.GetDefaultFailureConverter().FailureToError(f)
	var app *temporal.ApplicationError
	if !errors.As(errors.Unwrap(err), &app) || app.Type() != "OCIStaleEtag" || !strings.Contains(err.Error(), vendorMessage) {
		t.Errorf("starter's error %v: want the vendor's message and type", err)
	}
}

// A starter without the keys shows, where the message would be, the
// variables that would read it.
func TestFailures_StarterWithoutTheKeysNamesTheVariablesToSet(t *testing.T) {
	stored := storedFailure(t, keyed(t))
	clean(t)
	locked, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	f := received(t, locked, stored)
	for _, msg := range []string{f.GetMessage(), f.GetCause().GetMessage()} {
		if !strings.Contains(msg, "encrypted message: set IMAGEPIPE_CODEC_KEYS or IMAGEPIPE_CODEC_KEYS_FILE") {
			t.Errorf("message %q: want the variables to set", msg)
		}
	}
}

// Failures written before encryption was turned on read as they are.
func TestFailures_PlainFailuresPassUnchanged(t *testing.T) {
	clean(t)
	plain := temporal.GetDefaultFailureConverter().ErrorToFailure(temporal.NewApplicationError(vendorMessage, "OCIStaleEtag"))
	for name, conf := range map[string]Config{"with keys": keyed(t), "without": {}} {
		if got := received(t, conf, plain).GetMessage(); got != vendorMessage {
			t.Errorf("%s: message %q", name, got)
		}
	}
}
