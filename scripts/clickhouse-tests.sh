#!/usr/bin/env bash
# The ClickHouse suite (test/server/clickhouse/*.node.ts, Node's test runner): installs chDB into
# .cache/chdb if missing, bundles each test file with esbuild, runs them, and saves the counts in
# .ci-results/clickhouse.json for .ci/run. Arguments: test files (default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-chdb.sh
# The `ua-kit serve` processes the tests start run dist/server: build it from src first.
node scripts/build-server.mjs
out=.cache/clickhouse-tests
rm -rf "$out" && mkdir -p "$out" .ci-results
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/server/clickhouse/*.node.ts)
npx esbuild "${files[@]}" --bundle --platform=node --format=esm --target=node20 \
  --packages=external --outdir="$out" --out-extension:.js=.mjs --log-level=warning
node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./scripts/node-counts-reporter.mjs --test-reporter-destination=.ci-results/clickhouse.json \
  "$out"/*.mjs
