package pipeline

import "time"

// What Temporal allows, as the pipeline's caps are derived from it: the
// defaults of Temporal server v1.29.1 (common/dynamicconfig/constants.go)
// and of Go SDK v1.50. A pipeline spec is the workflow's input, every step
// and fan-out item schedules activities and child workflows named after it,
// and the whole run lives in one workflow history, so a spec past these
// numbers is accepted by nothing downstream: the start fails, or a workflow
// task fails on every retry and the pipeline shows Running forever.
const (
	// temporalMaxIDLength is limit.maxIDLength: the most bytes in a
	// workflow ID, activity ID, signal or update name.
	temporalMaxIDLength = 1000
	// temporalBlobWarn and temporalBlobError are limit.blobSize.warn and
	// .error: per payload (the workflow's input is the spec).
	temporalBlobWarn  = 512 << 10
	temporalBlobError = 2 << 20
	// temporalSummaryBytes is limit.userMetadataSummarySize: the encoded
	// summary shown for a workflow in the web UI (the description).
	temporalSummaryBytes = 400
	// temporalHistoryEvents is the design's budget for one run's history:
	// limit.historyCount.suggestContinueAsNew (4,096); the server warns at
	// 10,240 (limit.historyCount.warn) and terminates at 51,200
	// (limit.historyCount.error). limit.numPendingActivities.error and
	// .numPendingChildExecutions.error are 2,000 each.
	temporalHistoryEvents = 4096
	// The frontend takes gRPC messages up to 4 MiB (grpc-go's default; the
	// server sets no other) and the SDK sends up to 128 MiB; the 2 MiB
	// payload limit comes first. The SDK fails a workflow task that runs
	// longer than 1 s (DeadlockDetectionTimeout) on every retry.
)

// The caps a pipeline file must fit, each far enough under Temporal's
// limits above that the run cannot reach them.
const (
	// MaxSpecBytes bounds the pipeline file and the spec as the workflow
	// receives it (JSON): half of the 512 KiB at which Temporal starts to
	// warn, a quarter of the 2 MiB it refuses.
	MaxSpecBytes = 256 << 10

	// MaxUnits bounds the steps and fan-out items of a pipeline together:
	// each is a unit of work in the pipeline's own history. The recorded
	// histories (workflows/testdata/histories) measure 19 to 22 events a
	// unit for small pipelines (gold-rollout 97 for 5, fanout-copy 101 for
	// 5); on a dev server (2026-12, CLI v1.5.1) a 100-unit fan-out of updates
	// with 3 s jobs took 1,292 events, and the same with a failure that
	// rolled back all 99 updates 3,170: under the 4,096 budget either way,
	// and a sixteenth of the 51,200 the server allows. A job reporting
	// every tenth percent adds about 40 events to its unit. 100 also keeps
	// every unit's activity and child under the 2,000 pending of each
	// kind, and the work of one workflow task (which renders every step's
	// progress) far inside the SDK's 1 s deadlock timeout.
	MaxUnits = 100

	// MaxItemLabelBytes bounds a fan-out item's label (the item, or its
	// mapping's name, see ItemLabel), which names the item's activities
	// ("step[i:label]#n") and child workflows ("<workflow id>/step[i:label]/
	// kind"), so every ID stays far under Temporal's 1,000 bytes. 255 is
	// the longest name any vendor's rules accept (pipeline.Rule).
	MaxItemLabelBytes = 255

	// MaxWorkflowIDBytes bounds the workflow ID a pipeline may run under
	// (the default, pipeline-<name>-<time>, is at most 97): a child
	// workflow's ID adds "/", the longest unit name (63-byte step id,
	// "[99:", a 255-byte label, "]"), "/" and the longest job kind (15), so
	// 1,000 - 340 = 660 would fit; 512 leaves room for a new job kind.
	MaxWorkflowIDBytes = 512

	// MaxRetryAttempts bounds retry.max_attempts: every failed attempt is
	// reported to the pipeline's history (a signal and a workflow task,
	// about 4 events), so 100 attempts of one call cost a tenth of the
	// 4,096-event budget. Temporal's own field is an int32.
	MaxRetryAttempts = 100

	// MinInterval is the shortest retry interval: retries faster than a
	// second would spend an hour's budget of attempts (and their reports in
	// history) in minutes, against a vendor that is already failing.
	MinInterval = time.Second

	// MaxDescriptionBytes bounds the description, the workflow's summary
	// in the web UI, as Temporal stores it: JSON (where <, > and & take 6
	// bytes each) inside a payload whose metadata takes about 25 of
	// Temporal's 400. Unverified: server v1.29.1 defines the 400-byte
	// limit but does not enforce it; later servers and Temporal Cloud may.
	MaxDescriptionBytes = 360
)

// The retry policy a step's vendor calls get when the step does not say
// (workflows.callOptions): an override of one bound must still agree with
// the other, as Temporal refuses a maximum interval under the initial one.
const (
	DefaultInitialInterval = time.Second
	DefaultMaxInterval     = time.Minute
)
