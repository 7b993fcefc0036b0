#!/usr/bin/env bash
# The tests whose answers depend on the time of day or the browser's zone ("yesterday", T+1,
# local midnight), run again with Chromium in two zones 26 hours apart: Kiritimati (UTC+14) and
# Los Angeles (UTC−8/−7). Their fake clocks sit on each side of midnight in the data's zone and
# in the browser's, so a date taken in the wrong zone fails in at least one of them.
# Counts: .ci-results/wtr-tz-<zone>.json (summed by .ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."
FILES=(
  test/components/range-select.test.ts
  test/components/integration.test.ts
  test/engine/periods.test.ts
  test/engine/rules.test.ts
)
mkdir -p .ci-results
status=0
for zone in Pacific/Kiritimati America/Los_Angeles; do
  echo "› tests in TZ=$zone"
  TZ=$zone WTR_RESULTS=".ci-results/wtr-tz-${zone//\//-}.json" npx web-test-runner "${FILES[@]}" || status=1
done
exit $status
