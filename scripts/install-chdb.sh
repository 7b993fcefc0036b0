#!/usr/bin/env bash
# Installs chDB (ClickHouse embedded, ~550 MB) into .cache/chdb for the ClickHouse tests and
# bench, outside the project's own node_modules: `npm install` stays light for everyone else.
# Idempotent: does nothing when that exact version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
CHDB_VERSION=3.4.0
if [ -f .cache/chdb/node_modules/chdb/package.json ] &&
  grep -q "\"version\": \"$CHDB_VERSION\"" .cache/chdb/node_modules/chdb/package.json; then
  exit 0
fi
mkdir -p .cache/chdb
[ -f .cache/chdb/package.json ] || echo '{ "private": true }' > .cache/chdb/package.json
npm install --prefix .cache/chdb --no-audit --no-fund --no-save "chdb@$CHDB_VERSION"
