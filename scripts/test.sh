#!/usr/bin/env bash
# npm test: type check, lint, then every test in the system Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "› type check"; npx tsc -p .
echo "› lint"; npx eslint . && npx prettier --check --log-level warn "src/**/*.ts" "test/**/*.ts"
echo "› tests (Chromium)"; npx web-test-runner "$@"
