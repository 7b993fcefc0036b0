/**
 * `--events` in each format SPEC §9 names besides NDJSON — a JSON array, CSV with a header,
 * Parquet — and `--apps`: the same events give the same reports as computeReport over them.
 * One suite for the engines that load a file (formatsSuite): DuckDB (formats.node.ts) and chDB
 * (test/server/clickhouse/formats-chdb.node.ts).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeReport, parseIsoDateTime, type Range } from '../../src/engine/index.js';
import { reportDifferences, withoutDiagnostics } from '../engine/arbitraries.js';
import { messyRows, request, serve, tempDir } from './helpers.js';

/** Rows whose fields are all plain values (what CSV and Parquet can hold). */
const rows = (messyRows(3) as Array<Record<string, unknown>>)
  .map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>)
  .filter((r) => typeof r === 'object' && r !== null && !Array.isArray(r))
  .filter((r) => Object.values(r).every((v) => v === null || typeof v !== 'object'));

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

    async function assertServes(args: string[], expectedRows: unknown[]): Promise<void> {
      const server = await serve([...args, ...engineArgs]);
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

    test('Parquet (written by DuckDB: user and app text, time INT64 epoch ms)', async () => {
      const path = join(temp.dir, 'events.parquet');
      const good = rows
        .map((r): Record<string, unknown> => ({
          ...r,
          time: typeof r.time === 'string' ? parseIsoDateTime(r.time) : r.time,
        }))
        .filter(
          (r) =>
            typeof r.time === 'number' && Number.isFinite(r.time) && typeof r.type === 'string',
        );
      const instance = await DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      await c.run('CREATE TABLE r (user VARCHAR, time BIGINT, type VARCHAR, app VARCHAR)');
      const appender = await c.createAppender('r');
      for (const r of good) {
        if (r.user === undefined || r.user === null) appender.appendNull();
        else appender.appendVarchar(String(r.user));
        appender.appendBigInt(BigInt(Math.floor(r.time as number)));
        appender.appendVarchar(r.type as string);
        if (r.app === undefined || r.app === null || r.app === '') appender.appendNull();
        else appender.appendVarchar(String(r.app));
        appender.endRow();
      }
      appender.closeSync();
      await c.run(`COPY r TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
      c.closeSync();
      instance.closeSync();
      await assertServes(['--events', path], good);
    });
  });
}
