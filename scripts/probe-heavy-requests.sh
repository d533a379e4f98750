#!/usr/bin/env bash
# The heavy-request probe of the API limits (README, "Query cost"): a release server with the
# demo data on a throwaway SQLite database, and scripts/probe-heavy-requests.py against it.
#
#   ./scripts/probe-heavy-requests.sh        # PROBE_SECONDS=10 per round
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/lib.sh
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
say "building the release server"
cargo build --release --locked -p buurtkracht --bin buurtkracht
BK="$TARGET_DIR/release/buurtkracht"
WORK=$(mktemp -d /tmp/buurtkracht-probe.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
export DATABASE_URL="sqlite://$WORK/probe.sqlite3" BUURTKRACHT_LISTEN="127.0.0.1:$PORT" \
    BUURTKRACHT_WEB_DIR="$WORK/web" BUURTKRACHT_OUTBOX_DIR="$WORK/outbox" BUURTKRACHT_LOG=warn \
    BUURTKRACHT_COST_PER_MINUTE=1000000000 BUURTKRACHT_CONFIG=/dev/null
"$BK" migrate >/dev/null
"$BK" seed-demo >/dev/null
"$BK" serve & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
ID=$(curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
    -d '{"query":"{ neighbourhoods(first: 1) { edges { node { id } } } }"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["neighbourhoods"]["edges"][0]["node"]["id"])')
say "probing (release build, demo data, SQLite)"
python3 scripts/probe-heavy-requests.py "http://127.0.0.1:$PORT/graphql" "$PID" "$ID" "${PROBE_SECONDS:-10}"
