package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// cmdCompletion prints a completion script for a shell, built from the
// command table and each command's own flags, so it cannot drift from
// them: commands, schedule's subcommands, flags, and values where they are
// a fixed set (--status, --overlap, the shells).
func cmdCompletion(args []string, stdout io.Writer) error {
	fs := newFlags("completion")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Errorf("completion: name one shell: bash, zsh or fish")}
	}
	switch shell := fs.Arg(0); shell {
	case "bash":
		fmt.Fprint(stdout, bashCompletion())
	case "zsh":
		// zsh runs bash completion functions through bashcompinit.
		fmt.Fprint(stdout, "#compdef starter\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion())
	case "fish":
		fmt.Fprint(stdout, fishCompletion())
	default:
		return usageError{fmt.Errorf("completion: unknown shell %q; bash, zsh or fish", shell)}
	}
	return nil
}

// flagValues are the values a flag takes from a fixed set.
var flagValues = map[string][]string{
	"status":  listStatusNames(),
	"overlap": sortedKeys(overlapPolicies),
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// completable are the commands whose flags are completed: every command
// but those that only group subcommands.
func completable() []string {
	var out []string
	for _, c := range commands {
		if len(subcommands(c.name)) == 0 {
			out = append(out, c.name)
		}
	}
	return out
}

func flagNames(fs *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			out = append(out, "-"+f.Name)
		} else {
			out = append(out, "--"+f.Name)
		}
	})
	return out
}

func bashCompletion() string {
	var b strings.Builder
	b.WriteString(`# bash completion for starter: source <(starter completion bash)
_starter() {
    local cur prev cmd flags
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ ${COMP_CWORD} -eq 1 ]]; then
        COMPREPLY=($(compgen -W "` + strings.Join(topCommands(), " ") + ` --help --version" -- "$cur"))
        return
    fi
    cmd="${COMP_WORDS[1]}"
    case "$cmd" in
    help)
        COMPREPLY=($(compgen -W "` + strings.Join(topCommands(), " ") + `" -- "$cur"))
        return ;;
    completion)
        COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
        return ;;
    schedule)
        if [[ ${COMP_CWORD} -eq 2 ]]; then
            COMPREPLY=($(compgen -W "` + strings.Join(subcommands("schedule"), " ") + `" -- "$cur"))
            return
        fi
        cmd="schedule-${COMP_WORDS[2]}" ;;
    esac
    case "$prev" in
`)
	for _, name := range sortedKeys(flagValues) {
		fmt.Fprintf(&b, "    --%s|-%s)\n        COMPREPLY=($(compgen -W %q -- \"$cur\"))\n        return ;;\n", name, name, strings.Join(flagValues[name], " "))
	}
	b.WriteString(`    -f|--f)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    esac
    case "$cmd" in
`)
	for _, name := range completable() {
		fs := flagsOf(name)
		if fs == nil {
			continue
		}
		fmt.Fprintf(&b, "    %s) flags=%q ;;\n", strings.ReplaceAll(name, " ", "-"), strings.Join(flagNames(fs), " "))
	}
	b.WriteString(`    *) flags="" ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags -h --help" -- "$cur"))
    fi
}
complete -o default -F _starter starter
`)
	return b.String()
}

func fishCompletion() string {
	var b strings.Builder
	b.WriteString("# fish completion for starter: starter completion fish | source\ncomplete -c starter -f\n")
	top := strings.Join(topCommands(), " ")
	subs := strings.Join(subcommands("schedule"), " ")
	for _, c := range commands {
		summary := strings.TrimRight(strings.ReplaceAll(strings.SplitN(c.summary, "\n", 2)[0], "'", ""), ",;")
		parent, sub, isSub := strings.Cut(c.name, " ")
		if isSub {
			fmt.Fprintf(&b, "complete -c starter -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a %s -d '%s'\n", parent, subs, sub, summary)
		} else {
			fmt.Fprintf(&b, "complete -c starter -n 'not __fish_seen_subcommand_from %s' -a %s -d '%s'\n", top, c.name, summary)
		}
	}
	fmt.Fprintf(&b, "complete -c starter -n '__fish_seen_subcommand_from help' -a '%s'\n", top)
	b.WriteString("complete -c starter -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	for _, name := range completable() {
		fs := flagsOf(name)
		if fs == nil {
			continue
		}
		cond := "__fish_seen_subcommand_from " + name
		if parent, sub, ok := strings.Cut(name, " "); ok {
			cond = "__fish_seen_subcommand_from " + parent + "; and __fish_seen_subcommand_from " + sub
		}
		fs.VisitAll(func(f *flag.Flag) {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-s " + f.Name
			}
			_, usage := flag.UnquoteUsage(f)
			extra := ""
			switch {
			case f.Name == "f":
				extra = " -r -F"
			case flagValues[f.Name] != nil:
				extra = fmt.Sprintf(" -x -a '%s'", strings.Join(flagValues[f.Name], " "))
			}
			fmt.Fprintf(&b, "complete -c starter -n '%s' %s%s -d '%s'\n", cond, opt, extra, strings.ReplaceAll(usage, "'", ""))
		})
	}
	return b.String()
}
