// Command starter is imagepipe's command line: it validates pipeline files,
// starts pipelines on Temporal and shows their progress.
//
//	starter run -f FILE [--id ID] [--attach] [--json] [--detach]
//	starter validate -f FILE
//	starter watch ID [--json]
//	starter status ID [--json]
//	starter cancel ID
//	starter approve|reject ID --step STEP --by NAME [--comment TEXT]
//	starter schedule create|list|describe|trigger|pause|unpause|delete ...
//
// Exit status: 0 when the pipeline (or command) succeeded, 1 when the
// pipeline failed (or ended any other way than success), 2 when the input
// was wrong (nothing was started), 3 when a pipeline is already running
// under the ID asked for (nothing was started).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	// exitConflict: the workflow ID is taken by a running pipeline.
	exitConflict = 3
)

// usageError is bad input: a wrong flag or an invalid pipeline file.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

const usage = `usage: starter <command> [flags]

commands:
  run -f FILE [--id ID] [--attach] [--json] [--detach]
                                              start a pipeline and show its progress; refused (exit 3)
                                              while one runs under --id, unless --attach and it is
                                              this file's pipeline, which is then shown
  validate -f FILE                            check a pipeline file, reporting every problem
  watch ID [--json]                           show a running pipeline's progress until it ends
  status ID [--run RUN] [--json]              show a pipeline's state once; exit 1 if it ended
                                              without success, saying what stays applied
  cancel ID                                   cancel a running pipeline
  approve ID --step STEP --by NAME [--comment TEXT]
                                              approve a step waiting for approval
  reject ID --step STEP --by NAME [--comment TEXT]
                                              reject it (the step fails)
  schedule create -f FILE --cron EXPR ...     run a pipeline on a Temporal Schedule
  schedule list|describe|trigger|pause|unpause|delete
                                              manage schedules (starter schedule for details)
  schema                                      print the JSON Schema of pipeline files, for editors

Temporal is reached through TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (default localhost:7233, default);
pipelines start on the task queue IMAGEPIPE_TASK_QUEUE (default imagepipe), the worker's.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		err = cmdValidate(args[1:], stdout)
	case "watch":
		err = cmdWatch(ctx, args[1:], stdout)
	case "status":
		err = cmdStatus(ctx, args[1:], stdout)
	case "cancel":
		err = cmdCancel(ctx, args[1:], stdout)
	case "approve", "reject":
		err = cmdDecide(ctx, args[0], args[1:], stdout)
	case "schedule":
		err = cmdSchedule(ctx, args[1:], stdout)
	case "schema":
		err = cmdSchema(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "starter: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	var ue usageError
	var pf pipelineFailed
	var ce conflictError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, ue.Error())
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintln(stderr, "starter:", ce.Error())
		return exitConflict
	case errors.As(err, &pf):
		fmt.Fprintln(stderr, pf.Error())
		return exitFailed
	default:
		fmt.Fprintln(stderr, "starter:", err)
		return exitFailed
	}
}
