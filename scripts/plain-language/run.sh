#!/usr/bin/env bash
# The plain-language check: every Dutch and English text of the web app, the e-mails and the
# server's messages, scored with wordfreq (PyPI). See check.py and domain-words.tsv.
#
#   scripts/plain-language/run.sh        (needs a built target/debug/buurtkracht or cargo)
#
# PLAIN_VENV: the virtual environment (default <repo>/.venv-plain-language).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${PLAIN_VENV:-$repo/.venv-plain-language}"
WORDFREQ_VERSION=3.1.1

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || { echo "python3 -m venv failed (on Debian: apt-get install python3-venv)"; echo "0 passed, 1 failed"; exit 1; }
fi
[ -f "$venv/.gitignore" ] || echo '*' > "$venv/.gitignore"
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('wordfreq') != '$WORDFREQ_VERSION')" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "wordfreq==$WORDFREQ_VERSION" \
        || { echo "could not install wordfreq from PyPI"; echo "0 passed, 1 failed"; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The web app's catalogues, compiled to CommonJS (they are plain TypeScript objects).
(cd "$repo/frontend" && npx --no-install tsc --ignoreConfig --outDir "$work/ui" --rootDir src/lib/i18n/../.. \
    --module commonjs --moduleResolution node10 --ignoreDeprecations 6.0 --target es2022 --skipLibCheck --noEmit false --declaration false \
    src/lib/i18n/nl.ts src/lib/i18n/en.ts)
echo '{"type": "commonjs"}' > "$work/ui/package.json"
node "$here/export-ui-texts.cjs" "$work/ui/lib/i18n" > "$work/texts.jsonl"
# The server's texts: e-mails and messages.
(cd "$repo" && cargo run --quiet -p buurtkracht -- texts) >> "$work/texts.jsonl"
"$venv/bin/python" "$here/check.py" < "$work/texts.jsonl"
