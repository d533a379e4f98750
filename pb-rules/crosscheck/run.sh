#!/usr/bin/env bash
# Cross-check pb-rules against pabutools 1.2.3 (the reference implementation) on every election
# in the shared Pabulib folder.
#
#   pb-rules/crosscheck/run.sh [OUTCOME_CMD...]
#
# OUTCOME_CMD defaults to the `pb_outcome` example (built once, in release mode); pass e.g.
# `target/release/buurtkracht pb outcome` to check the real binary. Environment:
#   PABULIB_DIR               the .pb files (default: <repo>/../shared/pabulib)
#   PABUTOOLS_LIVE_LIMIT_S    rerun pabutools live where its recorded parse+rule time is below
#                             this (default 20); slower ones use the recorded 1.2.3 outcomes
#   PB_VENV                   the virtual environment (default: <repo>/.venv-pabutools)
# Ends with the line `N passed, M failed`; exits non-zero on any mismatch.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PABULIB_DIR="${PABULIB_DIR:-$repo/../shared/pabulib}"
venv="${PB_VENV:-$repo/.venv-pabutools}"

if [ ! -d "$PABULIB_DIR" ]; then
    echo "no Pabulib folder at $PABULIB_DIR (set PABULIB_DIR)"
    echo "0 passed, 1 failed"
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv"
    if ! python3 -m venv "$venv"; then
        echo "python3 -m venv failed (on Debian: apt-get install python3-venv)"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
# Keep the environment out of git without touching the root .gitignore.
[ -f "$venv/.gitignore" ] || echo '*' > "$venv/.gitignore"
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("pabutools") != "1.2.3")' 2>/dev/null; then
    echo "installing pabutools==1.2.3 into $venv"
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pabutools==1.2.3"; then
        echo "could not install pabutools==1.2.3 from PyPI"
        echo "0 passed, 1 failed"
        exit 1
    fi
fi
export PABUTOOLS_PYTHON="$venv/bin/python"

if [ "$#" -gt 0 ]; then
    cmd=("$@")
else
    echo "building the pb_outcome example (release)"
    if ! (cd "$repo" && cargo build --quiet --release -p pb-rules --example pb_outcome --features cli); then
        echo "building the pb_outcome example failed"
        echo "0 passed, 1 failed"
        exit 1
    fi
    target_dir="$(cd "$repo" && cargo metadata --format-version 1 --no-deps \
        | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    cmd=("$target_dir/release/examples/pb_outcome")
fi
OUTCOME_CMD_JSON="$("$venv/bin/python" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${cmd[@]}")"
export OUTCOME_CMD_JSON

exec "$venv/bin/python" "$here/crosscheck.py"
