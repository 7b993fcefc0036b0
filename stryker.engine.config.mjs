// StrykerJS over src/engine: the engine's tests (test/engine, the same files web-test-runner
// runs in Chromium) run under Node with mocha; scripts/node-test-hooks.mjs transpiles them and
// maps '@open-wc/testing' to its chai. `npm run mutate` runs this and the store's config.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  // The exact, hand-computed tests first: with mocha's bail, most mutants die in milliseconds
  // there, and only the survivors of those go on to the slower property and fuzz tests.
  mochaOptions: {
    spec: [
      'test/engine/rules.test.ts',
      'test/engine/periods.test.ts',
      'test/engine/scratch.test.ts',
      'test/engine/parse-columns.test.ts',
      'test/engine/corners.test.ts',
      'test/engine/properties.test.ts',
      'test/engine/fuzz.test.ts',
    ],
  },
  testRunnerNodeArgs: ['--import', './scripts/node-test-hooks.mjs'],
  mutate: ['src/engine/**/*.ts', '!src/engine/types.ts', '!src/engine/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/engine.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental-engine.json',
};
