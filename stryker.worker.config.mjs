// StrykerJS over the worker side of in-browser mode: report.worker.ts and the WorkerBackend of
// compute-backend.ts, run by test/store/worker-backend.test.ts under Node with the `web-worker`
// package's Worker over worker_threads (scripts/node-test-worker.mjs passes the mutant under
// test to each worker thread). Stryker's per-test coverage cannot see into a worker thread (it
// would call every mutant of report.worker.ts uncovered), so coverage analysis is off: every
// mutant runs the whole (short) test file, which bails at its first failure.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mochaOptions: { spec: ['test/store/worker-backend.test.ts'] },
  testRunnerNodeArgs: [
    '--import',
    './scripts/node-test-hooks.mjs',
    '--import',
    './scripts/node-test-worker.mjs',
  ],
  mutate: [
    'src/store/worker/report.worker.ts',
    // WorkerStartError and WorkerBackend (the main-thread side is the store's). Line ranges:
    // check them when compute-backend.ts changes.
    'src/store/worker/compute-backend.ts:57-257',
  ],
  coverageAnalysis: 'off',
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/worker.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp-worker',
  cleanTempDir: 'always',
  // Not incremental: without coverage, Stryker cannot tell which new tests reach a mutant,
  // and would keep every earlier survivor.
  incremental: false,
};
