#!/usr/bin/env bash
# Fuzz the .pb parser for a bounded time: pb-rules/fuzz/run.sh [SECONDS]  (default 60)
#
# cargo-fuzz needs nightly features; on a stable toolchain RUSTC_BOOTSTRAP=1 enables them.
# Installs cargo-fuzz if missing. Seeds the corpus with the shared Pabulib files when present.
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
pabulib="${PABULIB_DIR:-$repo/../shared/pabulib}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

corpus="$here/corpus/parse_pb"
mkdir -p "$corpus"
if [ -d "$pabulib" ]; then
    # Small real files only: libFuzzer works best with small inputs.
    find "$pabulib" -name '*.pb' -size -64k -exec cp -n {} "$corpus/" \;
fi

cd "$here"
export RUSTC_BOOTSTRAP=1
# A target directory of its own: the sanitizer flags would otherwise rebuild shared artefacts.
export CARGO_TARGET_DIR="$here/target"
# -timeout: any single input taking more than 10 s counts as a hang.
cargo fuzz run parse_pb "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -max_len=65536 -print_final_stats=1
