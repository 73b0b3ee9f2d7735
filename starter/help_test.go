package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelp_RunDashHAndHelpRunPrintRunsFlagsAndExitZero(t *testing.T) {
	for _, args := range [][]string{{"run", "-h"}, {"run", "--help"}, {"help", "run"}} {
		code, out, errOut := starter(t, args...)
		if code != exitOK || errOut != "" {
			t.Errorf("%v: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", args, code, out, errOut)
		}
		for _, want := range []string{"usage: starter run -f FILE", "start a pipeline", "-f FILE", "--attach", "--detach", "--json", "--id ID"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: stdout lacks %q:\n%s", args, want, out)
			}
		}
		if strings.Contains(out, "validate -f FILE") {
			t.Errorf("%v: printed the global usage, not run's:\n%s", args, out)
		}
	}
}

func TestHelp_SchemaDashHPrintsHelpNotTheSchema(t *testing.T) {
	code, out, errOut := starter(t, "schema", "-h")
	if code != exitOK || !strings.Contains(out, "usage: starter schema") || strings.Contains(out, `"$schema"`) {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// Every command, schedule's subcommands too, answers -h with its own usage.
func TestHelp_EveryCommandAnswersDashH(t *testing.T) {
	for _, c := range commands {
		if c.name == "help" {
			continue
		}
		args := append(strings.Fields(c.name), "-h")
		code, out, errOut := starter(t, args...)
		if code != exitOK || !strings.Contains(out, "usage: starter "+c.name) {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errOut)
		}
	}
	code, out, _ := starter(t, "help", "schedule", "create")
	if code != exitOK || !strings.Contains(out, "--cron EXPR") || !strings.Contains(out, "(default UTC)") {
		t.Errorf("help schedule create: exit %d\n%s", code, out)
	}
}

func TestHelp_UnknownCommandExitsTwoNamingTheCommands(t *testing.T) {
	code, _, errOut := starter(t, "help", "teleport")
	if code != exitUsage || !strings.Contains(errOut, `unknown command "teleport"`) || !strings.Contains(errOut, "run, validate, list") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
}

func TestVersion_NamesTheModule(t *testing.T) {
	code, out, errOut := starter(t, "--version")
	if code != exitOK || !strings.Contains(out, "starter github.com/imagepipe/imagepipe") || !strings.Contains(out, "go: go1.") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// A starter built by go build from a git checkout names the commit. The
// build runs in a clone: go stamps no VCS data in a git worktree, whose
// .git is a file.
func TestVersion_BuiltBinaryNamesTheCommitItWasBuiltFrom(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	if out, err := exec.Command("git", "clone", "-q", "--no-checkout", "..", clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	if out, err := exec.Command("git", "-C", clone, "checkout", "-q", strings.TrimSpace(string(head))).CombinedOutput(); err != nil {
		t.Fatalf("git checkout: %v\n%s", err, out)
	}
	bin := filepath.Join(t.TempDir(), "starter")
	build := exec.Command("go", "build", "-o", bin, "./starter")
	build.Dir = clone
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("starter --version: %v", err)
	}
	if !strings.Contains(string(out), "commit: "+strings.TrimSpace(string(head))+" (") {
		t.Fatalf("--version does not name HEAD %s:\n%s", head, out)
	}
}

// complete runs the bash completion script for a command line whose last
// word is being typed, and returns what bash would offer.
func complete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	line := "starter " + strings.Join(words, " ")
	prog := `source "$1"; COMP_WORDS=(` + line + `); ` +
		`[[ "` + line + `" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _starter; printf '%s\n' "${COMPREPLY[@]}"`
	out, err := exec.Command("bash", "-c", prog, "bash", script).CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", line, err, out)
	}
	return strings.Fields(string(out))
}

func TestCompletion_BashScriptParsesAndCompletesCommandsFlagsAndValues(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	code, script, errOut := starter(t, "completion", "bash")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "starter.bash")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{""}, []string{"run", "validate", "list", "watch", "status", "cancel", "approve", "reject", "schedule", "schema", "completion", "help", "version"}},
		{[]string{"ru"}, []string{"run"}},
		{[]string{"run", "--d"}, []string{"--detach"}},
		{[]string{"list", "--"}, []string{"--pipeline", "--status", "--since", "--all", "--json"}},
		{[]string{"list", "--status", "f"}, []string{"failed"}},
		{[]string{"schedule", ""}, []string{"create", "list", "describe", "trigger", "pause", "unpause", "delete"}},
		{[]string{"schedule", "create", "--c"}, []string{"--catchup", "--cron"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
	} {
		got := complete(t, file, tc.words...)
		for _, w := range tc.want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("starter %s<TAB> offers %v, lacking %q", strings.Join(tc.words, " "), got, w)
			}
		}
	}
}

func TestCompletion_ZshAndFishNameEveryCommand(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		code, out, errOut := starter(t, "completion", shell)
		if code != exitOK {
			t.Fatalf("%s: exit %d %s", shell, code, errOut)
		}
		for _, c := range topCommands() {
			if !strings.Contains(out, c) {
				t.Errorf("%s script lacks %q", shell, c)
			}
		}
		if _, err := exec.LookPath(shell); err != nil {
			continue // the script's text is all that can be checked here
		}
		file := filepath.Join(t.TempDir(), "starter."+shell)
		if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(shell, "-n", file).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
		if shell == "fish" {
			got, err := exec.Command("fish", "-c", `source $argv[1]; complete -C "starter run --d"; complete -C "starter schedule "`, file).CombinedOutput()
			if err != nil || !strings.Contains(string(got), "--detach") || !strings.Contains(string(got), "unpause") {
				t.Errorf("fish completes: %v\n%s", err, got)
			}
		}
	}
	if code, _, errOut := starter(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(errOut, `"tcsh"`) {
		t.Errorf("an unknown shell: exit %d %s", code, errOut)
	}
}

func TestDecide_RejectSaysRejected(t *testing.T) {
	// The wording alone; the dev server test of approve covers the call.
	if got := decidedVerb("reject"); got != "rejected" {
		t.Errorf("reject is reported as %q", got)
	}
	if got := decidedVerb("approve"); got != "approved" {
		t.Errorf("approve is reported as %q", got)
	}
}
