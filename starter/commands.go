package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/taskqueue"
	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequested{fs}
		}
		return usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
	}
	return nil
}

// loadSpec reads and validates a pipeline file; every problem is reported.
func loadSpec(file string) (*pipeline.Spec, error) {
	if file == "" {
		return nil, usageError{errors.New("-f FILE is required")}
	}
	spec, err := workflows.Default().Catalog().ParseFile(file)
	if err != nil {
		var ps pipeline.Problems
		if errors.As(err, &ps) {
			return nil, usageError{fmt.Errorf("%s: %d problem(s), nothing started:\n%s", file, len(ps), ps.Error())}
		}
		return nil, usageError{err}
	}
	return spec, nil
}

func cmdValidate(args []string, stdout io.Writer) error {
	fs := newFlags("validate")
	file := fs.String("f", "", "pipeline file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	spec, err := loadSpec(*file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: pipeline %q is valid (%d steps)\n", *file, spec.Name, len(spec.Steps))
	return nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run")
	file := fs.String("f", "", "pipeline file")
	id := fs.String("id", "", "workflow ID (default: pipeline-<name>-<time>)")
	asJSON := fs.Bool("json", false, "print progress and the result as JSON lines")
	detach := fs.Bool("detach", false, "start the pipeline and return without watching it")
	attach := fs.Bool("attach", false, "if this file's pipeline is already running under --id, show its progress instead of refusing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkNewID(*id); err != nil {
		return err
	}
	spec, err := loadSpec(*file)
	if err != nil {
		return err
	}
	queue, err := taskQueue()
	if err != nil {
		return err
	}
	return withConfig(ctx, func(c client.Client, conf temporalconf.Config) error {
		if *id == "" {
			*id = workflows.WorkflowID(spec.Name, time.Now())
		}
		attrs, summary, details := pipelineLabels(spec)
		run, attached, err := startPipeline(ctx, c, client.StartWorkflowOptions{
			ID:                    *id,
			TaskQueue:             queue,
			TypedSearchAttributes: attrs,
			StaticSummary:         summary,
			StaticDetails:         details,
		}, spec, *attach)
		var conflict conflictError
		if errors.As(err, &conflict) {
			return err
		}
		if err != nil {
			return fmt.Errorf("start pipeline %s: %w", spec.Name, err)
		}
		verb := "started"
		if attached {
			verb = "attached to the running"
		}
		if !*asJSON {
			fmt.Fprintf(stdout, "%s %s\n  web UI: %s\n", verb, run.GetID(), conf.WorkflowURL(run.GetID()))
		}
		if *detach {
			if *asJSON {
				return json.NewEncoder(stdout).Encode(map[string]any{"workflow_id": run.GetID(), "run_id": run.GetRunID(), "attached": attached})
			}
			return nil
		}
		return watch(ctx, c, run.GetID(), newRenderer(stdout, *asJSON))
	})
}

func cmdWatch(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("watch")
	asJSON := fs.Bool("json", false, "print progress as JSON lines")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		return watch(ctx, c, id, newRenderer(stdout, *asJSON))
	})
}

func cmdCancel(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("cancel")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		desc, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return asNotFound(fmt.Errorf("cancel %s: %w", id, err), id, "")
		}
		info := desc.GetWorkflowExecutionInfo()
		if st := info.GetStatus(); st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return notCancelled{id, fmt.Sprintf("it already ended (%s at %s)", statusName(st), info.GetCloseTime().AsTime().UTC().Format(time.RFC3339))}
		}
		// Temporal accepts a second cancel request silently; say instead
		// that the first is still being carried out.
		if at, by, ok, err := cancelRequested(ctx, c, id, info.GetExecution().GetRunId()); err != nil {
			return err
		} else if ok {
			return notCancelled{id, fmt.Sprintf("it is already cancelling (asked at %s by %s); starter watch %s shows it end", at.UTC().Format(time.RFC3339), by, id)}
		}
		if err := c.CancelWorkflow(ctx, id, info.GetExecution().GetRunId()); err != nil {
			return asNotFound(fmt.Errorf("cancel %s: %w", id, err), id, "")
		}
		fmt.Fprintf(stdout, "cancel requested for %s; starter watch %s shows it stop and roll back\n", id, id)
		return nil
	})
}

// cancelRequested reports whether the run's history holds a cancel
// request, and when and by whom it was made.
func cancelRequested(ctx context.Context, c client.Client, id, runID string) (at time.Time, by string, ok bool, err error) {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return time.Time{}, "", false, fmt.Errorf("history of %s: %w", id, err)
		}
		if a := ev.GetWorkflowExecutionCancelRequestedEventAttributes(); a != nil {
			return ev.GetEventTime().AsTime(), a.GetIdentity(), true, nil
		}
	}
	return time.Time{}, "", false, nil
}

func cmdDecide(ctx context.Context, verb string, args []string, stdout io.Writer) error {
	fs := newFlags(verb)
	step := fs.String("step", "", "the approval step")
	by := fs.String("by", "", "who decides")
	comment := fs.String("comment", "", "why")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	if *step == "" || *by == "" {
		return usageError{fmt.Errorf("%s: --step and --by are required", verb)}
	}
	return withClient(ctx, func(c client.Client) error {
		update := workflows.ApproveUpdate
		if verb == "reject" {
			update = workflows.RejectUpdate
		}
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID:   id,
			UpdateName:   update,
			Args:         []any{workflows.ApprovalInput{Step: *step, By: *by, Comment: *comment}},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err != nil {
			return asNotFound(fmt.Errorf("%s step %q of %s: %w", verb, *step, id, err), id, "")
		}
		var d workflows.Decision
		if err := h.Get(ctx, &d); err != nil {
			return fmt.Errorf("%s step %q of %s: %w", verb, *step, id, err)
		}
		fmt.Fprintf(stdout, "step %q of %s %s by %s\n", *step, id, decidedVerb(verb), d.By)
		return nil
	})
}

// decidedVerb is the past tense of approve or reject.
func decidedVerb(verb string) string {
	if verb == "reject" {
		return "rejected"
	}
	return "approved"
}

// idArg parses flags that may come before or after the workflow ID.
func idArg(fs *flag.FlagSet, args []string) (string, error) {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return "", usageError{fmt.Errorf("%s: a workflow ID is required", fs.Name())}
	}
	return id, nil
}

// dial connects to Temporal as temporalconf configures it, with the
// payload codec on the connection: every history, description and result
// the starter reads arrives decrypted.
func dial(ctx context.Context) (client.Client, temporalconf.Config, error) {
	conf, err := temporalconf.Load()
	if err != nil {
		return nil, conf, usageError{fmt.Errorf("settings: %w", err)}
	}
	opts, err := conf.InspectorOptions()
	if err != nil {
		return nil, conf, err
	}
	opts.Logger = quietLogger{}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, conf, fmt.Errorf("connect to temporal at %s (is the server up? make up starts one): %w", conf.HostPort, err)
	}
	return c, conf, nil
}

// withClient runs fn with a client of the Temporal server, closed after.
func withClient(ctx context.Context, fn func(client.Client) error) error {
	return withConfig(ctx, func(c client.Client, _ temporalconf.Config) error { return fn(c) })
}

// withConfig is withClient for a command that also needs the
// configuration the client was made from, such as its web UI links.
// The errors fn returns learn the namespace and web UI link too.
func withConfig(ctx context.Context, fn func(client.Client, temporalconf.Config) error) error {
	c, conf, err := dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	err = fn(c, conf)
	if err != nil && conf.Codec == nil && encrypted(err) {
		return keysHint(err)
	}
	switch e := err.(type) {
	case notFoundError:
		e.namespace = conf.Namespace
		return e
	case pipelineFailed:
		e.webUI = conf.WorkflowURL(e.id)
		return e
	default:
		return e
	}
}

// taskQueue is the queue pipelines start on: the one the worker polls,
// both read from IMAGEPIPE_TASK_QUEUE.
func taskQueue() (string, error) {
	q, err := taskqueue.FromEnv()
	if err != nil {
		return "", usageError{err}
	}
	return q, nil
}

// quietLogger drops the SDK's informational messages, which would garble
// the progress display; warnings and errors still reach stderr.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(msg string, kv ...any) {
	fmt.Fprintln(os.Stderr, append([]any{"temporal warning:", msg}, kv...)...)
}
func (quietLogger) Error(msg string, kv ...any) {
	fmt.Fprintln(os.Stderr, append([]any{"temporal error:", msg}, kv...)...)
}
