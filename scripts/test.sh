#!/usr/bin/env bash
# Run every test suite: Rust formatting and lints, the Rust tests on SQLite and on a throwaway
# PostgreSQL cluster, the participatory-budgeting cross-check against pabutools, the frontend
# type check and unit tests, the plain-language check of every text (wordfreq), and the browser
# tests in Debian's Chromium.
# Installs what is missing (PostgreSQL, Chromium, build dependencies: apt-get; Node modules: npm ci).
# Every suite runs; the script fails at the end when any suite failed.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/lib.sh
. scripts/pg-cluster.sh

set -e
ensure_build_deps
apt_install postgresql chromium python3-venv sqlite3
start_pg_cluster
set +e

export CARGO_TERM_COLOR=never
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PASSED=()
FAILED=()
suite() {
    local name=$1; shift
    say "$name"
    local started=$SECONDS
    if "$@"; then
        PASSED+=("$name")
        echo "--> $name: ok ($((SECONDS - started)) s)"
    else
        FAILED+=("$name")
        echo "--> $name: FAILED ($((SECONDS - started)) s)"
    fi
}

suite "rust formatting" cargo fmt --all --check
suite "rust lints (clippy -D warnings)" cargo clippy --workspace --all-targets --locked -- -D warnings
suite "rust build" cargo build --workspace --bins --locked
suite "rust tests (SQLite and PostgreSQL)" cargo test --workspace --locked --no-fail-fast
suite "participatory budgeting: cross-check with pabutools" \
    pb-rules/crosscheck/run.sh
suite "frontend install" bash -c 'cd frontend && npm ci --no-audit --no-fund --loglevel=error'
suite "plain language (wordfreq: common words, sentences of at most 15 words)" \
    scripts/plain-language/run.sh
suite "frontend type check" bash -c 'cd frontend && npm run --silent check'
suite "frontend unit tests" bash -c 'cd frontend && npm test --silent'
suite "frontend build" bash -c 'cd frontend && npm run --silent build'
suite "browser tests (Chromium)" bash -c 'cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && npm test --silent'

echo
for s in "${PASSED[@]}"; do echo "passed: $s"; done
for s in "${FAILED[@]}"; do echo "FAILED: $s"; done
echo "suites: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
[ ${#FAILED[@]} -eq 0 ]
