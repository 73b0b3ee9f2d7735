package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/internal/temporalconf"
)

// scheduleRow is one schedule of starter schedule list.
type scheduleRow struct {
	ID       string    `json:"id"`
	Pipeline string    `json:"pipeline,omitempty"`
	Cron     string    `json:"cron,omitempty"`
	Paused   bool      `json:"paused"`
	Note     string    `json:"note,omitempty"` // why it is paused
	NextRun  time.Time `json:"next_run,omitzero"`
	// LastRun is the workflow the schedule started last, LastResult how
	// it went (running, succeeded, failed ...), as starter list names it.
	LastRun     string    `json:"last_run,omitempty"`
	LastRunID   string    `json:"last_run_id,omitempty"`
	LastStarted time.Time `json:"last_started,omitzero"`
	LastResult  string    `json:"last_result,omitempty"`
}

func scheduleList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("schedule list")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		it, err := c.ScheduleClient().List(ctx, client.ScheduleListOptions{})
		if err != nil {
			return fmt.Errorf("list schedules: %w", err)
		}
		rows := []scheduleRow{}
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return fmt.Errorf("list schedules: %w", err)
			}
			rows = append(rows, scheduleRowOf(ctx, c, e))
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(rows)
		}
		return scheduleTable(stdout, rows)
	})
}

// scheduleRowOf reads a listed schedule, and asks how its last run went.
func scheduleRowOf(ctx context.Context, c client.Client, e *client.ScheduleListEntry) scheduleRow {
	r := scheduleRow{ID: e.ID, Paused: e.Paused, Cron: memoString(e.Memo, cronMemo), Pipeline: memoString(e.Memo, pipelineMemo)}
	if e.Paused {
		r.Note = e.Note
	}
	if len(e.NextActionTimes) > 0 && !e.Paused {
		r.NextRun = e.NextActionTimes[0]
	}
	if n := len(e.RecentActions); n > 0 {
		last := e.RecentActions[n-1]
		r.LastStarted = last.ActualTime
		if w := last.StartWorkflowResult; w != nil {
			r.LastRun, r.LastRunID = w.WorkflowID, w.FirstExecutionRunID
			r.LastResult = "unknown"
			if d, err := c.DescribeWorkflowExecution(ctx, w.WorkflowID, w.FirstExecutionRunID); err == nil {
				r.LastResult = statusName(d.GetWorkflowExecutionInfo().GetStatus())
			}
		}
	}
	return r
}

func memoString(m *commonpb.Memo, key string) string {
	p, ok := m.GetFields()[key]
	if !ok {
		return ""
	}
	var s string
	if converter.GetDefaultDataConverter().FromPayload(p, &s) != nil {
		return ""
	}
	return s
}

func scheduleTable(w io.Writer, rows []scheduleRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no schedules (starter schedule create -f FILE --cron \"0 2 * * *\" makes one)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCHEDULE\tPIPELINE\tCRON\tSTATE\tNEXT RUN\tLAST RESULT\tLAST RUN")
	for _, r := range rows {
		state := "active"
		if r.Paused {
			state = "paused"
			if r.Note != "" {
				state += " (" + r.Note + ")"
			}
		}
		next := "-"
		if !r.NextRun.IsZero() {
			next = r.NextRun.UTC().Format("2006-01-02 15:04:05Z")
		}
		last, result := "-", "never ran"
		if r.LastRun != "" {
			last = r.LastRun + " at " + r.LastStarted.UTC().Format("2006-01-02 15:04:05Z")
			result = r.LastResult
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, dash(r.Pipeline), dash(r.Cron), state, next, result, last)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// scheduleTrigger starts the schedule's action now and prints the run it
// started: the server answers a trigger with nothing, so the run is the
// one that appears in the schedule's recent actions afterwards.
func scheduleTrigger(ctx context.Context, conf temporalconf.Config, h client.ScheduleHandle, stdout io.Writer) error {
	before, err := h.Describe(ctx)
	if err != nil {
		return scheduleError("trigger", h.GetID(), conf.Namespace, err)
	}
	seen := map[string]bool{}
	for _, a := range before.Info.RecentActions {
		if a.StartWorkflowResult != nil {
			seen[a.StartWorkflowResult.WorkflowID+"/"+a.StartWorkflowResult.FirstExecutionRunID] = true
		}
	}
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL}); err != nil {
		return scheduleError("trigger", h.GetID(), conf.Namespace, err)
	}
	// The schedule starts the run within moments; a loaded server may take
	// longer, and the run still starts after the starter gives up looking.
	deadline := time.Now().Add(time.Minute)
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		d, err := h.Describe(ctx)
		if err != nil {
			return scheduleError("trigger", h.GetID(), conf.Namespace, err)
		}
		for i := len(d.Info.RecentActions) - 1; i >= 0; i-- {
			w := d.Info.RecentActions[i].StartWorkflowResult
			if w != nil && !seen[w.WorkflowID+"/"+w.FirstExecutionRunID] {
				fmt.Fprintf(stdout, "schedule %s started %s (run %s)\n  watch it: starter watch %s\n  web UI:   %s\n",
					h.GetID(), w.WorkflowID, w.FirstExecutionRunID, w.WorkflowID, conf.WorkflowURL(w.WorkflowID))
				return nil
			}
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(stdout, "schedule %s triggered; its run has not started yet (starter schedule describe %s lists it once it has)\n", h.GetID(), h.GetID())
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// scheduleError says what went wrong with a schedule command; no schedule
// of that ID is a message of its own, not the server's.
func scheduleError(verb, id, namespace string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%s schedule %s: no schedule %s in namespace %s (starter schedule list shows them)", verb, id, id, namespace)
	}
	return fmt.Errorf("%s schedule %s: %w", verb, id, err)
}

// checkCron catches what the server would refuse of a cron expression's
// shape before anything is sent: it takes 5 to 7 fields (minute hour
// day-of-month month day-of-week [second] [year]) or a @ descriptor such
// as @daily or @every 1h.
func checkCron(cron string) error {
	fields := strings.Fields(cron)
	if strings.HasPrefix(cron, "@") || len(fields) >= 5 && len(fields) <= 7 {
		return nil
	}
	return usageError{fmt.Errorf("schedule create: --cron %q: %d field(s); %s", cron, len(fields), cronHelp)}
}

const cronHelp = `write minute hour day-of-month month day-of-week, e.g. "0 2 * * *" (02:00 daily) or "30 4 * * MON-FRI", or @daily, @hourly, @every 6h`

// cronRefused is the server's refusal of the schedule's spec as bad input
// naming --cron, or nil for any other error.
func cronRefused(cron string, err error) error {
	var ia *serviceerror.InvalidArgument
	if !errors.As(err, &ia) || !strings.Contains(strings.ToLower(ia.Message), "schedule spec") {
		return nil
	}
	why := ia.Message
	if i := strings.Index(why, ": "); i >= 0 {
		why = why[i+2:]
	}
	return usageError{fmt.Errorf("schedule create: --cron %q: %s; %s", cron, why, cronHelp)}
}
