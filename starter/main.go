// Command starter is imagepipe's command line: it validates pipeline files,
// starts pipelines on Temporal and shows their progress.
//
//	starter run -f FILE [--id ID] [--attach] [--json] [--detach]
//	starter validate -f FILE
//	starter plan -f FILE [--json]
//	starter list [--pipeline NAME] [--status STATUS] [--since DURATION] [--all] [--json]
//	starter watch ID [--json]
//	starter status ID [--json]
//	starter cancel ID
//	starter approve|reject ID --step STEP --by NAME [--comment TEXT]
//	starter schedule create|list|describe|trigger|pause|unpause|delete ...
//	starter help [COMMAND], starter COMMAND -h, starter --version
//	starter completion bash|zsh|fish
//	starter codec-server [--listen ADDR] [--origins LIST]
//
// Exit status: 0 when the pipeline (or command) succeeded, 1 when the
// pipeline failed (or ended any other way than success), 2 when the input
// was wrong (nothing was started), 3 when a pipeline is already running
// under the ID asked for (nothing was started), 4 when there is no pipeline
// under the ID given.
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
	// exitNotFound: no workflow under the ID given.
	exitNotFound = 4
)

// usageError is bad input: a wrong flag or an invalid pipeline file.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, globalUsage())
		return exitUsage
	}
	switch args[0] {
	case "help":
		return cmdHelp(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, globalUsage())
		return exitOK
	}
	err := dispatch(ctx, args, stdout, stderr)
	var ue usageError
	var pf pipelineFailed
	var ce conflictError
	var hr helpRequested
	var nf notFoundError
	var nc notCancelled
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &hr):
		fmt.Fprint(stdout, commandHelp(hr.fs))
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, ue.Error())
		return exitUsage
	case errors.As(err, &nf):
		fmt.Fprintln(stderr, "starter:", nf.Error())
		return exitNotFound
	case errors.As(err, &ce):
		fmt.Fprintln(stderr, "starter:", ce.Error())
		return exitConflict
	case errors.As(err, &nc):
		fmt.Fprintln(stderr, "starter:", nc.Error())
		return exitFailed
	case errors.As(err, &pf):
		fmt.Fprintln(stderr, pf.Error())
		return exitFailed
	default:
		fmt.Fprintln(stderr, "starter:", err)
		return exitFailed
	}
}

// dispatch runs the command args name.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout)
	case "plan":
		return cmdPlan(ctx, args[1:], stdout)
	case "list":
		return cmdList(ctx, args[1:], stdout)
	case "history":
		return cmdHistory(ctx, args[1:], stdout)
	case "rerun":
		return cmdRerun(ctx, args[1:], stdout)
	case "watch":
		return cmdWatch(ctx, args[1:], stdout)
	case "status":
		return cmdStatus(ctx, args[1:], stdout)
	case "cancel":
		return cmdCancel(ctx, args[1:], stdout)
	case "approve", "reject":
		return cmdDecide(ctx, args[0], args[1:], stdout)
	case "schedule":
		return cmdSchedule(ctx, args[1:], stdout)
	case "schema":
		return cmdSchema(args[1:], stdout)
	case "codec-server":
		return cmdCodecServer(ctx, args[1:], stdout)
	case "completion":
		return cmdCompletion(args[1:], stdout)
	case "version", "--version", "-version":
		return cmdVersion(args[1:], stdout)
	default:
		return usageError{fmt.Errorf("starter: unknown command %q\n\n%s", args[0], globalUsage())}
	}
}
