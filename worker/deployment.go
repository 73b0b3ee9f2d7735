package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"go.temporal.io/sdk/worker"
)

// Worker Versioning: a worker given a deployment name joins that Worker
// Deployment as the version named by its build ID. Temporal then sends a
// pipeline's every task to the version it started on (ImagePipeline and
// its children are pinned, workflows/register.go), so a deploy whose
// workflow code orders commands differently never replays a pipeline in
// flight on the new code: the old version's workers finish what they
// started while the new version, once promoted, takes every new pipeline.
// The README's "Versioned rollout" is the procedure.
//
// Without a deployment name the worker is unversioned, as before: every
// worker of the task queue runs every pipeline, and a change in command
// order needs a workflow.GetVersion patch.

// binaryInfo reads the version the go command stamps into the binary; a
// variable so tests can stand in for a build.
var binaryInfo = debug.ReadBuildInfo

// binaryVersion is the module version the go command stamped into this
// binary (a release tag, or v0.0.0-<time>-<commit> in a git clone), or ""
// when it names no one build: "(devel)" is what every build outside a git
// clone carries (a worktree, a Docker context without .git, -buildvcs=false),
// and "+dirty" is every build of a modified tree; two different builds under
// one build ID would defeat the versioning.
func binaryVersion() string {
	info, ok := binaryInfo()
	if !ok {
		return ""
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" || strings.HasSuffix(v, "+dirty") {
		return ""
	}
	return v
}

// printVersion answers worker --version: the module version stamped in
// the binary and the build ID it runs as when versioned, so an operator
// knows what make promote wants.
func printVersion(w io.Writer) {
	version := "(no build information)"
	if info, ok := binaryInfo(); ok {
		version = info.Main.Path + " " + info.Main.Version
	}
	fmt.Fprintf(w, "worker %s\n", version)
	switch id, def := os.Getenv("IMAGEPIPE_BUILD_ID"), binaryVersion(); {
	case id != "":
		fmt.Fprintf(w, "build ID: %s (from IMAGEPIPE_BUILD_ID)\n", id)
	case def != "":
		fmt.Fprintf(w, "build ID: %s (the binary's version; IMAGEPIPE_BUILD_ID overrides it)\n", def)
	default:
		fmt.Fprintln(w, "build ID: none of its own (a development or modified-tree build); set IMAGEPIPE_BUILD_ID to run versioned")
	}
}

// checkDeployment fills in the build ID and checks the versioning
// settings as the server would, so a bad name fails the start naming the
// variable instead of the first poll failing inside the SDK.
func checkDeployment(cfg *config, vars map[string]string, problems *settingsError) {
	name, build := vars["DeploymentName"], vars["BuildID"]
	if cfg.DeploymentName == "" {
		if cfg.BuildID != "" {
			problems.Add("%s=%q without %s: a build ID names a version of a Worker Deployment; want %s set too, or %s unset",
				build, cfg.BuildID, name, name, build)
		}
		return
	}
	if why := badDeploymentPart(cfg.DeploymentName); why != "" {
		problems.Add("%s=%q: %s; want %s", name, cfg.DeploymentName, why, goodValue["DeploymentName"])
	} else if strings.ContainsAny(cfg.DeploymentName, ".:") {
		// Temporal joins name and build ID into version strings with these.
		problems.Add("%s=%q: contains '.' or ':'; want %s", name, cfg.DeploymentName, goodValue["DeploymentName"])
	}
	if cfg.BuildID == "" {
		if cfg.BuildID = binaryVersion(); cfg.BuildID == "" {
			problems.Add("%s unset, and this binary carries no version of its own to default to "+
				"(built outside a git clone, from a modified tree, or with -buildvcs=false); want %s", build, goodValue["BuildID"])
		}
		return
	}
	if why := badDeploymentPart(cfg.BuildID); why != "" {
		problems.Add("%s=%q: %s; want %s", build, cfg.BuildID, why, goodValue["BuildID"])
	}
}

// maxDeploymentPart is the longest deployment name or build ID a server
// with its default ID limit (limit.maxIDLength, 1000) accepts: the server
// puts both in one workflow ID after a 39-character prefix.
const maxDeploymentPart = (1000 - len("temporal-sys-worker-deployment-version:")) / 2

// badDeploymentPart says what the server would refuse in a deployment name
// or build ID, or "" when nothing.
func badDeploymentPart(s string) string {
	switch {
	case strings.TrimSpace(s) != s:
		return "begins or ends with white space"
	case strings.HasPrefix(s, "__"):
		return "begins with '__', which Temporal reserves"
	case len(s) > maxDeploymentPart:
		return "longer than the server accepts"
	}
	return ""
}

// deploymentOptions opts the worker into Worker Versioning when a
// deployment name is set. Every workflow declares its own versioning
// behavior at registration, so no default is given: a workflow added
// without one fails the worker's start instead of running unpinned.
func (c config) deploymentOptions() worker.DeploymentOptions {
	if c.DeploymentName == "" {
		return worker.DeploymentOptions{}
	}
	return worker.DeploymentOptions{
		UseVersioning: true,
		Version:       worker.WorkerDeploymentVersion{DeploymentName: c.DeploymentName, BuildID: c.BuildID},
	}
}
