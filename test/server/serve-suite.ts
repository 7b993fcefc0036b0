/**
 * `ua-kit serve` as a user runs it: a process on a free 127.0.0.1 port over an NDJSON file of
 * seeded messy events, answering over real HTTP; every report compared with computeReport
 * over the same rows. One suite for every engine (serveSuite): DuckDB (serve.node.ts), chDB
 * and a ClickHouse server (test/server/clickhouse/serve-*.node.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import {
  computeReport,
  parseCivil,
  planPeriods,
  type Range,
  type Report,
} from '../../src/engine/index.js';
import { withoutDiagnostics } from '../engine/arbitraries.js';
import {
  dayIn,
  lastAcceptedTime,
  messyRows,
  request,
  tempDir,
  writeNdjson,
  type Served,
  reportDifferences,
} from './helpers.js';

/** Zones and end days: plain days, and days of 23 and 25 hours. */
const DAYS: Array<{ tz: string; end: string; note: string }> = [
  { tz: 'UTC', end: '2026-10-20', note: 'plain day' },
  { tz: 'Asia/Shanghai', end: '2026-11-02', note: 'no clock change' },
  { tz: 'America/New_York', end: '2026-11-01', note: '25-h day' },
  { tz: 'America/New_York', end: '2026-03-08', note: '23-h day' },
  { tz: 'Europe/Berlin', end: '2026-10-25', note: '25-h day' },
  { tz: 'Europe/Berlin', end: '2026-03-29', note: '23-h day' },
  { tz: 'Australia/Lord_Howe', end: '2026-10-04', note: '23.5-h day' },
];
const RANGES: Range[] = [1, 7, 30];

/** How a suite starts its server over the rows of an NDJSON file. */
export interface ServeSetup {
  /** What the suite is named after: the engine and how it runs. */
  label: string;
  /** Starts `ua-kit serve` over the rows (written to `path`, as `rows` after a JSON round trip). */
  start(path: string, rows: unknown[]): Promise<Served>;
  /** Whether the server loads the file itself (and logs what it rejected). Default true. */
  loadsFile?: boolean;
  /** After the server stopped. */
  cleanup?(): Promise<void> | void;
}

/** The server suite over one engine. */
export function serveSuite(setup: ServeSetup): void {
  describe(`ua-kit serve (${setup.label})`, () => {
    let server: Served;
    let rows: unknown[];
    const temp = tempDir();

    before(async () => {
      const path = join(temp.dir, 'events.ndjson');
      // Rows exactly on the bucket edges of the days compared, where an off-by-one would show.
      const edges = DAYS.flatMap(({ tz, end }) => {
        const plan = planPeriods(1, parseCivil(end), tz);
        return [...plan.previousBuckets, ...plan.buckets, plan.period.end].flatMap((t, i) => [
          { user: `edge-${i % 5}`, type: 'open', time: t, app: 'a' },
          { user: `edge-${i % 3}`, type: 'page', time: t - 1 },
          { user: `edge-${i % 3}`, type: 'hide', time: t + 1000 },
        ]);
      });
      const generated = [...messyRows(7), ...edges];
      writeNdjson(path, generated);
      rows = generated.map((r) => JSON.parse(JSON.stringify(r)) as unknown); // as the server reads them
      server = await setup.start(path, rows);
    });

    after(async () => {
      const code = await server?.stop();
      temp.remove();
      await setup.cleanup?.();
      assert.equal(code, 0, 'ends cleanly on SIGTERM');
    });

    function reportUrl(q: Record<string, string | number | undefined>): string {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
      return `${server.url}/api/report?${params}`;
    }

    test('it logs the rows it rejected, by reason, and lists the apps of the events', async () => {
      if (setup.loadsFile !== false) assertLoadLogged();
      const { status, body } = await request(`${server.url}/api/apps`);
      assert.equal(status, 200);
      const ids = (body as { apps: Array<{ id: string; name: string }> }).apps
        .map((a) => a.id)
        .sort();
      assert.deepEqual(ids, ['7', 'a', 'b', 'game-garden', 'h5-news', 'wx-mall']);
    });

    function assertLoadLogged(): void {
      const expected = computeReport(rows, {
        range: 1,
        end: '2026-10-20',
        timeZone: 'UTC',
      }).diagnostics!;
      const out = server.output();
      assert.match(
        out,
        new RegExp(`${expected.accepted} events accepted, ${expected.rejected + 2} rejected`),
      );
      assert.match(out, /bad-json 2/);
      for (const [reason, n] of Object.entries(expected.reasons))
        assert.match(out, new RegExp(`${reason} ${n}`));
    }

    test('/api/report equals computeReport: ranges 1/7/30 × every app or none × zones with 23-h and 25-h days', async () => {
      const apps = (
        (await request(`${server.url}/api/apps`)).body as { apps: Array<{ id: string }> }
      ).apps;
      let compared = 0;
      for (const { tz, end, note } of DAYS) {
        for (const range of RANGES) {
          for (const app of [undefined, ...apps.map((a) => a.id)]) {
            const { status, body } = await request(reportUrl({ range, end, tz, app }));
            assert.equal(status, 200, JSON.stringify(body));
            const expected = withoutDiagnostics(
              computeReport(rows, { range, end, timeZone: tz, app }),
            );
            const diff = reportDifferences(body, expected);
            assert.deepEqual(diff, [], `${tz} ${end} (${note}) range ${range} app ${app}`);
            compared++;
          }
        }
      }
      assert.equal(compared, DAYS.length * RANGES.length * (apps.length + 1));
    });

    test('without end, the report is of yesterday in its zone (T+1)', async () => {
      const { body } = await request(reportUrl({ range: 7, tz: 'Asia/Shanghai', app: 'wx-mall' }));
      const expected = withoutDiagnostics(
        computeReport(rows, { range: 7, timeZone: 'Asia/Shanghai', app: 'wx-mall' }),
      );
      assert.deepEqual(reportDifferences(body, expected), []);
    });

    test('bad queries are 400 naming the parameter; values never reach SQL as text', async () => {
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ range: '5' }, /^range:/],
        [{ range: 'seven' }, /^range:/],
        [{ range: '7', end: '2026-13-01' }, /^end:/],
        [{ range: '7', end: '2026-02-30' }, /^end:/],
        [{ range: '7', tz: 'Mars/Olympus' }, /^tz:/],
        [{ range: '7', app: "A' OR '1'='1" }, /^app:/],
        [{ range: '7', app: "a'; DROP TABLE events; --" }, /^app:/],
      ];
      for (const [query, pattern] of cases) {
        const { status, body, headers } = await request(reportUrl(query));
        assert.equal(status, 400, JSON.stringify(query));
        assert.match((body as { error: string }).error, pattern);
        assert.match(headers.get('content-type') ?? '', /application\/json/);
      }
      // The table is still there and the numbers unchanged.
      const { status, body } = await request(reportUrl({ range: 7, end: '2026-10-20', tz: 'UTC' }));
      assert.equal(status, 200);
      assert.deepEqual(
        reportDifferences(
          body,
          withoutDiagnostics(computeReport(rows, { range: 7, end: '2026-10-20', timeZone: 'UTC' })),
        ),
        [],
      );
    });

    test('unknown paths are 404; POST /api/events does not exist without --ingest-token; no CORS without --cors', async () => {
      for (const path of ['/api/nope', '/api', '/nope.txt', '/../package.json']) {
        const { status, body } = await request(server.url + path);
        assert.equal(status, 404, path);
        assert.equal(typeof (body as { error: string }).error, 'string');
      }
      const post = await request(`${server.url}/api/events`, { method: 'POST', body: '[]' });
      assert.equal(post.status, 404);
      const { headers } = await request(`${server.url}/api/apps`, {
        headers: { Origin: 'http://elsewhere.test' },
      });
      assert.equal(headers.get('access-control-allow-origin'), null);
    });

    test('a past report is final: ETag, Cache-Control, and 304 for If-None-Match', async () => {
      const url = reportUrl({
        range: 30,
        end: '2026-10-31',
        tz: 'Europe/Berlin',
        app: 'game-garden',
      });
      const first = await request(url);
      const etag = first.headers.get('etag');
      assert.ok(etag, 'an ETag');
      assert.match(first.headers.get('cache-control') ?? '', /max-age=\d+/);
      const again = await request(url, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, null);
      const other = await request(url, { headers: { 'If-None-Match': '"something else"' } });
      assert.equal(other.status, 200);
      assert.deepEqual(other.body, first.body);
    });

    test("dataUpTo: the last day with an event in the report's zone (never after yesterday)", async () => {
      const last = lastAcceptedTime(rows);
      assert.ok(last < Date.now() - 2 * 86_400_000, 'the events end before yesterday');
      for (const tz of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
        // A final (cached) report, the same again, and one of the default end (yesterday).
        for (const q of [
          { range: 7, end: '2026-10-20', tz },
          { range: 7, end: '2026-10-20', tz },
          { range: 1, tz },
        ]) {
          const { status, body } = await request(reportUrl(q));
          assert.equal(status, 200);
          assert.equal(
            (body as { dataUpTo?: unknown }).dataUpTo,
            dayIn(last, tz),
            JSON.stringify(q),
          );
        }
      }
    });

    test('a report whose period includes today is not cached', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const { status, headers } = await request(reportUrl({ range: 1, end: today, tz: 'UTC' }));
      assert.equal(status, 200);
      assert.equal(headers.get('etag'), null);
      assert.equal(headers.get('cache-control'), 'no-store');
    });

    test('50 concurrent report requests: all 200, all equal, all equal computeReport', async () => {
      const queries = [
        { range: 7 as Range, end: '2026-10-28', tz: 'Asia/Tokyo', app: 'h5-news' },
        { range: 30 as Range, end: '2026-11-02', tz: 'America/Los_Angeles', app: undefined },
      ];
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => request(reportUrl(queries[i % 2]))),
      );
      for (const [i, a] of answers.entries()) {
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, answers[i % 2].body);
      }
      for (const [j, q] of queries.entries()) {
        const expected = withoutDiagnostics(
          computeReport(rows, { range: q.range, end: q.end, timeZone: q.tz, app: q.app }),
        );
        assert.deepEqual(reportDifferences(answers[j].body as Report, expected), []);
      }
    });
  });
}
