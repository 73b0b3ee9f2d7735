package workflows

import "go.temporal.io/sdk/workflow"

// EngineChange is the one workflow.GetVersion a pipeline started since it
// asks, at its start. Each GetVersion of a new execution records a marker
// and upserts the TemporalChangeVersion search attribute, a command and a
// history event or two apiece, so one change standing for all the changes
// before it costs a new pipeline one marker instead of one per change.
//
// Its version 1 implies the latest version of every change below, which a
// pipeline started since never asks; a pipeline started before it finds
// no EngineChange marker in its history, replays at DefaultVersion (the
// SDK's answer for a change its history lacks) and asks each change as it
// did. Changes after this one bump EngineChange's version rather than add
// a GetVersion of their own.
//
//   - compensateFirstChange: compensation recorded before the call.
//   - notifyChange: notify targets told.
//   - JobWaitActivityChange: a job wait is a WaitForJob activity.
//   - huaweiCopyLockChange: an IMS copy runs under a name lock.
//   - fppImportWaitChange: an FPP import waits for a running import.
const EngineChange = "engine-2026-12"

// changeVersion is the version of an older change in this execution: its
// latest under EngineChange, or what the change's own GetVersion answers,
// at the same point of the workflow as before EngineChange. Every change
// it stands for has 1 as its latest version.
func (r *pipelineRun) changeVersion(ctx workflow.Context, changeID string) workflow.Version {
	if r.engine >= 1 {
		return 1
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, 1)
}
