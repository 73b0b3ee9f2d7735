#!/usr/bin/env bash
# cluster.sh runs the production topology on one machine, without Docker:
# PostgreSQL (Debian's, started with initdb and pg_ctl as the postgres user),
# the Temporal server v1.29.1 as four processes (frontend, history, matching,
# and the system worker), the default namespace with imagepipe's search
# attributes, the vendor emulators and two imagepipe workers.
#
#   cluster.sh up                start what is not running yet, wait until ready
#   cluster.sh down              stop everything it started (any state: idempotent)
#   cluster.sh status            what runs, what answers
#   cluster.sh restart NAME...   stop and start some: frontend history matching
#                                system-worker worker-1 worker-2 emulator, or
#                                temporal for the four server processes
#
# Settings (environment):
#   CLUSTER_STATE        state directory (.imagepipe/cluster): config, logs, pids
#   CLUSTER_PG_DIR       PostgreSQL's directory ($CLUSTER_STATE/postgres); when
#                        run as root it is given to the postgres user, so its
#                        parents must be searchable by that user
#   CLUSTER_PORT_BASE    first of 20 consecutive loopback ports (17233), so the
#                        cluster and make up's stack can run side by side:
#                          +0 frontend gRPC  +1 history  +2 matching  +3 system worker
#                          +4..+7 their membership ports  +8 frontend HTTP
#                          +9 PostgreSQL  +10..+13 the four server processes' /metrics
#                          +14, +15 worker-1's and worker-2's /metrics /healthz /readyz
#                          +16..+19 the emulators: OCI, FPP, Huawei, ZStack
#   CLUSTER_WORKERS      imagepipe workers to run: 0, 1 or 2 (2)
#   CLUSTER_PG_PASSWORD  the temporal database user's password (temporal)
#   CLUSTER_OWNER_PID    bring the cluster down when this process ends (tests
#                        set their own pid, so a killed test leaves nothing)
#   CLUSTER_TLS_CERT_FILE, CLUSTER_TLS_KEY_FILE
#                        serve the frontend over TLS with this certificate
#   CLUSTER_TLS_CLIENT_CA_FILE
#                        and require client certificates signed by this CA (mTLS)
#   TEMPORAL_TLS_*       how this script's clients (the Temporal CLI, the system
#                        worker, the imagepipe workers) reach a TLS frontend:
#                        TEMPORAL_TLS_SERVER_CA_CERT_PATH, _SERVER_NAME,
#                        _CLIENT_CERT_PATH, _CLIENT_KEY_PATH (the SDK's variables)
#   CLUSTER_BIN          where imagepipe's worker and emulator are (bin/, make build)
#   TEMPORAL             the Temporal CLI (bin/temporal or PATH), for setup
#   TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, TEMPORAL_SCHEMA_DIR
#                        the server, its schema tool and schema/postgresql/v12
#                        (bin/, as make temporal-server builds them)
set -euo pipefail
HERE=$PWD
cd "$(dirname "$0")/.."
ROOT=$PWD
# abs PATH: a path the caller gave, made absolute from where they called.
abs() { (cd "$HERE" && realpath -m "$1"); }

STATE=$(abs "${CLUSTER_STATE:-$ROOT/.imagepipe/cluster}")
PG_DIR=$(abs "${CLUSTER_PG_DIR:-$STATE/postgres}")
PGDATA=$PG_DIR/data
LOGS=$STATE/logs
PIDS=$STATE/pids
CONFIG=$STATE/config
BASE=${CLUSTER_PORT_BASE:-17233}
WORKERS=${CLUSTER_WORKERS:-2}
PG_PASSWORD=${CLUSTER_PG_PASSWORD:-temporal}
IMAGEPIPE_BIN=$(abs "${CLUSTER_BIN:-$ROOT/bin}")
TEMPORAL=${TEMPORAL:-$(command -v temporal || echo "$ROOT/bin/temporal")}
SERVER=$(abs "${TEMPORAL_SERVER:-$ROOT/bin/temporal-server}")
SQL_TOOL=$(abs "${TEMPORAL_SQL_TOOL:-$ROOT/bin/temporal-sql-tool}")
SCHEMA=$(abs "${TEMPORAL_SCHEMA_DIR:-$ROOT/bin/temporal-schema/postgresql/v12}")
# The certificate files go into the server's configuration and the
# profile: absolute, wherever the caller stood.
for v in CLUSTER_TLS_CERT_FILE CLUSTER_TLS_KEY_FILE CLUSTER_TLS_CLIENT_CA_FILE TEMPORAL_TLS_SERVER_CA_CERT_PATH \
	TEMPORAL_TLS_CLIENT_CERT_PATH TEMPORAL_TLS_CLIENT_KEY_PATH; do
	[ -z "${!v:-}" ] || export "$v=$(abs "${!v}")"
done

if ! [[ $BASE =~ ^[0-9]+$ ]] || [ "$BASE" -lt 1024 ] || [ "$BASE" -gt 65515 ]; then
	printf 'cluster: CLUSTER_PORT_BASE=%s: want a port from 1024 to 65515 (it and the 19 after it are used)\n' "$BASE" >&2
	exit 1
fi
FRONTEND_PORT=$BASE
PG_PORT=$((BASE + 9))
ADDRESS=127.0.0.1:$FRONTEND_PORT
SERVICES=(frontend history matching system-worker)

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }
die() { say "cluster: $*"; exit 1; }

# svc_index NAME: a server process's place in each block of ports.
svc_index() {
	case $1 in frontend) echo 0 ;; history) echo 1 ;; matching) echo 2 ;; system-worker) echo 3 ;; esac
}
# The server's own name of each service.
svc_name() { if [ "$1" = system-worker ]; then echo worker; else echo "$1"; fi; }

# as_postgres runs a command as the postgres user when this script runs as
# root (PostgreSQL refuses to run as root), else as the current user.
as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() { # the directory of initdb and pg_ctl: PATH, else Debian's newest
	local d
	if d=$(command -v pg_ctl 2>/dev/null); then dirname "$(realpath "$d")"; return; fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/pg_ctl" ] && { echo "$d"; return; }
	done
	die "no PostgreSQL: install Debian's postgresql package (initdb and pg_ctl, in /usr/lib/postgresql/15/bin)"
}

# started PID: when the process began (clock ticks since boot), which a
# reused pid does not share; exec does not change it.
started() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# alive NAME: the process started as NAME still runs (and is still ours:
# its pid was not reused by another program).
alive() {
	local f=$PIDS/$1 pid since
	[ -f "$f" ] || return 1
	read -r pid since <"$f"
	kill -0 "$pid" 2>/dev/null || return 1
	[ -z "$since" ] || [ "$(started "$pid")" = "$since" ]
}

start() { # NAME command...: start a process in the background, remember it
	local name=$1; shift
	echo "--- start $(date -u +%FT%TZ)" >>"$LOGS/$name.log"
	"$@" >>"$LOGS/$name.log" 2>&1 &
	echo "$! $(started $!)" >"$PIDS/$name"
}

stop() { # NAME...: SIGTERM, up to 15 s each, then SIGKILL
	local name pid
	for name in "$@"; do
		alive "$name" && kill "$(cut -d' ' -f1 <"$PIDS/$name")" 2>/dev/null || true
	done
	for name in "$@"; do
		[ -f "$PIDS/$name" ] || continue
		pid=$(cut -d' ' -f1 <"$PIDS/$name")
		for _ in $(seq 75); do alive "$name" || break; sleep 0.2; done
		alive "$name" && kill -9 "$pid" 2>/dev/null || true
		for _ in $(seq 25); do alive "$name" || break; sleep 0.2; done
		rm -f "$PIDS/$name"
	done
}

wait_for() { # NAME SECONDS command...: retry a check while the process lives
	local name=$1 secs=$2 end; shift 2
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$name" = - ] || alive "$name" || break
		sleep 0.5
	done
	say "cluster: $name did not come up in ${secs}s; the end of its log ($LOGS/$name.log):"
	tail -n 30 "$LOGS/$name.log" >&2 || true
	return 1
}

# temporal_cli runs the Temporal CLI against the frontend, as the workers
# reach it (TEMPORAL_TLS_* from the environment).
temporal_cli() { "$TEMPORAL" "$@" --address "$ADDRESS"; }

postgres_up() {
	local bin opts
	bin=$(pg_bin)
	mkdir -p "$PG_DIR"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$PG_DIR"
		chmod 700 "$PG_DIR"
		as_postgres test -w "$PG_DIR" ||
			die "the postgres user cannot reach $PG_DIR: make its parent directories searchable (chmod o+x) or set CLUSTER_PG_DIR"
	fi
	if [ ! -f "$PGDATA/PG_VERSION" ]; then
		say "creating the PostgreSQL cluster in $PGDATA"
		printf '%s\n' "$PG_PASSWORD" >"$PG_DIR/pwfile"
		[ "$(id -u)" != 0 ] || chown postgres: "$PG_DIR/pwfile"
		chmod 600 "$PG_DIR/pwfile"
		as_postgres "$bin/initdb" -D "$PGDATA" -U temporal --pwfile="$PG_DIR/pwfile" \
			--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >>"$LOGS/postgres.log" 2>&1 ||
			{ rm -f "$PG_DIR/pwfile"; tail -n 20 "$LOGS/postgres.log" >&2; die "initdb failed"; }
		rm -f "$PG_DIR/pwfile"
	fi
	if as_postgres "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
		return 0
	fi
	say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
	# Four server processes hold up to 20+2 connections each.
	opts="-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA -c max_connections=200"
	as_postgres "$bin/pg_ctl" -D "$PGDATA" -o "$opts" -w -t 120 start >>"$LOGS/postgres.log" 2>&1 ||
		{ tail -n 20 "$LOGS/postgres.log" >&2; die "PostgreSQL did not start"; }
}

postgres_down() {
	[ -f "$PGDATA/PG_VERSION" ] || return 0
	local bin
	bin=$(pg_bin)
	as_postgres "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 || return 0
	as_postgres "$bin/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >>"$LOGS/postgres.log" 2>&1 ||
		say "cluster: PostgreSQL did not stop; see $LOGS/postgres.log"
}

# schema creates both databases and brings them to the newest schema the
# server ships. Each step is idempotent: a second up changes nothing.
schema() {
	[ -d "$SCHEMA/temporal/versioned" ] ||
		die "no schema in $SCHEMA: run make temporal-server (it copies the server module's schema/postgresql/v12 into bin/)"
	local db dir sql=("$SQL_TOOL" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --pw "$PG_PASSWORD")
	for db in temporal temporal_visibility; do
		dir=$SCHEMA/temporal/versioned
		[ "$db" = temporal ] || dir=$SCHEMA/visibility/versioned
		"${sql[@]}" --db "$db" create >>"$LOGS/schema.log" 2>&1 || true # fails when it exists
		"${sql[@]}" --db "$db" setup-schema -v 0.0 >>"$LOGS/schema.log" 2>&1 ||
			{ tail -n 20 "$LOGS/schema.log" >&2; die "setup-schema of $db failed"; }
		"${sql[@]}" --db "$db" update-schema -d "$dir" >>"$LOGS/schema.log" 2>&1 ||
			{ tail -n 20 "$LOGS/schema.log" >&2; die "update-schema of $db failed"; }
	done
}

# tls_yaml is the global.tls section: the frontend's certificate, client
# certificates required when a client CA is given, and how the system
# worker (a client of the frontend) trusts and authenticates to it.
tls_yaml() {
	[ -n "${CLUSTER_TLS_CERT_FILE:-}" ] || return 0
	cat <<EOF
  tls:
    frontend:
      server:
        certFile: "$CLUSTER_TLS_CERT_FILE"
        keyFile: "$CLUSTER_TLS_KEY_FILE"
EOF
	if [ -n "${CLUSTER_TLS_CLIENT_CA_FILE:-}" ]; then
		cat <<EOF
        requireClientAuth: true
        clientCaFiles: ["$CLUSTER_TLS_CLIENT_CA_FILE"]
EOF
	fi
	cat <<EOF
    systemWorker:
      certFile: "${TEMPORAL_TLS_CLIENT_CERT_PATH:-}"
      keyFile: "${TEMPORAL_TLS_CLIENT_KEY_PATH:-}"
      client:
        serverName: "${TEMPORAL_TLS_SERVER_NAME:-localhost}"
        rootCaFiles: [${TEMPORAL_TLS_SERVER_CA_CERT_PATH:+\"$TEMPORAL_TLS_SERVER_CA_CERT_PATH\"}]
EOF
}

# write_config writes the server's configuration: base.yaml shared by the
# four processes, and one <service>.yaml each with its own metrics port
# (each process loads base.yaml, then the file its --env names).
write_config() {
	mkdir -p "$CONFIG"
	local s i store
	{
		echo "# Written by scripts/cluster.sh; rewritten at each start."
		echo "log: {stdout: true, level: warn}"
		echo "persistence:"
		echo "  defaultStore: default"
		echo "  visibilityStore: visibility"
		echo "  numHistoryShards: 4"
		echo "  datastores:"
		for store in default visibility; do
			local db=temporal conns=20
			[ "$store" = default ] || { db=temporal_visibility; conns=4; }
			cat <<EOF
    $store:
      sql:
        pluginName: postgres12
        databaseName: $db
        connectAddr: "127.0.0.1:$PG_PORT"
        connectProtocol: tcp
        user: temporal
        password: "$PG_PASSWORD"
        maxConns: $conns
        maxIdleConns: $conns
        maxConnLifetime: 1h
EOF
		done
		echo "global:"
		echo "  membership: {maxJoinDuration: 30s, broadcastAddress: 127.0.0.1}"
		tls_yaml
		echo "services:"
		for s in "${SERVICES[@]}"; do
			i=$(svc_index "$s")
			echo "  $(svc_name "$s"):"
			echo "    rpc:"
			echo "      grpcPort: $((BASE + i))"
			echo "      membershipPort: $((BASE + 4 + i))"
			echo "      bindOnLocalHost: true"
			[ "$s" != frontend ] || echo "      httpPort: $((BASE + 8))"
		done
		cat <<EOF
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active: {enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "$ADDRESS"}
dcRedirectionPolicy: {policy: noop}
dynamicConfigClient: {filepath: "$CONFIG/dynamicconfig.yaml", pollInterval: 10s}
EOF
	} >"$CONFIG/base.yaml"
	for s in "${SERVICES[@]}"; do
		i=$(svc_index "$s")
		cat >"$CONFIG/$s.yaml" <<EOF
global:
  metrics:
    prometheus: {framework: tally, timerType: histogram, listenAddress: "127.0.0.1:$((BASE + 10 + i))"}
EOF
	done
	# As make up's dev server: an activity's first attempt goes to the
	# worker that scheduled it, with no trip through matching.
	cat >"$CONFIG/dynamicconfig.yaml" <<EOF
system.enableActivityEagerExecution:
  - value: true
EOF
}

start_service() { # one of SERVICES
	local s=$1
	alive "$s" && return 0
	[ -x "$SERVER" ] || die "no Temporal server at $SERVER: run make temporal-server"
	start "$s" "$SERVER" --root "$STATE" --config config --env "$s" --allow-no-auth start --service "$(svc_name "$s")"
}

# shards_answer: history answers for workflows on (very likely) every
# shard: it says "not found" for eight made-up workflow IDs, where a
# shard nobody owns yet would time out.
shards_answer() {
	local i out
	for i in 0 1 2 3 4 5 6 7; do
		out=$(temporal_cli workflow describe --namespace temporal-system --command-timeout 5s \
			--workflow-id "cluster-sh-probe-$i" 2>&1) || true
		grep -q "not found" <<<"$out" || return 1
	done
}

# temporal_ready waits until the frontend answers and history owns its
# shards again.
temporal_ready() {
	wait_for frontend 120 temporal_cli operator cluster health
	wait_for history 120 shards_answer
}

# cluster_recorded: the server has recorded the cluster's metadata.
cluster_recorded() {
	[ "$(PGPASSWORD=$PG_PASSWORD "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U temporal -d temporal -tAc \
		'select count(*) from cluster_metadata_info' 2>/dev/null)" -gt 0 ] 2>/dev/null
}

# start_services starts server processes. On a new database the first
# process records the cluster's metadata, and processes starting together
# race to insert it, the losers exiting ("Failed to apply cluster
# metadata"): so the first start waits for one process to have done it.
start_services() {
	local s
	if ! cluster_recorded; then
		start_service "$1"
		wait_for "$1" 120 cluster_recorded
	fi
	for s in "$@"; do start_service "$s"; done
	temporal_ready
}

temporal_up() {
	[ -x "$TEMPORAL" ] || die "no Temporal CLI at $TEMPORAL: run make temporal"
	write_config
	say "starting the Temporal server ($ADDRESS): ${SERVICES[*]}"
	start_services "${SERVICES[@]}"
}

namespace_up() {
	temporal_cli operator namespace describe --namespace default >/dev/null 2>&1 ||
		temporal_cli operator namespace create --namespace default --retention 72h >/dev/null
	# A new namespace reaches every frontend's cache within seconds; until
	# then it is said not to exist.
	wait_for - 60 temporal_cli operator search-attribute list --namespace default
	local sa list
	list=$(temporal_cli operator search-attribute list --namespace default)
	for sa in ImagepipePipeline ImagepipeStatus; do
		grep -qw "$sa" <<<"$list" ||
			temporal_cli operator search-attribute create --namespace default --name "$sa" --type Keyword >/dev/null
	done
	# A new search attribute is listed at once, but each frontend maps it
	# only once its namespace cache refreshes (seconds); until then a start
	# that sets it is refused ("no mapping defined for search attribute").
	# A query naming both goes through the same mapping.
	wait_for frontend 60 temporal_cli workflow list --namespace default --limit 1 \
		--query "ImagepipePipeline = 'probe' AND ImagepipeStatus = 'probe'"
}

emulator_up() {
	alive emulator && return 0
	rm -f "$STATE/emulator/worker.env"
	IMAGEPIPE_EMULATOR_DIR=$STATE/emulator \
		IMAGEPIPE_EMULATOR_OCI_ADDR=127.0.0.1:$((BASE + 16)) IMAGEPIPE_EMULATOR_FPP_ADDR=127.0.0.1:$((BASE + 17)) \
		IMAGEPIPE_EMULATOR_HUAWEI_ADDR=127.0.0.1:$((BASE + 18)) IMAGEPIPE_EMULATOR_ZSTACK_ADDR=127.0.0.1:$((BASE + 19)) \
		start emulator "$IMAGEPIPE_BIN/emulator"
	wait_for emulator 30 test -s "$STATE/emulator/worker.env"
}

worker_addr() { echo "127.0.0.1:$((BASE + 13 + $1))"; } # worker-1: +14, worker-2: +15

worker_up() { # N
	local n=$1
	alive "worker-$n" && return 0
	(
		set -a
		# shellcheck disable=SC1091
		. "$STATE/emulator/worker.env"
		set +a
		export TEMPORAL_ADDRESS=$ADDRESS TEMPORAL_NAMESPACE=default IMAGEPIPE_METRICS_ADDR
		IMAGEPIPE_METRICS_ADDR=$(worker_addr "$n")
		start "worker-$n" "$IMAGEPIPE_BIN/worker"
	)
	# Ready: polling its task queue and reaching the namespace.
	wait_for "worker-$n" 60 curl -fsS "http://$(worker_addr "$n")/readyz"
}

workers() { seq 1 "$WORKERS" 2>/dev/null || true; }

write_env() { # the exports a shell needs, and the same as an envconfig profile
	local tls=""
	{
		echo "export TEMPORAL_ADDRESS=$ADDRESS"
		echo "export TEMPORAL_NAMESPACE=default"
		local v
		for v in TEMPORAL_TLS_SERVER_CA_CERT_PATH TEMPORAL_TLS_SERVER_NAME TEMPORAL_TLS_CLIENT_CERT_PATH TEMPORAL_TLS_CLIENT_KEY_PATH; do
			[ -z "${!v:-}" ] || echo "export $v=${!v}"
		done
	} >"$STATE/env"
	[ -z "${TEMPORAL_TLS_SERVER_CA_CERT_PATH:-}" ] || tls+=$'\n'"[profile.cluster.tls]"$'\n'"server_ca_cert_path = \"$TEMPORAL_TLS_SERVER_CA_CERT_PATH\""
	[ -z "${TEMPORAL_TLS_SERVER_NAME:-}" ] || tls+=$'\n'"server_name = \"$TEMPORAL_TLS_SERVER_NAME\""
	[ -z "${TEMPORAL_TLS_CLIENT_CERT_PATH:-}" ] || tls+=$'\n'"client_cert_path = \"$TEMPORAL_TLS_CLIENT_CERT_PATH\""
	[ -z "${TEMPORAL_TLS_CLIENT_KEY_PATH:-}" ] || tls+=$'\n'"client_key_path = \"$TEMPORAL_TLS_CLIENT_KEY_PATH\""
	printf '[profile.cluster]\naddress = "%s"\nnamespace = "default"%s\n' "$ADDRESS" "$tls" >"$STATE/temporal.toml"
}

# watchdog brings the cluster down once CLUSTER_OWNER_PID has ended. It
# forgets its own pid file first, so the down it runs leaves it be.
watchdog() {
	[ -n "${CLUSTER_OWNER_PID:-}" ] || return 0
	alive watchdog && return 0
	kill -0 "$CLUSTER_OWNER_PID" 2>/dev/null || die "CLUSTER_OWNER_PID=$CLUSTER_OWNER_PID: no such process"
	start watchdog bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; rm -f "$2"; exec "$3" down' \
		watchdog "$CLUSTER_OWNER_PID" "$PIDS/watchdog" "$ROOT/scripts/cluster.sh"
}

# check_settings refuses bad settings before anything starts.
check_settings() {
	case $WORKERS in 0 | 1 | 2) ;; *) die "CLUSTER_WORKERS=$WORKERS: want 0, 1 or 2" ;; esac
	if [ -n "${CLUSTER_TLS_KEY_FILE:-}${CLUSTER_TLS_CLIENT_CA_FILE:-}" ] && [ -z "${CLUSTER_TLS_CERT_FILE:-}" ]; then
		die "CLUSTER_TLS_KEY_FILE or CLUSTER_TLS_CLIENT_CA_FILE is set without CLUSTER_TLS_CERT_FILE"
	fi
	[ -z "${CLUSTER_TLS_CERT_FILE:-}" ] || [ -n "${CLUSTER_TLS_KEY_FILE:-}" ] ||
		die "CLUSTER_TLS_CERT_FILE is set without CLUSTER_TLS_KEY_FILE"
	local f
	for f in CLUSTER_TLS_CERT_FILE CLUSTER_TLS_KEY_FILE CLUSTER_TLS_CLIENT_CA_FILE TEMPORAL_TLS_SERVER_CA_CERT_PATH \
		TEMPORAL_TLS_CLIENT_CERT_PATH TEMPORAL_TLS_CLIENT_KEY_PATH; do
		[ -z "${!f:-}" ] || [ -r "${!f}" ] || die "$f=${!f}: no such readable file"
	done
}

up() {
	check_settings
	mkdir -p "$LOGS" "$PIDS"
	watchdog
	postgres_up
	schema
	temporal_up
	namespace_up
	if [ "$WORKERS" -gt 0 ]; then
		say "starting the vendor emulators and $WORKERS imagepipe worker(s)"
		emulator_up
		local n
		for n in $(workers); do worker_up "$n"; done
	fi
	write_env
	say "cluster up; logs in $LOGS/. To use it:"
	cat "$STATE/env"
	echo "# or: export TEMPORAL_CONFIG_FILE=$STATE/temporal.toml TEMPORAL_PROFILE=cluster"
}

down() {
	local names=(watchdog worker-2 worker-1 emulator "${SERVICES[@]}")
	stop "${names[@]}"
	postgres_down
	say "cluster stopped"
}

status() {
	local name ok=0 pid
	for name in "${SERVICES[@]}" emulator worker-1 worker-2; do
		if alive "$name"; then
			pid=$(cut -d' ' -f1 <"$PIDS/$name")
			printf '%-14s running (pid %s)\n' "$name" "$pid"
		elif [ -f "$PIDS/$name" ]; then
			printf '%-14s exited (see %s)\n' "$name" "$LOGS/$name.log"
			ok=1
		fi
	done
	if [ -f "$PGDATA/PG_VERSION" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
		printf '%-14s running (127.0.0.1:%s)\n' postgres "$PG_PORT"
	else
		printf '%-14s stopped\n' postgres
		ok=1
	fi
	if temporal_cli operator cluster health >/dev/null 2>&1; then
		printf '%-14s serving on %s\n' temporal "$ADDRESS"
	else
		printf '%-14s not answering on %s\n' temporal "$ADDRESS"
		ok=1
	fi
	for n in 1 2; do
		[ -f "$PIDS/worker-$n" ] || continue
		if curl -fsS "http://$(worker_addr "$n")/readyz" >/dev/null 2>&1; then
			printf '%-14s ready (http://%s/readyz)\n' "worker-$n" "$(worker_addr "$n")"
		else
			printf '%-14s not ready (http://%s/readyz)\n' "worker-$n" "$(worker_addr "$n")"
			ok=1
		fi
	done
	return $ok
}

restart() {
	[ $# -gt 0 ] || die "restart what? frontend history matching system-worker temporal worker-1 worker-2 emulator"
	check_settings
	mkdir -p "$LOGS" "$PIDS"
	local name server=()
	for name in "$@"; do
		case $name in
		temporal) server+=("${SERVICES[@]}") ;;
		frontend | history | matching | system-worker) server+=("$name") ;;
		worker-1 | worker-2 | emulator) ;;
		*) die "restart $name: not one of frontend history matching system-worker temporal worker-1 worker-2 emulator" ;;
		esac
	done
	if [ ${#server[@]} -gt 0 ]; then
		stop "${server[@]}"
		write_config
		start_services "${server[@]}"
	fi
	for name in "$@"; do
		case $name in
		emulator) stop emulator; emulator_up ;;
		worker-*) stop "$name"; worker_up "${name#worker-}" ;;
		esac
	done
	write_env
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
restart) shift; restart "$@" ;;
*)
	echo "usage: $0 up|down|status|restart NAME..." >&2
	exit 2
	;;
esac
