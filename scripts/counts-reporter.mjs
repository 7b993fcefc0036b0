import { writeFileSync } from 'node:fs';

/** Counts passed and failed tests over all sessions; a session that broke counts as failed. */
function count(sessions) {
  let passed = 0;
  let failed = 0;
  const walk = (suite) => {
    for (const t of suite.tests ?? []) {
      if (t.skipped) continue;
      if (t.passed) passed++;
      else failed++;
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const session of sessions) {
    if (session.testResults) walk(session.testResults);
    if (!session.passed && (session.errors?.length ?? 0) > 0) failed++;
  }
  return { passed, failed };
}

/** A web-test-runner reporter that prints 'N passed, N failed' and saves the counts for CI. */
export function countsReporter(file = '.wtr-results.json') {
  return {
    onTestRunFinished({ sessions }) {
      const { passed, failed } = count(sessions);
      writeFileSync(file, JSON.stringify({ passed, failed }));
      console.log(`\n${passed} passed, ${failed} failed`);
    },
  };
}
