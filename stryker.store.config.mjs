// StrykerJS over src/store: the store's plumbing, loading, API, endpoint, in-browser and loader
// tests (the files that web-test-runner runs in Chromium) under Node with mocha, msw/node
// standing in for msw's service worker (scripts/node-test-hooks.mjs). The worker side
// (report.worker.ts, the WorkerBackend of compute-backend.ts) has its own config,
// stryker.worker.config.mjs; the in-browser tests that need a Worker are skipped here. Not
// mutated: store-controller.ts (Lit glue, tested with the components) and the type-only files.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mochaOptions: {
    // The small, exact tests first: with Stryker's bail most mutants die there.
    spec: [
      'test/store/plumbing.test.ts',
      'test/store/loading.test.ts',
      'test/store/store-api.test.ts',
      'test/store/endpoint.test.ts',
      'test/store/loader.test.ts',
      'test/store/in-browser.test.ts',
    ],
  },
  testRunnerNodeArgs: ['--import', './scripts/node-test-hooks.mjs'],
  mutate: [
    'src/store/http.ts',
    'src/store/endpoint.ts',
    'src/store/errors.ts',
    'src/store/metrics-store.ts',
    'src/store/slicing.ts',
    'src/store/events-loader.ts',
    'src/store/worker/columns-transfer.ts',
    // MainThreadBackend (the fallback that Node's tests reach); the worker side needs a Worker.
    'src/store/worker/compute-backend.ts:259-345',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/store.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp-store',
  cleanTempDir: 'always',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental-store.json',
};
