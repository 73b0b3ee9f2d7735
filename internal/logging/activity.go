package logging

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.uber.org/zap"
)

// ActivityLog returns a worker interceptor that gives every activity's log
// lines the step (and item) they are for, read from the input's
// activities.Unit, besides the workflow and run the SDK adds,
// and reports each failed attempt once, on l: at WARN while Temporal will
// retry it (a 429, a 5xx, a dropped connection), at ERROR when it is the
// last (refused, or out of attempts or time), and at INFO when the call
// was cancelled.
func ActivityLog(l *zap.Logger) interceptor.WorkerInterceptor {
	return &activityLog{log: l}
}

type activityLog struct {
	interceptor.WorkerInterceptorBase
	log *zap.Logger
}

func (a *activityLog) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityLogInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, log: a.log}
}

type activityLogInbound struct {
	interceptor.ActivityInboundInterceptorBase
	log *zap.Logger
}

func (a *activityLogInbound) Init(outbound interceptor.ActivityOutboundInterceptor) error {
	return a.Next.Init(&activityLogOutbound{ActivityOutboundInterceptorBase: interceptor.ActivityOutboundInterceptorBase{Next: outbound}})
}

func (a *activityLogInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	ctx = context.WithValue(ctx, unitKey{}, unitOf(in.Args))
	res, err := a.Next.ExecuteActivity(ctx, in)
	if err != nil {
		a.report(ctx, err, time.Now())
	}
	return res, err
}

// report logs a failed attempt at the level its consequence deserves.
func (a *activityLogInbound) report(ctx context.Context, err error, now time.Time) {
	info := activity.GetInfo(ctx)
	fields := []zap.Field{
		zap.String("workflow_id", info.WorkflowExecution.ID),
		zap.String("run_id", info.WorkflowExecution.RunID),
		zap.String("activity", info.ActivityType.Name),
		zap.String("activity_id", info.ActivityID),
		zap.Int32("attempt", info.Attempt),
		zap.String("error", err.Error()),
	}
	if u := unitFrom(ctx); u.step != "" {
		fields = append(fields, zap.String("step", u.step))
		if u.item >= 0 {
			fields = append(fields, zap.Int("item", u.item))
		}
	}
	switch retry, next := willRetry(info, err, now); {
	case errors.Is(err, context.Canceled) || temporal.IsCanceledError(err):
		a.log.Info("activity cancelled", fields...)
	case retry:
		a.log.Warn("activity attempt failed; Temporal retries it", append(fields, zap.Duration("retry_in", next))...)
	default:
		a.log.Error("activity failed", fields...)
	}
}

// willRetry judges, as the server will, whether a failed attempt is
// retried, and after how long: not when the error says so, its type is
// one the policy names, the attempts are used up, or the next attempt
// would start past the schedule-to-close deadline. The server decides;
// this only picks the log level. ActivityInfo's ScheduledTime is when the
// activity was first scheduled (PollActivityTaskQueueResponse's
// scheduled_time, beside current_attempt_scheduled_time), which the
// schedule-to-close deadline counts from.
func willRetry(info activity.Info, err error, now time.Time) (bool, time.Duration) {
	var app *temporal.ApplicationError
	isApp := errors.As(err, &app)
	if isApp && app.NonRetryable() {
		return false, 0
	}
	p := info.RetryPolicy
	if p == nil {
		return true, 0
	}
	if isApp && slices.Contains(p.NonRetryableErrorTypes, app.Type()) {
		return false, 0
	}
	if p.MaximumAttempts > 0 && info.Attempt >= p.MaximumAttempts {
		return false, 0
	}
	next := backoff(p, info.Attempt)
	if isApp && app.NextRetryDelay() > 0 {
		next = app.NextRetryDelay()
	}
	if info.ScheduleToCloseTimeout > 0 && !now.Add(next).Before(info.ScheduledTime.Add(info.ScheduleToCloseTimeout)) {
		return false, 0
	}
	return true, next
}

// backoff is the policy's wait after attempt.
func backoff(p *temporal.RetryPolicy, attempt int32) time.Duration {
	initial := p.InitialInterval
	if initial <= 0 {
		initial = time.Second
	}
	coef := p.BackoffCoefficient
	if coef < 1 {
		coef = 2
	}
	d := time.Duration(float64(initial) * math.Pow(coef, float64(attempt-1)))
	if p.MaximumInterval > 0 && d > p.MaximumInterval || d < 0 {
		d = p.MaximumInterval
	}
	return d
}

type unitKey struct{}

// unit is the pipeline step an activity runs for, and the item of a
// fan-out step (-1 for none).
type unit struct {
	step string
	item int
}

// fields are the unit as log fields: step, and item when there is one.
func (u unit) fields() []any {
	switch {
	case u.step == "":
		return nil
	case u.item < 0:
		return []any{"step", u.step}
	}
	return []any{"step", u.step, "item", u.item}
}

func unitFrom(ctx context.Context) unit {
	u, ok := ctx.Value(unitKey{}).(unit)
	if !ok {
		return unit{item: -1}
	}
	return u
}

// stepped is an activity input that names the pipeline step it runs for:
// every vendor call's, which embeds activities.Unit (a job wait's polls
// among them), and an approval's notification (activities.NotifyInput).
type stepped interface {
	StepItem() (step string, item int)
}

// unitOf is the step (and item) an activity's input names.
func unitOf(args []any) unit {
	if len(args) > 0 {
		if in, ok := args[0].(stepped); ok {
			step, item := in.StepItem()
			return unit{step: step, item: item}
		}
	}
	return unit{item: -1}
}

// activityLogOutbound adds the step (and item) to activity.GetLogger's lines.
type activityLogOutbound struct {
	interceptor.ActivityOutboundInterceptorBase
}

func (o *activityLogOutbound) GetLogger(ctx context.Context) log.Logger {
	l := o.Next.GetLogger(ctx)
	if f := unitFrom(ctx).fields(); f != nil {
		return log.With(l, f...)
	}
	return l
}
