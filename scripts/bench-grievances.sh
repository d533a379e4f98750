#!/usr/bin/env bash
# Load benchmark of the grievance lists: one neighbourhood with 10,000 grievances and 200,000
# co-signs; the first page of TOP and of NEAREST under 32 concurrent clients, on SQLite and on
# PostgreSQL. Prints p50/p90/p99/max latency, throughput and errors per backend and scenario.
#
#   ./scripts/bench-grievances.sh
#
# PostgreSQL: BENCH_PG_URL (an empty database) when set, else a throwaway cluster like
# scripts/test.sh starts (installs PostgreSQL when missing). Knobs, with their defaults:
# BENCH_GRIEVANCES=10000 BENCH_COSIGNS=200000 BENCH_PEOPLE=5000 BENCH_CLIENTS=32
# BENCH_SECONDS=20 (per scenario, after BENCH_WARMUP=3 s) BENCH_BACKENDS="sqlite postgres".
# The server runs with its defaults (pool size, workers) unless BUURTKRACHT_* variables say
# otherwise. Builds go to CARGO_TARGET_DIR (default target/).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/lib.sh
. scripts/pg-cluster.sh

GRIEVANCES=${BENCH_GRIEVANCES:-10000}
COSIGNS=${BENCH_COSIGNS:-200000}
PEOPLE=${BENCH_PEOPLE:-5000}
CLIENTS=${BENCH_CLIENTS:-32}
DURATION=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-3}
BACKENDS=${BENCH_BACKENDS:-sqlite postgres}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SLUG=bench-grievances

WORK=$(mktemp -d /tmp/buurtkracht-bench.XXXXXX)
SERVER_PID=""

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() {
    stop_server
    stop_pg_cluster
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

say "building release binaries into $TARGET_DIR"
cargo build --release --locked -p buurtkracht --bin buurtkracht -p buurtkracht-tests --bin grievance_load
BK="$TARGET_DIR/release/buurtkracht"
LOAD="$TARGET_DIR/release/grievance_load"

# The server and the load tool share the key, so the load tool can sign requests as residents.
export BUURTKRACHT_JWT_SECRET="bench-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
export BUURTKRACHT_LOG=${BUURTKRACHT_LOG:-warn}
# Every load client shares one address: no cost budget in the way of the measurement.
export BUURTKRACHT_COST_PER_MINUTE=${BUURTKRACHT_COST_PER_MINUTE:-1000000000}

# bench NAME DATABASE_URL: seed, serve, load, stop.
bench() {
    local name=$1 url=$2
    say "$name: seeding $GRIEVANCES grievances, $COSIGNS co-signs, $PEOPLE people"
    "$LOAD" seed --database-url "$url" --grievances "$GRIEVANCES" --cosigns "$COSIGNS" \
        --people "$PEOPLE" --slug "$SLUG" | tee "$WORK/seed-$name.txt"
    local port; port=$(free_port)
    mkdir -p "$WORK/web" "$WORK/run-$name"
    say "$name: serving on 127.0.0.1:$port; $CLIENTS clients, ${DURATION} s per scenario"
    (
        cd "$WORK/run-$name"
        DATABASE_URL="$url" BUURTKRACHT_LISTEN="127.0.0.1:$port" BUURTKRACHT_WEB_DIR="$WORK/web" \
            BUURTKRACHT_OUTBOX_DIR="$WORK/run-$name/outbox" exec "$BK" serve
    ) >"$WORK/server-$name.log" 2>&1 &
    SERVER_PID=$!
    if ! "$LOAD" run --url "http://127.0.0.1:$port" --neighbourhood-slug "$SLUG" \
        --clients "$CLIENTS" --seconds "$DURATION" --warmup-seconds "$WARMUP" --label "$name" \
        | tee "$WORK/result-$name.txt"; then
        echo "--- server log ($name) ---"; tail -n 30 "$WORK/server-$name.log"
        return 1
    fi
    stop_server
}

RESULTS=()
for backend in $BACKENDS; do
    case $backend in
        sqlite)
            bench sqlite "sqlite://$WORK/sqlite/bench.sqlite3"
            RESULTS+=(sqlite)
            ;;
        postgres)
            if [ -n "${BENCH_PG_URL:-}" ]; then
                pg_url=$BENCH_PG_URL
            else
                say "starting a throwaway PostgreSQL cluster"
                start_pg_cluster
                trap cleanup EXIT # start_pg_cluster replaces the trap
                pg_url=$BUURTKRACHT_TEST_PG_URL
            fi
            bench postgres "$pg_url"
            RESULTS+=(postgres)
            ;;
        *) echo "unknown backend $backend (expected sqlite or postgres)" >&2; exit 2 ;;
    esac
done

say "results: first page (20) of a neighbourhood's grievances, $(nproc) CPU cores, client and server on one machine"
first=1
for name in "${RESULTS[@]}"; do
    if [ $first -eq 1 ]; then head -n 1 "$WORK/result-$name.txt"; first=0; fi
    tail -n +2 "$WORK/result-$name.txt"
done
