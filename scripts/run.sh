#!/usr/bin/env bash
# Build everything and start Buurtkracht on the embedded SQLite database with demo data at
# http://localhost:8080 (or BUURTKRACHT_LISTEN).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/lib.sh

ensure_build_deps
build_frontend
say "building the server (release)"
cargo build --release -p buurtkracht
BIN="$ROOT/target/release/buurtkracht"
say "adding demo data when the database is empty"
"$BIN" seed-demo
export BUURTKRACHT_LISTEN="${BUURTKRACHT_LISTEN:-127.0.0.1:8080}"
say "starting: open http://localhost:${BUURTKRACHT_LISTEN##*:} (GraphiQL at /graphiql); stop with Ctrl+C"
exec "$BIN" serve
