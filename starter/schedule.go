package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/workflows"
)

// overlapHelp explains --overlap, for the schedule command's help.
const overlapHelp = `--overlap says what happens when a run is due while the last one still
runs: skip (the default), buffer_one, buffer_all, cancel_other,
terminate_other or allow_all.
`

// Schedule memo fields: the cron expression as the user wrote it, and the
// pipeline the schedule runs.
const (
	cronMemo     = "cron"
	pipelineMemo = "pipeline"
)

var overlapPolicies = map[string]enumspb.ScheduleOverlapPolicy{
	"skip":            enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	"buffer_one":      enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
	"buffer_all":      enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL,
	"cancel_other":    enumspb.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER,
	"terminate_other": enumspb.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER,
	"allow_all":       enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
}

func cmdSchedule(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{fmt.Errorf("%s", strings.TrimSpace(commandHelp(newFlags("schedule"))))}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return helpRequested{newFlags("schedule")}
	case "create":
		return scheduleCreate(ctx, args[1:], stdout)
	case "list":
		return scheduleList(ctx, args[1:], stdout)
	case "describe":
		return scheduleDescribe(ctx, args[1:], stdout)
	case "trigger", "pause", "unpause", "delete":
		return scheduleAct(ctx, args[0], args[1:], stdout)
	default:
		return usageError{fmt.Errorf("schedule: unknown command %q\n\n%s", args[0], commandHelp(newFlags("schedule")))}
	}
}

func scheduleCreate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("schedule create")
	file := fs.String("f", "", "pipeline file")
	id := fs.String("id", "", "schedule ID (default: the pipeline's name)")
	cron := fs.String("cron", "", `when to run, as a cron expression, e.g. "0 2 * * *"`)
	tz := fs.String("timezone", "UTC", "time zone of the cron expression, e.g. Europe/Paris")
	overlap := fs.String("overlap", "skip", "what to do when a run is due while the last still runs")
	catchup := fs.Duration("catchup", time.Hour, "how late a missed run may still start (after an outage)")
	pauseOnFailure := fs.Bool("pause-on-failure", false, "pause the schedule when a run fails")
	paused := fs.Bool("paused", false, "create it paused")
	note := fs.String("note", "", "a note shown with the schedule")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	policy, ok := overlapPolicies[*overlap]
	if !ok {
		return usageError{fmt.Errorf("schedule create: --overlap %q: use skip, buffer_one, buffer_all, cancel_other, terminate_other or allow_all", *overlap)}
	}
	if *cron == "" {
		return usageError{fmt.Errorf("schedule create: --cron is required")}
	}
	if err := checkCron(*cron); err != nil {
		return err
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		return usageError{fmt.Errorf("schedule create: --timezone %q: %v", *tz, err)}
	}
	spec, err := loadSpec(*file)
	if err != nil {
		return err
	}
	if *id == "" {
		*id = spec.Name
	}
	queue, err := taskQueue()
	if err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		attrs, summary, details := pipelineLabels(spec)
		_, err = c.ScheduleClient().Create(ctx, client.ScheduleOptions{
			ID:             *id,
			Spec:           client.ScheduleSpec{CronExpressions: []string{*cron}, TimeZoneName: *tz},
			Overlap:        policy,
			CatchupWindow:  *catchup,
			PauseOnFailure: *pauseOnFailure,
			Paused:         *paused,
			Note:           *note,
			// The server keeps a cron expression only as calendars; the memo
			// keeps it as the user wrote it, for describe.
			Memo: map[string]any{cronMemo: *cron, pipelineMemo: spec.Name},
			Action: &client.ScheduleWorkflowAction{
				// The server appends each run's time, so runs and their
				// idempotency keys are distinct.
				ID:                    "pipeline-" + spec.Name,
				Workflow:              workflows.ImagePipeline,
				Args:                  []any{workflows.PipelineInput{Spec: *spec}},
				TaskQueue:             queue,
				TypedSearchAttributes: attrs,
				StaticSummary:         summary,
				StaticDetails:         details,
			},
		})
		if err != nil {
			if bad := cronRefused(*cron, err); bad != nil {
				return bad
			}
			return fmt.Errorf("create schedule %s: %w", *id, err)
		}
		fmt.Fprintf(stdout, "schedule %s created: pipeline %s at %q (%s), overlap %s, catch-up %s, pause on failure %v\n",
			*id, spec.Name, *cron, *tz, *overlap, *catchup, *pauseOnFailure)
		return nil
	})
}

func scheduleDescribe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("schedule describe")
	asJSON := fs.Bool("json", false, "print JSON")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withConfig(ctx, func(c client.Client, conf temporalconf.Config) error {
		d, err := c.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			return scheduleError("describe", id, conf.Namespace, err)
		}
		out := struct {
			ID             string    `json:"id"`
			Pipeline       string    `json:"pipeline,omitempty"`
			Cron           []string  `json:"cron"`
			TimeZone       string    `json:"timezone"`
			Overlap        string    `json:"overlap"`
			CatchupWindow  string    `json:"catchup_window"`
			PauseOnFailure bool      `json:"pause_on_failure"`
			Paused         bool      `json:"paused"`
			Note           string    `json:"note,omitempty"`
			Runs           int       `json:"runs"`
			RecentRuns     []string  `json:"recent_runs,omitempty"`
			NextRun        time.Time `json:"next_run,omitzero"`
		}{
			ID: id, Cron: d.Schedule.Spec.CronExpressions, TimeZone: d.Schedule.Spec.TimeZoneName,
			Overlap:       overlapName(d.Schedule.Policy.Overlap),
			CatchupWindow: d.Schedule.Policy.CatchupWindow.String(), PauseOnFailure: d.Schedule.Policy.PauseOnFailure,
			Paused: d.Schedule.State.Paused, Runs: d.Info.NumActions, Pipeline: memoString(d.Memo, pipelineMemo),
		}
		if out.Paused {
			// Once unpaused, the note only says so.
			out.Note = d.Schedule.State.Note
		}
		if p, ok := d.Memo.GetFields()[cronMemo]; ok {
			var cron string
			if converter.GetDefaultDataConverter().FromPayload(p, &cron) == nil && cron != "" {
				out.Cron = append(out.Cron, cron)
			}
		}
		for _, a := range d.Info.RecentActions {
			if a.StartWorkflowResult != nil {
				out.RecentRuns = append(out.RecentRuns, a.StartWorkflowResult.WorkflowID)
			}
		}
		if len(d.Info.NextActionTimes) > 0 {
			out.NextRun = d.Info.NextActionTimes[0]
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(out)
		}
		fmt.Fprintf(stdout, "schedule %s: pipeline %s at %q (%s), overlap %s, catch-up %s, pause on failure %v, paused %v, %d runs\n",
			out.ID, dash(out.Pipeline), strings.Join(out.Cron, " | "), out.TimeZone, out.Overlap, out.CatchupWindow, out.PauseOnFailure, out.Paused, out.Runs)
		if out.Note != "" {
			fmt.Fprintf(stdout, "  paused: %s\n", out.Note)
		}
		for _, r := range out.RecentRuns {
			fmt.Fprintf(stdout, "  run %s\n", r)
		}
		return nil
	})
}

func overlapName(p enumspb.ScheduleOverlapPolicy) string {
	for name, v := range overlapPolicies {
		if v == p {
			return name
		}
	}
	return p.String()
}

func scheduleAct(ctx context.Context, verb string, args []string, stdout io.Writer) error {
	fs := newFlags("schedule " + verb)
	note := fs.String("note", "", "why")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withConfig(ctx, func(c client.Client, conf temporalconf.Config) error {
		h := c.ScheduleClient().GetHandle(ctx, id)
		switch verb {
		case "trigger":
			return scheduleTrigger(ctx, conf, h, stdout)
		case "pause":
			// Without a note the SDK would write "Paused via Go SDK".
			err = h.Pause(ctx, client.SchedulePauseOptions{Note: orDefault(*note, "paused with starter schedule pause")})
		case "unpause":
			err = h.Unpause(ctx, client.ScheduleUnpauseOptions{Note: orDefault(*note, "unpaused with starter schedule unpause")})
		case "delete":
			err = h.Delete(ctx)
		}
		if err != nil {
			return scheduleError(verb, id, conf.Namespace, err)
		}
		fmt.Fprintf(stdout, "schedule %s %s\n", id, pastTense[verb])
		return nil
	})
}

var pastTense = map[string]string{"pause": "paused", "unpause": "unpaused", "delete": "deleted"}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
