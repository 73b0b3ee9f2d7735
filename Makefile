# imagepipe: the targets are the interface for people.
#   make run    start Temporal, the vendor emulators and a worker, run the example pipeline
#   make test   unit, workflow, conformance and integration tests
#   make bench  benchmarks
#   make lint   gofmt and go vet
#   make fuzz   every fuzz target briefly (FUZZTIME each, default 5s)
#   make up / make down   the local stack in the background

SHELL := /bin/bash
TEMPORAL_VERSION := v1.5.1
BIN := $(CURDIR)/bin
# A temporal CLI already on PATH is used as is; otherwise v1.5.1 is built into ./bin.
TEMPORAL ?= $(shell command -v temporal 2>/dev/null || echo $(BIN)/temporal)
PIPELINE ?= examples/gold-rollout.yaml
export TEMPORAL

.PHONY: build run up down test test-unit test-conformance test-fuzz bench lint fuzz clean temporal record-histories

build:
	go build -o $(BIN)/ ./worker ./starter ./emulator

temporal: $(TEMPORAL)

$(BIN)/temporal:
	@echo "building the Temporal CLI $(TEMPORAL_VERSION) into ./bin (the first build takes several minutes)"
	GOBIN=$(BIN) go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION)

# make run EXIT=1 stops everything when the pipeline ends, with its exit status.
run: build temporal
	PIPELINE=$(PIPELINE) EXIT=$(EXIT) scripts/stack.sh run

up: build temporal
	scripts/stack.sh up

down:
	scripts/stack.sh down

# CI runs this: lint, every suite, then each fuzz target briefly (the seed
# corpora already ran as plain tests in test-unit).
test: build temporal lint test-unit test-conformance test-fuzz

test-unit:
	go test -count=1 ./...

test-conformance:
	cd conformance/huawei && go test -count=1 ./...

# Re-record the histories the replay tests replay, from real runs of every
# example (and a rejected approval) on a dev server. Do this after a
# deliberate, versioned change to workflow code, and commit the result.
record-histories: build temporal
	rm -rf workflows/testdata/histories
	IMAGEPIPE_RECORD_HISTORIES=$(CURDIR)/workflows/testdata/histories go test -count=1 -run 'TestExamples|TestRejectedApproval|TestRollback_Cancel' ./integration
	go test -count=1 -run TestReplay ./workflows

bench: build temporal
	go test -run '^$$' -bench . -benchmem ./pipeline/
	go test -run '^$$' -bench . -benchtime=50x ./bench/

# Each fuzz target as package:Name. `go test -fuzz` takes one target of one
# package at a time; the seed corpora in each package's testdata/fuzz also
# run as plain tests in `make test`.
FUZZTIME ?= 5s
FUZZ_TARGETS := \
	./providers/fpp/fppsim:FuzzFPPSimRequest \
	./providers/huaweiims/imssim:FuzzIMSSimRequest \
	./providers/oci/ocisim:FuzzOCISimRequest \
	./providers/zstack/zstacksim:FuzzZStackSimRequest \
	./providers/fpp:FuzzFPPClientResponse \
	./providers/huaweiims:FuzzIMSClientResponse \
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

clean:
	rm -rf .imagepipe
