package conformance

import (
	"context"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Subject is one vendor's client and emulator, fresh for each case, wired
// by the vendor's own test file.
type Subject struct {
	// Vendor is the name the vendor's errors carry (vendorerr.Error.Vendor).
	Vendor string
	// Kernel is the emulator's kernel: the suite injects faults and reads
	// calls and idempotency keys through it.
	Kernel *simkit.Kernel
	// Holds must wrap the handler the client reaches, so the suite can lose
	// an answer after the vendor acted on the call.
	Holds *simkit.Holds

	// CreateOp is the emulator's operation name of Create's mutating call.
	CreateOp string
	// CreateRequest picks that call's request out of the others (logins,
	// look-ups) Create makes: its method and how its path ends, as in
	// "POST /copy".
	CreateRequest string
	// Create makes the vendor's mutating call as one attempt of a step
	// does, with key as the step's idempotency key and the same resource
	// every time (a check before create included, for a vendor without
	// tokens). It returns the job to wait for, or "" with a nil error when
	// the vendor says an earlier attempt's work is already there or under
	// way.
	Create func(ctx context.Context, key string) (job string, err error)
	// Made counts the resources the emulator holds from Create's calls,
	// once their jobs have run (it may move the emulator's clock).
	Made func() int

	// FailNext makes the next job Create starts fail, and returns the text
	// the failure's reason must carry.
	FailNext func() string
	// Poll looks at job once, as the step's poll does: whether it ended,
	// whether it succeeded and, if not, the vendor's reason.
	Poll func(ctx context.Context, job string) (done, succeeded bool, reason string, err error)
	// Clock is the emulator's clock, and PollEvery how far the suite moves
	// it between two polls of a job still running.
	Clock     *simkit.ManualClock
	PollEvery time.Duration

	// Refuse makes a call the vendor refuses for what it asks;
	// RefusalStatus and RefusalCode are the answer it must give.
	Refuse        func(ctx context.Context) error
	RefusalStatus int
	RefusalCode   string

	// BadCredentials makes a call with credentials the emulator does not
	// know.
	BadCredentials func(ctx context.Context) error
}
