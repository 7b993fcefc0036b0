/**
 * The worker's Parquet reader (src/store/worker/formats/parquet.ts) on files that DuckDB writes,
 * as a portal exports them: every compression the reader must handle (zstd, snappy, none),
 * Parquet v1 and v2 data pages (v2: DuckDB's delta encodings), small row groups, and the time
 * as a timestamp (µs), a BIGINT of ms, a DOUBLE and an ISO string; numeric users. The numbers
 * must equal computeReport on the same events as objects, bad rows included (a null user, an
 * unknown type, a null time, a null app).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeFromColumns } from '../../src/engine/compute.js';
import { computeReport } from '../../src/engine/index.js';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import { readParquet } from '../../src/store/worker/formats/parquet.js';

const OPTIONS: ReportOptions = { range: 30, end: '2026-03-10', timeZone: 'UTC', now: 0 };

interface Row {
  user: string | null;
  time: number | null;
  type: string;
  app: string | null;
}

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` events over 40 days before Mar 11 with bad rows of each kind a Parquet file can hold. */
function sampleRows(n: number, numericUsers = false): Row[] {
  const rnd = random(15);
  const end = Date.UTC(2026, 2, 11);
  const types = ['open', 'page', 'page', 'hide'];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const id = Math.floor(rnd() * 400);
    rows.push({
      user: r < 0.01 ? null : numericUsers ? String(1_000_000 + id) : `u${id}`,
      time: r > 0.99 ? null : Math.floor(end - rnd() * 40 * 86_400_000),
      type: r > 0.01 && r < 0.02 ? 'click' : types[Math.floor(rnd() * types.length)],
      app: rnd() < 0.05 ? null : rnd() < 0.6 ? 'mini' : 'h5',
    });
  }
  return rows;
}

/** The parts of a Report that come from the events. */
function numbers(r: Report) {
  const { totals, previousTotals, growth, series, previousSeries, diagnostics } = r;
  return { totals, previousTotals, growth, series, previousSeries, diagnostics };
}

/** The rows as the JSON path reads them (a null app is no app). */
function asObjects(rows: Row[]): unknown[] {
  return rows.map((r) => (r.app === null ? { user: r.user, time: r.time, type: r.type } : r));
}

const dir = mkdtempSync(join(tmpdir(), 'ua-parquet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** DuckDB writes `rows` with `select` (over a table `e` of them) and `copy` options to a file. */
async function duckdbParquet(rows: Row[], select: string, copy: string): Promise<Uint8Array> {
  const json = join(dir, `rows-${rows.length}.ndjson`);
  writeFileSync(json, rows.map((r) => JSON.stringify(r)).join('\n'));
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.parquet`);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(
      `CREATE TABLE e AS SELECT * FROM read_json('${json}', format = 'newline_delimited',
        columns = {user: 'VARCHAR', time: 'BIGINT', type: 'VARCHAR', app: 'VARCHAR'})`,
    );
    await db.run(`COPY (SELECT ${select} FROM e) TO '${out}' (FORMAT parquet, ${copy})`);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  return new Uint8Array(readFileSync(out));
}

async function readReport(bytes: Uint8Array): Promise<Report> {
  const groups: number[] = [];
  const columns = await readParquet(bytes, async (done) => {
    groups.push(done);
  });
  assert.ok(groups.length > 0);
  return computeFromColumns(columns, OPTIONS);
}

const rows = sampleRows(12_000);
const expected = numbers(computeReport(asObjects(rows), OPTIONS));

test('the sample has bad rows of each kind', () => {
  const reasons = expected.diagnostics!.reasons;
  assert.ok(reasons['bad-user'] > 10 && reasons['bad-type'] > 10 && reasons['bad-time'] > 10);
  assert.ok(expected.totals.activeUsers > 100);
});

const COLUMNS = 'user, time, type, app';
const cases: Array<[string, string, string]> = [
  ['zstd, BIGINT ms, row groups of 2 048', COLUMNS, 'COMPRESSION zstd, ROW_GROUP_SIZE 2048'],
  ['snappy, BIGINT ms', COLUMNS, 'COMPRESSION snappy'],
  ['uncompressed, BIGINT ms', COLUMNS, 'COMPRESSION uncompressed'],
  ['Parquet v2 pages (delta encodings), zstd', COLUMNS, 'COMPRESSION zstd, PARQUET_VERSION v2'],
  [
    'a TIMESTAMP (µs) time, snappy',
    'user, epoch_ms(time) AS time, type, app',
    'COMPRESSION snappy',
  ],
  ['a DOUBLE time, a page column beside', `${COLUMNS}, '/home' AS page`, 'COMPRESSION zstd'],
  [
    'an ISO string time',
    "user, strftime(epoch_ms(time), '%Y-%m-%dT%H:%M:%S.%gZ') AS time, type, app",
    'COMPRESSION snappy',
  ],
];
for (const [name, select, copy] of cases) {
  test(`DuckDB's Parquet, ${name}: numbers equal computeReport`, async () => {
    const bytes = await duckdbParquet(
      rows,
      name.includes('DOUBLE') ? select.replace('time,', 'time::DOUBLE AS time,') : select,
      copy,
    );
    assert.deepEqual(numbers(await readReport(bytes)), expected);
  });
}

test('numeric users (BIGINT) read as their decimal strings, as in JSON', async () => {
  const numeric = sampleRows(6000, true);
  const bytes = await duckdbParquet(
    numeric,
    'user::BIGINT AS user, time, type, app',
    'COMPRESSION zstd, ROW_GROUP_SIZE 2048',
  );
  const want = numbers(computeReport(asObjects(numeric), OPTIONS));
  assert.deepEqual(numbers(await readReport(bytes)), want);
});

test('a user column of structs is refused with a readable error', async () => {
  const bytes = await duckdbParquet(
    rows.slice(0, 100),
    '{id: user} AS user, time, type, app',
    'COMPRESSION snappy',
  );
  await assert.rejects(
    readParquet(bytes, async () => {}),
    {
      message: 'The Parquet file\'s "user" column is not a plain (flat) column',
    },
  );
});
