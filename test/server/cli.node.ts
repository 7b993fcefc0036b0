/**
 * `ua-kit` as a user types it, where it refuses: flags that do not go together end the start
 * with exit code 2 and a message naming the flag, and `--engine chdb` without chDB installed
 * ends with exit code 1 and how to install it (this suite runs without chDB).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, tempDir } from './helpers.js';

const temp = tempDir();
after(() => temp.remove());

/** Runs `ua-kit ARGS` in the temporary folder (no chDB there); 60 s at most. */
function uaKit(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const env = { ...process.env };
  delete env.UA_KIT_CHDB_DIR;
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: temp.dir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

test('--engine chdb without chDB installed: exit 1 and how to install it', () => {
  const events = join(temp.dir, 'events.ndjson');
  writeFileSync(events, '{"user":"u","time":1,"type":"open"}\n');
  const run = uaKit(['serve', '--events', events, '--engine', 'chdb', '--port', '0']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(
    run.stderr,
    /^ua-kit serve: chDB is not installed: run `npm install chdb@\d+\.\d+\.\d+` .*--engine chdb/m,
  );
});

test('flags that do not go together: exit 2, naming the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ['--clickhouse', 'http://127.0.0.1:9', '--ingest-token', 't'],
      /^--ingest-token: not with --clickhouse \(ClickHouse has its own ingestion/,
    ],
    [
      ['--clickhouse', 'http://127.0.0.1:9', '--events', 'e.ndjson'],
      /^--events: not with --clickhouse/,
    ],
    [
      ['--clickhouse', 'http://127.0.0.1:9', '--engine', 'chdb'],
      /^--engine: not with --clickhouse/,
    ],
    [['--clickhouse', 'not a url'], /^--clickhouse: expected a URL/],
    [['--events', 'e.ndjson', '--table', 't'], /^--table: only with --clickhouse/],
    [['--events', 'e.ndjson', '--engine', 'chdb', '--db', 'x.db'], /^--db: not with --engine chdb/],
    [['--events', 'e.ndjson', '--engine', 'postgres'], /^--engine: expected duckdb or chdb/],
    [
      ['--events', 'e.bin', '--events-format', 'orc'],
      /^--events-format: expected ndjson, json, csv, parquet, arrow/,
    ],
    [['--db', 'x.db', '--events-format', 'arrow'], /^--events-format: only with --events/],
    [
      ['--clickhouse', 'http://127.0.0.1:9', '--events-format', 'arrow'],
      /^--events-format: not with --clickhouse/,
    ],
    [['--clickhouse', 'http://127.0.0.1:9', '--timeout-ms', '0'], /^--timeout-ms: expected/],
  ];
  for (const [args, pattern] of cases) {
    const run = uaKit(['serve', ...args]);
    assert.equal(run.status, 2, `${args.join(' ')}\n${run.stderr}`);
    assert.match(run.stderr, pattern, args.join(' '));
    assert.match(run.stderr, /Usage: ua-kit serve/);
  }
});

test('ua-kit sql: only the clickhouse dialect', () => {
  const run = uaKit(['sql', 'postgres']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^ua-kit sql: expected the dialect clickhouse, got 'postgres'/);
});
