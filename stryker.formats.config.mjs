// StrykerJS over the worker's file readers (src/store/worker/formats/: Arrow IPC framing, data
// and sink, the LZ4 frame decoder and the Arrow codecs, the Parquet reader, the column helpers,
// the byte buffer, the page's columns) and columns-message.ts (source.columns as the worker's
// message): their tests under Node with mocha, as the store's config runs its own
// (scripts/node-test-hooks.mjs: tsx, '@open-wc/testing' as its chai, fetch('/test/fixtures/…')
// from the disk). apache-arrow, hyparquet, hyparquet-writer and fzstd run in Node as they are.
// These tests call the readers themselves (arrowSink, parquetSink, readParquet, readPageColumns,
// decodeLz4Frames, the framer), which is all that the worker does with a file's bytes; the
// tests in these files that need a Web Worker or a page (<ua-source events-src>, a MetricsStore
// reading Arrow or Parquet) are skipped under Node (itWithWorkers in test/store/helpers.ts)
// and run in Chromium only. Not mutated here: ndjson.ts and json-array.ts (the text readers,
// whose tests are the store's), arrow-types.ts's type-only interface (its functions are),
// and columns-transfer.ts (the store's config mutates it).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mochaOptions: {
    // The small, exact tests first: with Stryker's bail most mutants die there.
    spec: [
      'test/store/lz4-frame.test.ts',
      'test/store/arrow-stream.test.ts',
      'test/store/arrow-deltas.test.ts',
      'test/store/parquet-reader.test.ts',
      'test/store/formats-mutation.test.ts',
      // Not here: arrow-compressed, arrow-columns, parquet-stream and formats.test.ts import
      // <ua-source> (src/components/source/source.ts), whose Lit decorators fail to load in
      // Stryker's sandbox ("Unsupported decorator location: getter": tsx compiles them as
      // standard decorators there); their tests that run under Node are direct calls of the
      // readers, which formats-mutation.test.ts makes too, without the element.
    ],
  },
  testRunnerNodeArgs: ['--import', './scripts/node-test-hooks.mjs'],
  mutate: [
    'src/store/worker/formats/*.ts',
    '!src/store/worker/formats/ndjson.ts',
    '!src/store/worker/formats/json-array.ts',
    'src/store/worker/columns-message.ts',
  ],
  // chDB's install (npm run test:clickhouse) holds a symlink that Stryker's copy cannot take.
  ignorePatterns: ['.cache'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/formats.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp-formats',
  cleanTempDir: 'always',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental-formats.json',
};
