package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Updates that decide an approval step.
const (
	ApproveUpdate = "approve"
	RejectUpdate  = "reject"
)

// Error types of an approval step that did not pass.
const (
	ErrRejected        = "imagepipe.Rejected"
	ErrApprovalTimeout = "imagepipe.ApprovalTimeout"
)

// defaultApprovalTimeout is how long an approval waits without a step timeout.
const defaultApprovalTimeout = 24 * time.Hour

// ApprovalInput is the argument of the approve and reject updates.
type ApprovalInput struct {
	Step    string `json:"step"`
	By      string `json:"by"`
	Comment string `json:"comment,omitempty"`
}

// pendingApproval is an approval step waiting for its decision.
type pendingApproval struct {
	approvers []string
	decision  *Decision
}

func (r *pipelineRun) registerApprovals(ctx workflow.Context) error {
	for _, u := range []struct {
		name    string
		approve bool
		doc     string
	}{
		{ApproveUpdate, true, "approve a waiting approval step: {step, by, comment}"},
		{RejectUpdate, false, "reject a waiting approval step, failing it: {step, by, comment}"},
	} {
		err := workflow.SetUpdateHandlerWithOptions(ctx, u.name,
			func(ctx workflow.Context, in ApprovalInput) (Decision, error) {
				p := r.approvals[in.Step]
				p.decision = &Decision{Approved: u.approve, By: in.By, Comment: in.Comment, At: workflow.Now(ctx)}
				return *p.decision, nil
			},
			workflow.UpdateHandlerOptions{
				Validator:   func(_ workflow.Context, in ApprovalInput) error { return r.validateDecision(in) },
				Description: u.doc,
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// validateDecision rejects a decision before it enters history: for a step
// that is not waiting for one, by nobody, or by someone not allowed.
func (r *pipelineRun) validateDecision(in ApprovalInput) error {
	if strings.TrimSpace(in.By) == "" {
		return fmt.Errorf("say who decides (by)")
	}
	p, ok := r.approvals[in.Step]
	if !ok {
		sp, exists := r.steps[in.Step]
		if !exists {
			return fmt.Errorf("no step %q in pipeline %s", in.Step, r.spec.Name)
		}
		return fmt.Errorf("step %q is not waiting for approval (it is %s)", in.Step, sp.State)
	}
	if p.decision != nil {
		return fmt.Errorf("step %q was already decided by %s", in.Step, p.decision.By)
	}
	if len(p.approvers) > 0 && !slices.Contains(p.approvers, in.By) {
		return fmt.Errorf("%s may not decide step %q (approvers: %s)", in.By, in.Step, strings.Join(p.approvers, ", "))
	}
	return nil
}

// approval waits for a person's decision: approved, the pipeline goes on;
// rejected or undecided within the step's timeout, the step fails.
func (s *Step) approval(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		Message   string   `json:"message"`
		Approvers []string `json:"approvers"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	timeout := s.step.Timeout.D()
	if timeout == 0 {
		timeout = defaultApprovalTimeout
	}
	r := s.run
	p := &pendingApproval{approvers: in.Approvers}
	r.approvals[s.step.ID] = p
	defer delete(r.approvals, s.step.ID)
	sp := r.steps[s.step.ID]
	sp.State = StepWaiting
	sp.Approval = &ApprovalWait{Message: in.Message, Approvers: in.Approvers, Deadline: workflow.Now(ctx).Add(timeout)}
	who := "anyone"
	if len(in.Approvers) > 0 {
		who = strings.Join(in.Approvers, ", ")
	}
	s.Detail(ctx, "waiting up to %s for %s to approve: %s", timeout, who, in.Message)
	r.notifyApproval(ctx, s.step.ID, in.Message, in.Approvers)
	decided, err := workflow.AwaitWithTimeout(ctx, timeout, func() bool { return p.decision != nil })
	sp.State, sp.Approval = StepRunning, nil
	if err == nil && !decided && ctx.Err() != nil {
		// Cancelling the pipeline cancels the wait's timer too, and when
		// the timer's cancellation is seen first the wait ends as if the
		// timeout had passed: it was the pipeline's cancellation.
		err = temporal.NewCanceledError(fmt.Sprintf("step %q: cancelled while waiting for a decision", s.step.ID))
	}
	if err != nil {
		return nil, err
	}
	if !decided {
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: no decision within %s", s.step.ID, timeout), ErrApprovalTimeout, nil)
	}
	d := *p.decision
	sp.Decision = &d
	if !d.Approved {
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: rejected by %s: %s", s.step.ID, d.By, d.Comment), ErrRejected, nil)
	}
	return map[string]string{"decision": "approved", "decided_by": d.By, "comment": d.Comment}, nil
}
