package main

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// pipelineLabels are what a new run of spec carries for the web UI and
// list filters, the same whether run, rerun or a schedule starts it: the
// search attributes (the pipeline's name, and Running until the workflow
// says otherwise), the static summary (its description, else its name)
// and the static details (its steps).
func pipelineLabels(spec *pipeline.Spec) (attrs temporal.SearchAttributes, summary, details string) {
	summary = spec.Description
	if summary == "" {
		summary = "pipeline " + spec.Name
	}
	attrs = temporal.NewSearchAttributes(
		workflows.PipelineNameAttribute.ValueSet(spec.Name),
		workflows.PipelineStatusAttribute.ValueSet(workflows.StatusRunning),
	)
	return attrs, summary, staticDetails(spec)
}

func staticDetails(spec *pipeline.Spec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", spec.Name)
	if spec.File != "" {
		fmt.Fprintf(&b, " from `%s`", spec.File)
	}
	b.WriteString("\n\n")
	for _, st := range spec.Steps {
		fmt.Fprintf(&b, "- `%s`: %s", st.ID, st.Uses)
		if deps := pipeline.Dependencies(st); len(deps) > 0 {
			fmt.Fprintf(&b, " after %s", strings.Join(deps, ", "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// checkNewID refuses an --id too long to start a pipeline under: its
// waits' workflow IDs add the step and job kind to it, and Temporal
// refuses IDs over 1,000 bytes.
func checkNewID(id string) error {
	if n := len(id); n > pipeline.MaxWorkflowIDBytes {
		return usageError{fmt.Errorf("--id: %d bytes; at most %d: nothing started", n, pipeline.MaxWorkflowIDBytes)}
	}
	return nil
}
