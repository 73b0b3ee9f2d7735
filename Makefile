# imagepipe: the targets are the interface for people.
#   make run    start Temporal, the vendor emulators and a worker, run the example pipeline
#   make test   unit, workflow, conformance and integration tests, and the crash and fault suites' CI slices
#   make soak   the crash suite at length (IMAGEPIPE_SOAK_* size it), then the fault suite's long variants
#   make bench  imagepipe against the bare-Temporal floor; writes BENCHMARKS.md
#   make lint   gofmt and go vet
#   make fuzz   every fuzz target briefly (FUZZTIME each, default 5s)
#   make up / make down   the local stack in the background
#   make cluster-up / make cluster-down   Temporal on PostgreSQL as four processes, two workers

SHELL := /bin/bash
TEMPORAL_VERSION := v1.5.1
BIN := $(CURDIR)/bin
# A temporal CLI already on PATH is used as is; otherwise v1.5.1 is built into ./bin.
TEMPORAL ?= $(shell command -v temporal 2>/dev/null || echo $(BIN)/temporal)
PIPELINE ?= examples/gold-rollout.yaml
export TEMPORAL

.PHONY: build run up down test test-unit test-conformance test-fuzz test-crash test-faults soak bench lint fuzz clean temporal record-histories screenshot

build:
	go build -o $(BIN)/ ./worker ./starter ./emulator

temporal: $(TEMPORAL)

$(BIN)/temporal:
	@echo "building the Temporal CLI $(TEMPORAL_VERSION) into ./bin (the first build takes several minutes)"
	GOBIN=$(BIN) go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION)

# The Temporal server and its schema tool, built once into ./bin like the
# CLI (CI caches bin/), with the server module's PostgreSQL schema beside
# them. The server is written last: an interrupted build builds again.
TEMPORAL_SERVER_VERSION := v1.29.1
.PHONY: temporal-server cluster-up cluster-down cluster-status
temporal-server: $(BIN)/temporal-server

$(BIN)/temporal-server:
	@echo "building the Temporal server $(TEMPORAL_SERVER_VERSION) and its schema tool into ./bin (the first build takes minutes)"
	rm -rf $(BIN)/.server-build $(BIN)/temporal-schema && mkdir -p $(BIN)/.server-build $(BIN)/temporal-schema/postgresql
	GOBIN=$(BIN)/.server-build go install go.temporal.io/server/cmd/server@$(TEMPORAL_SERVER_VERSION) go.temporal.io/server/cmd/tools/sql@$(TEMPORAL_SERVER_VERSION)
	dir=$$(go mod download -json go.temporal.io/server@$(TEMPORAL_SERVER_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
		test -d "$$dir/schema/postgresql/v12" && cp -R "$$dir/schema/postgresql/v12" $(BIN)/temporal-schema/postgresql/ && chmod -R u+w $(BIN)/temporal-schema
	mv $(BIN)/.server-build/sql $(BIN)/temporal-sql-tool
	mv $(BIN)/.server-build/server $(BIN)/temporal-server
	rmdir $(BIN)/.server-build

# The same topology CI tests, for a user without Docker (scripts/cluster.sh
# says what it runs and which ports; make cluster-down stops all of it).
cluster-up: build temporal temporal-server
	scripts/cluster.sh up

cluster-down:
	scripts/cluster.sh down

cluster-status:
	scripts/cluster.sh status

# make run EXIT=1 stops everything when the pipeline ends, with its exit status.
run: build temporal
	PIPELINE=$(PIPELINE) EXIT=$(EXIT) scripts/stack.sh run

up: build temporal
	scripts/stack.sh up

down:
	scripts/stack.sh down

# CI runs this: lint, every suite, each fuzz target briefly (the seed
# corpora already ran as plain tests in test-unit), then the crash suite.
test: build temporal lint test-unit test-conformance test-fuzz test-crash test-faults test-cluster

# Every package but the crash suite and the fault tests, which test-crash
# and test-faults run verbosely.
test-unit:
	go test -count=1 -skip '$(FAULT_TESTS)' $$(go list ./... | grep -v -e '/integration/crash$$' -e '/integration/cluster$$')

# The real engine: scripts/cluster.sh's topology (PostgreSQL, the server as
# four processes, two workers) runs the examples, loses nothing to a worker
# SIGKILL and a history restart mid-run, and serves TLS and mTLS. Without
# the server or PostgreSQL it skips, unless IMAGEPIPE_REQUIRE_CLUSTER is set
# (.ci/run sets it).
.PHONY: test-cluster
test-cluster: build temporal temporal-server
	go test -count=1 -v -timeout 15m ./integration/cluster

# The fault suite's CI slice: 20 pipelines under 30% vendor faults, 10
# through latency, resets and a partition between worker and Temporal, and
# cancel and terminate mid-job. -v shows their one-line summaries
# (vendor-faults: pipelines=20 faults=... early-retries=0 lost=0 ...).
FAULT_TESTS := ^(TestVendorFaults|TestNetworkFaults|TestCancelMidJob|TestCancelAfterTheMoveLanded|TestTerminateMidJob)_
test-faults:
	go test -count=1 -v -timeout 20m -run '$(FAULT_TESTS)' ./integration

# The crash suite's CI slice: 40 pipelines through 25 SIGKILLs of the worker
# process (10 while a vendor's accepted answer is held), and 20 through a
# SIGTERM and a SIGKILL of the dev server. -v shows its one-line summaries
# (crash-storm: pipelines=... kills=... lost=0 stuck=0 took=...).
test-crash:
	go test -count=1 -v -timeout 20m ./integration/crash

# make soak runs the crash suite at length: by default 300 pipelines through
# 200 worker SIGKILLs (80 in the window) and 100 pipelines through five stops
# of the dev server per signal, with a new seed each time (printed; set
# IMAGEPIPE_SOAK_SEED to repeat a run). Any IMAGEPIPE_SOAK_* set in the
# environment wins. Then the fault suite with IMAGEPIPE_SOAK set: 60
# pipelines under vendor faults, 30 through network faults that keep
# coming until every pipeline has ended (IMAGEPIPE_FAULT_SEED repeats one).
soak: build temporal
	IMAGEPIPE_SOAK_PIPELINES=$${IMAGEPIPE_SOAK_PIPELINES:-300} \
	IMAGEPIPE_SOAK_KILLS=$${IMAGEPIPE_SOAK_KILLS:-200} \
	IMAGEPIPE_SOAK_IN_WINDOW=$${IMAGEPIPE_SOAK_IN_WINDOW:-80} \
	IMAGEPIPE_SOAK_RESTART_PIPELINES=$${IMAGEPIPE_SOAK_RESTART_PIPELINES:-100} \
	IMAGEPIPE_SOAK_RESTARTS=$${IMAGEPIPE_SOAK_RESTARTS:-5} \
	IMAGEPIPE_SOAK_SEED=$${IMAGEPIPE_SOAK_SEED:-$$(date +%s)} \
	IMAGEPIPE_SOAK_DEADLINE=$${IMAGEPIPE_SOAK_DEADLINE:-10m} \
	go test -count=1 -v -timeout 35m -run 'TestCrashStorm|TestServerRestart' ./integration/crash
	IMAGEPIPE_SOAK=1 go test -count=1 -v -timeout 40m -run 'TestVendorFaults|TestNetworkFaults' ./integration

test-conformance:
	go test -count=1 -run TestConformance ./providers/...
	cd providers/huawei/sdkcheck && go test -count=1 ./...

# Re-record the histories the replay tests replay, from real runs of every
# example (and a rejected approval) on a dev server. Do this after a
# deliberate, versioned change to workflow code, and commit the result.
# Recordings go beside the histories already there (which prove that
# pipelines recorded under older code still replay), named PREFIX-….
record-histories: build temporal
	@test -n "$(PREFIX)" || { echo "usage: make record-histories PREFIX=<name, e.g. the change recorded>" >&2; exit 2; }
	IMAGEPIPE_RECORD_HISTORIES=$(CURDIR)/workflows/testdata/histories IMAGEPIPE_RECORD_PREFIX=$(PREFIX) go test -count=1 -run 'TestExamples|TestRejectedApproval|TestRollback_Cancel' ./integration
	go test -count=1 -run TestReplay ./workflows

# Re-take the README's picture of the web UI (docs/webui-pipeline.png): a
# pipeline waiting for approval, its step table and how to approve, as
# headless Chromium shows the dev server's UI.
screenshot: build temporal
	IMAGEPIPE_REQUIRE_BROWSER=1 IMAGEPIPE_SCREENSHOT=$(CURDIR)/docs/webui-pipeline.png go test -count=1 -run TestWebUI_ShowsTheStepTableAndHowToApprove ./integration

# imagepipe against the bare-Temporal floor in one run on one dev server:
# throughput at 1, 10 and 50 in flight, sequential step latency, job waits
# of 10 s to 24 h, the worker's memory with 1,000 pipelines in flight.
# Writes bench/results.json, BENCHMARKS.md and bench/throughput.svg (about
# 12 minutes here on an idle machine; IMAGEPIPE_BENCH_* size it, see BENCHMARKS.md).
bench: build temporal
	go test -run '^$$' -bench . -benchmem ./pipeline/
	set -o pipefail; IMAGEPIPE_BENCH=1 IMAGEPIPE_BENCH_WORKER=$(BIN)/worker go test -count=1 -v -timeout 60m -run '^TestBench$$' ./bench/ | grep --line-buffered -E '^(bench:|--- |FAIL|ok|panic)|_test.go:'

# Each fuzz target as package:Name. `go test -fuzz` takes one target of one
# package at a time; the seed corpora in each package's testdata/fuzz also
# run as plain tests in `make test`.
FUZZTIME ?= 5s
FUZZ_TARGETS := \
	./providers/fpp/fppsim:FuzzFPPSimRequest \
	./providers/huawei/huaweisim:FuzzIMSSimRequest \
	./providers/oci/ocisim:FuzzOCISimRequest \
	./providers/zstack/zstacksim:FuzzZStackSimRequest \
	./providers/fpp:FuzzFPPClientResponse \
	./providers/huawei:FuzzIMSClientResponse \
	./providers/oci:FuzzOCIClientResponse \
	./providers/zstack:FuzzZStackClientResponse \
	./pipeline:FuzzParse \
	./pipeline:FuzzResolve \
	./workflows:FuzzValidatedSpecRuns

test-fuzz:
	$(MAKE) --no-print-directory fuzz FUZZTIME=3s

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t##*:} ($(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime=$(FUZZTIME) "$${t%%:*}"; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	go mod tidy -diff
	cd providers/huawei/sdkcheck && go mod tidy -diff

clean:
	rm -rf .imagepipe

# make promote DEPLOYMENT=imagepipe BUILD_ID=<build> makes that version of
# the workers' Worker Deployment current: new pipelines start on it, those
# in flight stay on the version they started on. The CLI reaches Temporal
# as the worker does (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
# TEMPORAL_TLS_*). It refuses a version whose workers have not polled yet.
DEPLOYMENT ?= imagepipe
.PHONY: promote
promote: temporal
	@test -n "$(BUILD_ID)" || { echo "make promote: BUILD_ID is empty; want the IMAGEPIPE_BUILD_ID of the new workers (their log's build_id)" >&2; exit 2; }
	$(TEMPORAL) worker deployment set-current-version --deployment-name "$(DEPLOYMENT)" --build-id "$(BUILD_ID)" --yes
	$(TEMPORAL) worker deployment describe --name "$(DEPLOYMENT)"
