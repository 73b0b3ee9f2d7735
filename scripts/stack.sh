#!/usr/bin/env bash
# stack.sh runs imagepipe's local stack: the Temporal dev server (SQLite in
# .imagepipe/, WAL, eager activities, web UI on :8233), the vendor emulators
# and a worker, whose /metrics, /healthz and /readyz are on
# $IMAGEPIPE_METRICS_ADDR (default: the first free port from 127.0.0.1:9090).
#
#   stack.sh run    start the stack, run $PIPELINE, keep the stack up until
#                   Ctrl-C (or stop at once when EXIT=1, with the pipeline's status)
#   stack.sh up     start the stack in the background
#   stack.sh down   stop a stack started by up
#
# Ports: TEMPORAL_PORT (7233) and UI_PORT (8233). Once up, the stack writes
# an environment-configuration profile ($STATE/temporal.toml, read by the
# starter, the worker and the temporal CLI alike) and $STATE/env, the
# exports another shell needs to reach this stack: `. .imagepipe/env`.
# IMAGEPIPE_STATE moves the state directory (default .imagepipe).
set -euo pipefail
cd "$(dirname "$0")/.."

STATE=${IMAGEPIPE_STATE:-.imagepipe}
LOGS=$STATE/logs
PIDS=$STATE/pids
TEMPORAL=${TEMPORAL:-$(command -v temporal || echo bin/temporal)}
TEMPORAL_PORT=${TEMPORAL_PORT:-7233}
UI_PORT=${UI_PORT:-8233}
export TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}
export IMAGEPIPE_UI_URL=${IMAGEPIPE_UI_URL:-http://localhost:$UI_PORT}

mkdir -p "$LOGS" "$PIDS"

free_port() { # first: the first port from first up that nothing on 127.0.0.1 listens on
	local p=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }

start() { # name command...: start a process in the background, remember its pid
	local name=$1; shift
	"$@" >"$LOGS/$name.log" 2>&1 &
	echo $! >"$PIDS/$name"
}

stop_all() {
	local f
	for name in worker emulator temporal; do
		f=$PIDS/$name
		[ -f "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null || true
	done
	for name in worker emulator temporal; do
		f=$PIDS/$name
		[ -f "$f" ] || continue
		for _ in $(seq 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	done
}

wait_for() { # name seconds command...: retry a readiness check while the process lives
	local name=$1 secs=$2; shift 2
	for _ in $(seq $((secs * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$PIDS/$name")" 2>/dev/null || break
		sleep 0.2
	done
	local what=$name
	say "$what did not come up; see $LOGS/"
	tail -n 20 "$LOGS"/*.log >&2 || true
	return 1
}

up() {
	if [ -f "$PIDS/temporal" ] && kill -0 "$(cat "$PIDS/temporal")" 2>/dev/null; then
		say "a stack is already running (make down stops it)"
		return 1
	fi
	say "starting the Temporal dev server ($TEMPORAL_ADDRESS, web UI $IMAGEPIPE_UI_URL)"
	start temporal "$TEMPORAL" server start-dev \
		--ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$UI_PORT" \
		--db-filename "$STATE/temporal.db" \
		--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
		--dynamic-config-value system.enableActivityEagerExecution=true \
		--search-attribute ImagepipePipeline=Keyword --search-attribute ImagepipeStatus=Keyword \
		--log-level warn
	wait_for temporal 60 "$TEMPORAL" operator cluster health --address "$TEMPORAL_ADDRESS"

	say "starting the vendor emulators"
	rm -f "$STATE/emulator/worker.env"
	IMAGEPIPE_EMULATOR_DIR=$STATE/emulator start emulator bin/emulator
	wait_for emulator 20 test -s "$STATE/emulator/worker.env"

	say "starting a worker"
	set -a
	# shellcheck disable=SC1091
	. "$STATE/emulator/worker.env"
	set +a
	# The worker is ready once it polls and reaches its namespace (/readyz);
	# its log line "worker started" comes before the SDK has checked anything.
	export IMAGEPIPE_METRICS_ADDR=${IMAGEPIPE_METRICS_ADDR:-127.0.0.1:$(free_port 9090)}
	local probe=${IMAGEPIPE_METRICS_ADDR/#:/127.0.0.1:}
	probe=${probe/#0.0.0.0:/127.0.0.1:}
	start worker bin/worker
	wait_for worker 30 curl -fsS "http://$probe/readyz"
	write_env
	say "stack up; logs in $LOGS/; worker metrics on http://$probe/metrics"
}

# write_env leaves what another shell needs to reach this stack: a profile
# the starter and the temporal CLI both load, and the UI URL, which no
# profile carries (the starter guesses the dev server's port + 1000 only).
write_env() {
	local dir
	dir=$(cd "$STATE" && pwd)
	printf '# written by scripts/stack.sh up\n[profile.default]\naddress = "%s"\nnamespace = "default"\n' \
		"$TEMPORAL_ADDRESS" >"$STATE/temporal.toml"
	printf '# written by scripts/stack.sh up: . %s/env\nexport TEMPORAL_CONFIG_FILE=%q\nexport IMAGEPIPE_UI_URL=%q\n' \
		"$STATE" "$dir/temporal.toml" "$IMAGEPIPE_UI_URL" >"$STATE/env"
}

case "${1:-}" in
run)
	trap stop_all EXIT
	trap 'exit 130' INT TERM
	up
	status=0
	bin/starter run -f "${PIPELINE:-examples/gold-rollout.yaml}" || status=$?
	say "web UI: $IMAGEPIPE_UI_URL/namespaces/default/workflows"
	if [ "${EXIT:-}" = 1 ]; then
		exit "$status"
	fi
	say "the stack stays up for the web UI; Ctrl-C stops it"
	wait "$(cat "$PIDS/temporal")" || true
	;;
up)
	up
	say "web UI: $IMAGEPIPE_UI_URL; make down stops the stack"
	say "another shell reaches this stack (starter and temporal CLI) after: . $STATE/env"
	;;
down)
	stop_all
	rm -f "$STATE/env" "$STATE/temporal.toml"
	say "stack stopped"
	;;
*)
	echo "usage: $0 run|up|down" >&2
	exit 2
	;;
esac
