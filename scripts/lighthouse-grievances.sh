#!/usr/bin/env bash
# Lighthouse mobile scores of the grievance pages (not part of CI: it takes minutes).
#
#   scripts/lighthouse-grievances.sh [BASE_URL]
#
# BASE_URL: a running server with demo data (default http://127.0.0.1:8080, e.g. ./scripts/run.sh).
# Installs Lighthouse from npm into LIGHTHOUSE_DIR (default: a folder under /tmp) and runs it
# against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), mobile form factor with
# Lighthouse's simulated slow 4G and CPU slowdown. Prints one line per page and category.
set -euo pipefail
base="${1:-http://127.0.0.1:8080}"
dir="${LIGHTHOUSE_DIR:-/tmp/buurtkracht-lighthouse}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x "$dir/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error lighthouse >/dev/null)
fi
id="$(curl -fsS "$base/graphql" -H 'content-type: application/json' \
    -d '{"query":"{ neighbourhood(slug: \"transvaal\") { id } }"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')"
grievance="$(curl -fsS "$base/graphql" -H 'content-type: application/json' \
    -d "{\"query\":\"{ grievances(neighbourhoodId: \\\"$id\\\", first: 1) { edges { node { id } } } }\"}" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')"
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for path in /buurt/transvaal/meldingen "/meldingen/$grievance" /buurt/transvaal/meldingen/nieuw; do
    out="$dir/report.json"
    "$dir/node_modules/.bin/lighthouse" "$base$path" --quiet --chrome-flags="$flags" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output-path="$out" >/dev/null 2>&1 || { echo "$path: lighthouse failed"; continue; }
    node -e '
      const r = require(process.argv[1]);
      const c = r.categories;
      const s = (k) => Math.round(c[k].score * 100);
      console.log(`${process.argv[2]}: performance ${s("performance")}, accessibility ${s("accessibility")}, best practices ${s("best-practices")}, SEO ${s("seo")}` +
        ` (LCP ${(r.audits["largest-contentful-paint"].numericValue / 1000).toFixed(1)} s, TBT ${Math.round(r.audits["total-blocking-time"].numericValue)} ms, CLS ${r.audits["cumulative-layout-shift"].numericValue.toFixed(3)})`);
    ' "$out" "$path"
done
