package main

import (
	"errors"
	"fmt"
	"log/slog"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/nexus-rpc/sdk-go/nexus"

	"github.com/imagepipe/imagepipe/workflows"
)

// replayProgress replays a pipeline's history here, with the workflow code
// this starter was built with, and asks the replayed pipeline for its
// progress, as a worker answers a query. It runs no activity: their
// results come from the history. It fails when this build's workflow code
// does not match the history's (another version of imagepipe ran it).
func replayProgress(h *historypb.History, id, runID string) (workflows.Progress, error) {
	capture := &progressCapture{}
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		Interceptors: []interceptor.WorkerInterceptor{capture},
		// A long history on a busy machine must not pass for a deadlock.
		DisableDeadlockDetection: true,
	})
	if err != nil {
		return workflows.Progress{}, err
	}
	workflows.Register(workflowsOnly{r}, workflows.Default())
	// Silent: a replay that fails is reported by its error, and the
	// caller falls back to the history.
	silent := log.NewStructuredLogger(slog.New(slog.DiscardHandler))
	if err := r.ReplayWorkflowHistoryWithOptions(silent, h, worker.ReplayWorkflowHistoryOptions{
		OriginalExecution: workflow.Execution{ID: id, RunID: runID},
	}); err != nil {
		return workflows.Progress{}, fmt.Errorf("replay %s here: %w", id, err)
	}
	if capture.progress == nil {
		return workflows.Progress{}, errors.New("the replayed pipeline set no progress handler")
	}
	return capture.progress()
}

// workflowsOnly registers workflows on a replayer, which runs no activity.
type workflowsOnly struct{ worker.WorkflowReplayer }

func (workflowsOnly) RegisterActivity(any)                                         {}
func (workflowsOnly) RegisterActivityWithOptions(any, activity.RegisterOptions)    {}
func (workflowsOnly) RegisterDynamicActivity(any, activity.DynamicRegisterOptions) {}
func (workflowsOnly) RegisterNexusService(*nexus.Service)                          {}

// progressCapture keeps the progress query handler the replayed pipeline
// registers, to call once the replay is over.
type progressCapture struct {
	interceptor.WorkerInterceptorBase
	progress func() (workflows.Progress, error)
}

func (p *progressCapture) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &captureInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, capture: p}
}

type captureInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	capture *progressCapture
}

func (i *captureInbound) Init(out interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&captureOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: out}, capture: i.capture})
}

type captureOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	capture *progressCapture
}

func (o *captureOutbound) SetQueryHandlerWithOptions(ctx workflow.Context, name string, handler any, opts workflow.QueryHandlerOptions) error {
	if h, ok := handler.(func() (workflows.Progress, error)); ok && name == workflows.ProgressQuery {
		o.capture.progress = h
	}
	return o.Next.SetQueryHandlerWithOptions(ctx, name, handler, opts)
}
