/**
 * `--events` in each format SPEC §9 names besides NDJSON — a JSON array, CSV with a header,
 * Parquet — and `--apps`: the same events give the same reports as computeReport over them.
 * One suite for the engines that load a file (formatsSuite): DuckDB (formats.node.ts) and chDB
 * (test/server/clickhouse/formats-chdb.node.ts).
 */

/** Arrow written by ClickHouse (chDB) with compressed bodies: scripts/arrow-fixtures.mjs. */
const CLICKHOUSE_ARROW = join(ROOT, 'test/fixtures/arrow');
const CLICKHOUSE_FILES = [
  'events-lz4.arrow',
  'events-lz4.arrows',
  'events-zstd.arrow',
  'events-zstd.arrows',
  'events-iso-lz4.arrow',
];

/** The events of those files, as chDB wrote them to NDJSON. */
function clickhouseEvents(): unknown[] {
  const text = gunzipSync(readFileSync(join(CLICKHOUSE_ARROW, 'events.ndjson.gz'))).toString();
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Dictionary,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import {
  computeReport,
  parseIsoDateTime,
  type Diagnostics,
  type Range,
} from '../../src/engine/index.js';
import { withoutDiagnostics } from '../engine/arbitraries.js';
import { ROOT, messyRows, request, serve, tempDir, reportDifferences } from './helpers.js';

/** Rows whose fields are all plain values (what CSV and Parquet can hold). */
const rows = (messyRows(3) as Array<Record<string, unknown>>)
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>)
  .filter((r) => typeof r === 'object' && r !== null && !Array.isArray(r))
  .filter((r) => Object.values(r).every((v) => v === null || typeof v !== 'object'));

type Cell = string | number | null;

/**
 * The rows as a columnar file holds them, and the same events as JSON rows (what computeReport
 * and the JSON path judge): users and apps as text (a number as its decimal string, as the
 * engine takes it), the time a number (ISO strings parsed; a time that is none becomes null) or,
 * with `iso`, text (numbers as ISO strings; bad ones kept as the text they are). Unknown types
 * and empty users stay: the server must reject them as the engine does.
 */
function columnarRows(time: 'number' | 'iso'): {
  written: Array<Record<string, Cell>>;
  expected: Array<Record<string, unknown>>;
} {
  const written: Array<Record<string, Cell>> = [];
  const expected: Array<Record<string, unknown>> = [];
  const text = (v: unknown): string | null =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  for (const r of rows) {
    let t: Cell;
    if (time === 'number') {
      const ms = typeof r.time === 'string' ? parseIsoDateTime(r.time) : r.time;
      t = typeof ms === 'number' && Number.isFinite(ms) ? Math.floor(ms) : null;
    } else {
      t =
        typeof r.time === 'number'
          ? Number.isFinite(r.time)
            ? new Date(Math.floor(r.time)).toISOString()
            : String(r.time)
          : text(r.time);
    }
    const row = { user: text(r.user), time: t, type: text(r.type), app: text(r.app) };
    written.push(row);
    const json: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null) json[k] = v;
    expected.push(json);
  }
  return { written, expected };
}

/** The rows with integer user ids (a null user stays null): a BIGINT column's values. */
function withIntegerUsers(
  written: Array<Record<string, Cell>>,
  expected: Array<Record<string, unknown>>,
): [Array<Record<string, Cell>>, Array<Record<string, unknown>>] {
  const user = (r: Record<string, Cell>, i: number) => (r.user === null ? null : i % 97);
  return [
    written.map((r, i) => ({ ...r, user: user(r, i) })),
    expected.map((r, i) => (written[i].user === null ? r : { ...r, user: user(written[i], i) })),
  ];
}

/** Writes rows to a Parquet file with DuckDB (`COPY … TO`), columns of the given SQL types. */
async function writeParquet(
  path: string,
  written: Array<Record<string, Cell>>,
  types: Record<string, string>,
): Promise<void> {
  const ndjson = `${path}.ndjson`;
  writeFileSync(ndjson, written.map((r) => JSON.stringify(r)).join('\n'));
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const columns = Object.entries(types)
    .map(([k, v]) => `${k}: '${v}'`)
    .join(', ');
  await c.run(
    `COPY (SELECT * FROM read_json('${ndjson}', columns = {${columns}})) TO '${path}' (FORMAT parquet)`,
  );
  c.closeSync();
  instance.closeSync();
}

/** An Arrow IPC file or stream of the rows: strings dictionary-encoded unless `plain`, time ms. */
function arrowBytes(
  written: Array<Record<string, Cell>>,
  kind: 'file' | 'stream',
  dictionary = true,
): Uint8Array {
  const strings = (name: string) =>
    vectorFromArray(
      written.map((r) => r[name] as string | null),
      dictionary ? new Dictionary(new Utf8(), new Int32()) : new Utf8(),
    );
  const isText = written.some((r) => typeof r.time === 'string');
  const table = new Table({
    user: strings('user'),
    time: isText
      ? vectorFromArray(
          written.map((r) => r.time as string | null),
          new Utf8(),
        )
      : vectorFromArray(
          written.map((r) => r.time as number | null),
          new TimestampMillisecond(),
        ),
    type: strings('type'),
    app: strings('app'),
  });
  return tableToIPC(table, kind);
}

const QUERIES: Array<{ range: Range; end: string; tz: string; app?: string }> = [
  { range: 30, end: '2026-11-02', tz: 'America/New_York' },
  { range: 7, end: '2026-11-01', tz: 'Europe/Berlin', app: 'wx-mall' },
  { range: 1, end: '2026-11-01', tz: 'America/New_York', app: 'h5-news' },
  { range: 1, end: '2026-03-29', tz: 'Europe/Berlin' },
];

/** The format tests, with `engineArgs` (e.g. `['--engine', 'chdb']`) after `--events PATH`. */
export function formatsSuite(label: string, engineArgs: string[]): void {
  describe(`--events formats and --apps (${label})`, () => {
    const temp = tempDir();
    after(() => temp.remove());

    async function assertServes(
      args: string[],
      expectedRows: unknown[],
      env: Record<string, string> = {},
    ): Promise<void> {
      const server = await serve([...args, ...engineArgs], env);
      try {
        for (const q of QUERIES) {
          const params = new URLSearchParams({ range: String(q.range), end: q.end, tz: q.tz });
          if (q.app) params.set('app', q.app);
          const { status, body } = await request(`${server.url}/api/report?${params}`);
          assert.equal(status, 200, JSON.stringify(body));
          const expected = withoutDiagnostics(
            computeReport(expectedRows, { range: q.range, end: q.end, timeZone: q.tz, app: q.app }),
          );
          assert.deepEqual(reportDifferences(body, expected), [], JSON.stringify(q));
        }
      } finally {
        await server.stop();
      }
    }

    const csvValue = (v: unknown) => {
      if (v === undefined || v === null) return '';
      const s = String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };

    test('a JSON array, with --apps naming the apps and their kinds', async () => {
      const path = join(temp.dir, 'events.json');
      writeFileSync(path, JSON.stringify(rows));
      const apps = join(temp.dir, 'apps.json');
      const listed = [
        { id: 'wx-mall', name: '晴天商城', kind: 'mini-program' },
        { id: 'h5-news', name: 'Morning Brief', kind: 'h5' },
        { id: 'quiet', name: 'No events yet', kind: 'mini-game' },
      ];
      writeFileSync(apps, JSON.stringify({ apps: listed }));
      await assertServes(['--events', path, '--apps', apps], rows);
      const server = await serve(['--events', path, '--apps', apps, ...engineArgs]);
      try {
        assert.deepEqual((await request(`${server.url}/api/apps`)).body, { apps: listed });
        // An app listed without events: its report is the app-less events', as computeReport's.
        const { body } = await request(
          `${server.url}/api/report?range=7&end=2026-11-02&tz=UTC&app=quiet`,
        );
        const expected = computeReport(rows, {
          range: 7,
          end: '2026-11-02',
          timeZone: 'UTC',
          app: 'quiet',
        });
        assert.deepEqual(reportDifferences(body, withoutDiagnostics(expected)), []);
      } finally {
        await server.stop();
      }
    });

    test('CSV with a header (quoted fields, numeric times as epoch ms)', async () => {
      const header = ['user', 'time', 'type', 'app', 'page'];
      const lines = [
        header.join(','),
        ...rows.map((r) => header.map((h) => csvValue(r[h])).join(',')),
      ];
      const path = join(temp.dir, 'events.csv');
      writeFileSync(path, lines.join('\r\n') + '\r\n');
      // What a CSV can say: a missing field and an empty one are the same, like an absent app.
      await assertServes(['--events', path], rows);
    });

    /** The `loaded PATH: …` line's counts, as computeReport's diagnostics say them. */
    function loadedCounts(output: string): Diagnostics {
      const m = /loaded .*: (\d+) events accepted, (\d+) rejected(?: \(([^)]*)\))?/.exec(output);
      assert.ok(m, output);
      const reasons: Record<string, number> = {};
      for (const part of (m[3] ?? '').split(', ').filter(Boolean)) {
        const [k, v] = part.split(' ');
        reasons[k] = Number(v);
      }
      return { accepted: Number(m[1]), rejected: Number(m[2]), reasons };
    }

    /** Serves `path` and checks the reports and the load's counts against computeReport. */
    async function assertColumnar(
      path: string,
      expected: unknown[],
      args: string[] = [],
      env: Record<string, string> = {},
    ) {
      await assertServes(['--events', path, ...args], expected, env);
      const server = await serve(['--events', path, ...args, ...engineArgs], env);
      try {
        const diagnostics = computeReport(expected, { range: 7, end: '2026-11-02' }).diagnostics!;
        assert.deepEqual(loadedCounts(server.output()), diagnostics);
        assert.ok(diagnostics.rejected > 0 && diagnostics.accepted > 20_000, 'bad rows and good');
      } finally {
        await server.stop();
      }
    }

    /** Starting on `path` fails: exit code 1 and a message naming the file. */
    async function assertRefused(path: string, args: string[] = []) {
      await assert.rejects(serve(['--events', path, ...args, ...engineArgs]), (error: Error) => {
        assert.match(error.message, /exited with 1/);
        assert.ok(error.message.includes(path), error.message);
        assert.match(error.message, /truncated/);
        return true;
      });
    }

    /** Half of a file, as a copy cut off in the middle would be. */
    function truncated(path: string): string {
      const bytes = readFileSync(path);
      const cut = path.replace(/(\.\w+)$/, '-truncated$1');
      writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
      return cut;
    }

    test('Parquet written by DuckDB: bad rows (null user, unknown type, null time) judged as JSON', async () => {
      const path = join(temp.dir, 'events.parquet');
      const { written, expected } = columnarRows('number');
      await writeParquet(path, written, {
        user: 'VARCHAR',
        time: 'BIGINT',
        type: 'VARCHAR',
        app: 'VARCHAR',
      });
      await assertColumnar(path, expected);
      await assertRefused(truncated(path));
    });

    test('Parquet written by DuckDB: times as ISO text (a string time), integer users', async () => {
      const path = join(temp.dir, 'iso.parquet');
      const { written, expected } = columnarRows('iso');
      const [numericUsers, expectedUsers] = withIntegerUsers(written, expected);
      await writeParquet(path, numericUsers, {
        user: 'BIGINT',
        time: 'VARCHAR',
        type: 'VARCHAR',
        app: 'VARCHAR',
      });
      // No extension: the file says it is Parquet (PAR1), and --events-format can say so too.
      const bare = join(temp.dir, 'iso-events');
      writeFileSync(bare, readFileSync(path));
      await assertColumnar(bare, expectedUsers);
      await assertServes(['--events', bare, '--events-format', 'parquet'], expectedUsers);
    });

    test('Parquet written by DuckDB: times as TIMESTAMP, integer users', async () => {
      const path = join(temp.dir, 'timestamp.parquet');
      const rowsAsNumbers = columnarRows('number');
      const [written, expected] = withIntegerUsers(rowsAsNumbers.written, rowsAsNumbers.expected);
      await writeParquet(
        path,
        written.map((r) => ({
          ...r,
          time: r.time === null ? null : new Date(r.time as number).toISOString(),
        })),
        { user: 'BIGINT', time: 'TIMESTAMP', type: 'VARCHAR', app: 'VARCHAR' },
      );
      await assertColumnar(path, expected);
    });

    test('Parquet written by DuckDB: TIMESTAMP WITH TIME ZONE times, the server in New York', async () => {
      const path = join(temp.dir, 'timestamptz.parquet');
      const { written, expected } = columnarRows('number');
      const iso = (t: Cell) => (t === null ? null : new Date(t as number).toISOString());
      await writeParquet(
        path,
        written.map((r) => ({ ...r, time: iso(r.time) })),
        { user: 'VARCHAR', time: 'TIMESTAMPTZ', type: 'VARCHAR', app: 'VARCHAR' },
      );
      // Instants stay instants whatever the server's own zone (DuckDB's and chDB's too).
      await assertColumnar(path, expected, [], { TZ: 'America/New_York' });
    });

    for (const kind of ['file', 'stream'] as const) {
      test(`Arrow IPC ${kind} written by apache-arrow: dictionary strings, bad rows judged as JSON`, async () => {
        const path = join(temp.dir, `events.${kind === 'file' ? 'arrow' : 'arrows'}`);
        const once = columnarRows('number');
        // Three times over (every event thrice): one record batch of more rows than the server
        // ingests at a time, so that it is read in slices.
        const written = [...once.written, ...once.written, ...once.written];
        const expected = [...once.expected, ...once.expected, ...once.expected];
        assert.ok(written.length > 65_536);
        writeFileSync(path, arrowBytes(written, kind));
        await assertColumnar(path, expected);
        await assertRefused(truncated(path));
      });
    }

    for (const file of CLICKHOUSE_FILES) {
      test(`Arrow written by ClickHouse, compressed (${file}): reports and counts equal computeReport`, async () => {
        const events = clickhouseEvents();
        const path = join(CLICKHOUSE_ARROW, file);
        await assertServes(['--events', path], events);
        const server = await serve(['--events', path, ...engineArgs]);
        try {
          const diagnostics = computeReport(events, { range: 7, end: '2026-11-02' }).diagnostics!;
          assert.deepEqual(loadedCounts(server.output()), diagnostics);
          assert.ok(diagnostics.rejected > 0, 'bad rows');
        } finally {
          await server.stop();
        }
      });
    }

    test('Arrow written by ClickHouse, compressed: a cut copy and a corrupt buffer are refused', async () => {
      const copy = join(temp.dir, 'clickhouse-lz4.arrows');
      const bytes = readFileSync(join(CLICKHOUSE_ARROW, 'events-lz4.arrows'));
      writeFileSync(copy, bytes);
      await assertRefused(truncated(copy));
      // The first record batch's first LZ4 frame: its block size made larger than the buffer.
      const corrupt = join(temp.dir, 'clickhouse-lz4-corrupt.arrows');
      const frame = bytes.indexOf(Buffer.from([0x04, 0x22, 0x4d, 0x18]));
      assert.ok(frame > 0);
      const damaged = Buffer.from(bytes);
      damaged.writeUInt32LE(0xffff, frame + 7);
      writeFileSync(corrupt, damaged);
      await assert.rejects(serve(['--events', corrupt, ...engineArgs]), (error: Error) => {
        assert.match(error.message, /exited with 1/);
        assert.ok(error.message.includes(corrupt), error.message);
        if (engineArgs.length === 0)
          assert.match(error.message, /a compressed buffer cannot be decoded \(LZ4 frame: /);
        return true;
      });
    });

    test('Arrow IPC: times as ISO text, plain (not dictionary) strings', async () => {
      const path = join(temp.dir, 'iso.arrow');
      const { written, expected } = columnarRows('iso');
      writeFileSync(path, arrowBytes(written, 'file', false));
      await assertColumnar(path, expected);
    });
  });
}
