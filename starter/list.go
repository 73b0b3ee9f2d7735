package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/workflows"
)

// pipelineWorkflowType is the workflow type of a pipeline; job waits
// (AwaitJob) and name locks are workflows of their own types.
const pipelineWorkflowType = "ImagePipeline"

// listStatuses maps what --status takes to the close status Temporal keeps:
// a pipeline that succeeded completed, one that failed failed. The close
// status is read rather than ImagepipeStatus because a terminated
// pipeline's search attribute still says Running.
var listStatuses = map[string]enumspb.WorkflowExecutionStatus{
	"running":          enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
	"succeeded":        enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED,
	"failed":           enumspb.WORKFLOW_EXECUTION_STATUS_FAILED,
	"canceled":         enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED,
	"terminated":       enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED,
	"timed-out":        enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
	"continued-as-new": enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
}

func listStatusNames() []string { return sortedKeys(listStatuses) }

// listRow is one workflow of starter list.
type listRow struct {
	WorkflowID string    `json:"workflow_id"`
	RunID      string    `json:"run_id"`
	Type       string    `json:"type"`
	Pipeline   string    `json:"pipeline,omitempty"`
	Status     string    `json:"status"` // as --status names it
	Started    time.Time `json:"started"`
	Closed     time.Time `json:"closed,omitzero"`
	Duration   string    `json:"duration"` // so far, while it runs
}

func cmdList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("list")
	name := fs.String("pipeline", "", "only the pipeline of this name")
	status := fs.String("status", "", "only those in this state: "+strings.Join(listStatusNames(), ", "))
	since := fs.Duration("since", 0, "only those started within this long, e.g. 24h")
	all := fs.Bool("all", false, "every workflow, job waits (AwaitJob) and name locks too, not only pipelines")
	limit := fs.Int("limit", 100, "at most this many, newest first")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("list: unexpected argument %q (filters are flags: --pipeline NAME)", fs.Arg(0))}
	}
	query, err := listQuery(*name, *status, *since, *all, time.Now())
	if err != nil {
		return err
	}
	if *limit <= 0 {
		return usageError{fmt.Errorf("list: --limit %d: must be at least 1", *limit)}
	}
	return withClient(ctx, func(c client.Client) error {
		rows, err := listWorkflows(ctx, c, query, *limit, time.Now())
		if err != nil {
			return err
		}
		if *asJSON {
			if rows == nil {
				rows = []listRow{}
			}
			return json.NewEncoder(stdout).Encode(rows)
		}
		if len(rows) == 0 {
			fmt.Fprintf(stdout, "no workflow matches %s\n", query)
			return nil
		}
		return listTable(stdout, rows, *all)
	})
}

// listQuery is the visibility query of the filters. Bad input names the
// flag and what it takes.
func listQuery(name, status string, since time.Duration, all bool, now time.Time) (string, error) {
	var terms []string
	if !all {
		terms = append(terms, fmt.Sprintf("WorkflowType = '%s'", pipelineWorkflowType))
	}
	if name != "" {
		if strings.ContainsAny(name, `'"\`) {
			return "", usageError{fmt.Errorf("list: --pipeline %q: a pipeline name has no quotes or backslashes", name)}
		}
		terms = append(terms, fmt.Sprintf("%s = '%s'", workflows.PipelineNameAttribute.GetName(), name))
	}
	if status != "" {
		st, ok := listStatuses[strings.ToLower(status)]
		if !ok {
			return "", usageError{fmt.Errorf("list: --status %q: one of %s", status, strings.Join(listStatusNames(), ", "))}
		}
		terms = append(terms, fmt.Sprintf("ExecutionStatus = '%s'", st.String()))
	}
	if since < 0 {
		return "", usageError{fmt.Errorf("list: --since %s: a duration back from now, e.g. 24h", since)}
	}
	if since > 0 {
		terms = append(terms, fmt.Sprintf("StartTime > '%s'", now.Add(-since).UTC().Format(time.RFC3339Nano)))
	}
	return strings.Join(terms, " AND "), nil
}

func listWorkflows(ctx context.Context, c client.Client, query string, limit int, now time.Time) ([]listRow, error) {
	var rows []listRow
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token, PageSize: int32(min(limit, 1000))})
		if err != nil {
			return nil, fmt.Errorf("list workflows (%s): %w", query, err)
		}
		for _, e := range resp.GetExecutions() {
			rows = append(rows, rowOf(e.GetExecution().GetWorkflowId(), e.GetExecution().GetRunId(), e.GetType().GetName(),
				e.GetStatus(), e.GetStartTime().AsTime(), e.GetCloseTime(), e.GetSearchAttributes().GetIndexedFields(), now))
			if len(rows) == limit {
				return rows, nil
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return rows, nil
		}
	}
}

func rowOf(id, runID, typ string, st enumspb.WorkflowExecutionStatus, started time.Time, closed interface{ AsTime() time.Time }, attrs map[string]*commonpb.Payload, now time.Time) listRow {
	r := listRow{WorkflowID: id, RunID: runID, Type: typ, Status: statusName(st), Started: started}
	if p, ok := attrs[workflows.PipelineNameAttribute.GetName()]; ok {
		var name string
		if converter.GetDefaultDataConverter().FromPayload(p, &name) == nil {
			r.Pipeline = name
		}
	}
	end := now
	if st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		if t := closed.AsTime(); t.After(started) {
			r.Closed, end = t, t
		}
	}
	r.Duration = humanDuration(end.Sub(started))
	return r
}

// statusName is a close status as --status names it.
func statusName(st enumspb.WorkflowExecutionStatus) string {
	for name, s := range listStatuses {
		if s == st {
			return name
		}
	}
	return strings.ToLower(st.String())
}

// humanDuration rounds to what a person reads: 850ms, 42s, 3m05s, 2h10m.
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

func listTable(w io.Writer, rows []listRow, withType bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "ID\tPIPELINE\tSTATUS\tSTARTED\tDURATION"
	if withType {
		head += "\tTYPE"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		pipe := r.Pipeline
		if pipe == "" {
			pipe = "-"
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", r.WorkflowID, pipe, r.Status, r.Started.UTC().Format("2006-01-02 15:04:05Z"), r.Duration)
		if withType {
			line += "\t" + r.Type
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}
