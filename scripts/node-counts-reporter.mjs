/**
 * A node:test reporter that saves the counts of a suite for .ci/run. Use it beside a readable
 * reporter, e.g.:
 *   node --test --test-reporter=spec --test-reporter-destination=stdout \
 *     --test-reporter=./scripts/node-counts-reporter.mjs --test-reporter-destination=.ci-results/server.json test/server/
 * Only tests count (not the suites around them); a file that fails to load counts as failed.
 */
export default async function* countsReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details } = event.data;
    if (details?.type === 'suite' && event.type === 'test:pass') continue;
    if (event.data.skip || event.data.todo) continue;
    if (event.type === 'test:pass') passed++;
    else if (details?.type !== 'suite' || details?.error?.failureType !== 'subtestsFailed') failed++;
  }
  yield JSON.stringify({ passed, failed });
}
