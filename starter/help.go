package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one of the starter's commands, as help, the global usage and
// shell completion show it.
type command struct {
	name    string // "run", or "schedule create" for a subcommand
	args    string // its arguments, after the name
	summary string
}

// commands lists every command in the order the usage shows them.
var commands = []command{
	{"run", "-f FILE [--id ID] [--attach] [--json] [--detach]",
		"start a pipeline and show its progress; refused (exit 3) while one runs under --id,\nunless --attach and it is this file's pipeline, which is then shown"},
	{"validate", "-f FILE", "check a pipeline file, reporting every problem"},
	{"list", "[--pipeline NAME] [--status STATUS] [--since DURATION] [--all] [--limit N] [--json]",
		"list pipelines, newest first (--all: every workflow, job waits and name locks too)"},
	{"watch", "ID [--json]", "show a running pipeline's progress until it ends; exit 1 if it did not succeed"},
	{"status", "ID [--run RUN] [--json]", "show a pipeline's state once; exit 1 if it ended without success,\nsaying what stays applied"},
	{"history", "ID [--run RUN] [--json]", "every vendor call and job wait of a pipeline, by step: attempts, errors,\nstart, duration, and each wait's polls"},
	{"rerun", "ID [--run RUN] [--from-failed] [--id NEW_ID] [--json] [--detach]", "run again the spec a pipeline ran, as a new execution; --from-failed reuses\nthe outputs of the steps that succeeded and runs only the rest"},
	{"plan", "-f FILE [--json]", "show what a run of the file would do, changing nothing: per step create, reuse,\nmove, change, nothing to do or would fail (exit 1), from read-only vendor calls\nthe worker makes; values only a run produces are (known after apply)"},
	{"cancel", "ID", "cancel a running pipeline; exit 1 if it is already cancelling or has ended"},
	{"approve", "ID --step STEP --by NAME [--comment TEXT]", "approve a step waiting for approval"},
	{"reject", "ID --step STEP --by NAME [--comment TEXT]", "reject it (the step fails)"},
	{"schedule", "create|list|describe|trigger|pause|unpause|delete ...", "run pipelines on Temporal Schedules (starter help schedule)"},
	{"schedule create", "-f FILE --cron EXPR [--id ID] [--timezone TZ] [--overlap POLICY] [--catchup DURATION]\n  [--pause-on-failure] [--paused] [--note TEXT]", "run a pipeline on a Temporal Schedule"},
	{"schedule list", "[--json]", "the schedules: pipeline, cron, next run, last result"},
	{"schedule describe", "ID [--json]", "one schedule: spec, policies, recent runs"},
	{"schedule trigger", "ID", "run it now, whatever its spec says, and print the run it started"},
	{"schedule pause", "ID [--note TEXT]", "stop starting runs"},
	{"schedule unpause", "ID [--note TEXT]", "start runs again"},
	{"schedule delete", "ID", "remove it (runs already started go on)"},
	{"schema", "", "print the JSON Schema of pipeline files, for editors"},
	{"codec-server", "[--listen ADDR] [--origins LIST]", "serve the payload codec (POST /decode, /encode) so the web UI and the CLI\nshow encrypted payloads; it holds IMAGEPIPE_CODEC_KEYS, so keep it private"},
	{"completion", "bash|zsh|fish", "print a shell completion script, e.g. source <(starter completion bash)"},
	{"help", "[COMMAND]", "show a command's usage and flags"},
	{"version", "", "print the starter's module version and commit (also --version)"},
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// topCommands are the commands typed first, without subcommands.
func topCommands() []string {
	var out []string
	for _, c := range commands {
		if !strings.Contains(c.name, " ") {
			out = append(out, c.name)
		}
	}
	return out
}

// subcommands of parent ("schedule"), by name.
func subcommands(parent string) []string {
	var out []string
	for _, c := range commands {
		if rest, ok := strings.CutPrefix(c.name, parent+" "); ok {
			out = append(out, rest)
		}
	}
	return out
}

const environmentHelp = `Temporal is reached as the worker reaches it: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default
localhost:7233, default), or a profile (TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE);
pipelines start on the task queue IMAGEPIPE_TASK_QUEUE (default imagepipe), the worker's;
web UI links start with IMAGEPIPE_UI_URL (default: the dev server's UI, the address's port + 1000);
with IMAGEPIPE_CODEC_KEYS or IMAGEPIPE_CODEC_KEYS_FILE (the worker's) payloads are encrypted.

Exit status: 0 success; 1 the pipeline failed or ended otherwise (or a cancel changed nothing);
2 bad input, nothing started; 3 a pipeline already runs under that ID; 4 no such pipeline.
`

// globalUsage is the usage of the starter as a whole, from the table.
func globalUsage() string {
	var b strings.Builder
	b.WriteString("usage: starter <command> [flags]\n\ncommands:\n")
	for _, c := range commands {
		if strings.HasPrefix(c.name, "schedule ") {
			continue
		}
		head := c.name
		if c.args != "" {
			head += " " + c.args
		}
		summary := strings.Split(c.summary, "\n")
		if len(head) > 40 {
			fmt.Fprintf(&b, "  %s\n", head)
			for _, l := range summary {
				fmt.Fprintf(&b, "  %-40s  %s\n", "", l)
			}
			continue
		}
		for i, l := range summary {
			if i > 0 {
				head = ""
			}
			fmt.Fprintf(&b, "  %-40s  %s\n", head, l)
		}
	}
	b.WriteString("\nstarter help COMMAND (or starter COMMAND -h) shows a command's flags.\n\n")
	b.WriteString(environmentHelp)
	return b.String()
}

// helpRequested is -h or --help given to a command: its usage is printed
// on stdout and the starter exits 0.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string { return h.fs.Name() + ": help requested" }

// commandHelp is one command's usage: what it does, its arguments and
// every flag with its default.
func commandHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	name := fs.Name()
	c, ok := lookupCommand(name)
	fmt.Fprintf(&b, "usage: starter %s", name)
	if ok && c.args != "" {
		fmt.Fprintf(&b, " %s", c.args)
	}
	b.WriteString("\n")
	if ok {
		fmt.Fprintf(&b, "\n%s\n", c.summary)
	}
	if subs := subcommands(name); len(subs) > 0 {
		b.WriteString("\ncommands:\n")
		for _, s := range subs {
			sc, _ := lookupCommand(name + " " + s)
			fmt.Fprintf(&b, "  %-10s %s\n", s, strings.ReplaceAll(sc.summary, "\n", " "))
		}
		fmt.Fprintf(&b, "\nstarter help %s COMMAND shows a command's flags.\n", name)
	}
	var flags []string
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		head := "--" + f.Name
		if len(f.Name) == 1 {
			head = "-" + f.Name
		}
		switch {
		case f.Name == "f":
			head += " FILE"
		case arg == "string":
			head += " " + strings.ToUpper(f.Name)
		case arg == "int":
			head += " N"
		case arg != "":
			head += " " + strings.ToUpper(arg)
		}
		line := fmt.Sprintf("  %-22s %s", head, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			line += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		flags = append(flags, line)
	})
	if len(flags) > 0 {
		b.WriteString("\nflags:\n" + strings.Join(flags, "\n") + "\n")
	}
	if name == "schedule" {
		b.WriteString("\n" + overlapHelp)
	}
	return b.String()
}

// cmdHelp shows the usage of the command named in args, or the global one.
func cmdHelp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, globalUsage())
		return exitOK
	}
	name := strings.Join(args, " ")
	if _, ok := lookupCommand(name); !ok {
		fmt.Fprintf(stderr, "starter help: unknown command %q; the commands are %s\n", name, strings.Join(topCommands(), ", "))
		return exitUsage
	}
	return run(ctx, append(args, "-h"), stdout, stderr)
}

// flagsOf returns the flag set of a command, which it gives up when asked
// for help before doing anything else.
func flagsOf(name string) *flag.FlagSet {
	err := dispatch(context.Background(), append(strings.Fields(name), "-h"), io.Discard, io.Discard)
	var h helpRequested
	if errors.As(err, &h) {
		return h.fs
	}
	return nil
}
