/**
 * Ingestion (`--ingest-token`, `POST /api/events`) into a database file (`--db`): the token,
 * the body limit, rows judged as the engine judges them, caches dropped, and no acknowledged
 * row lost or doubled when the server is killed with SIGKILL mid-ingestion and restarted.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { computeReport, type ReportOptions } from '../../src/engine/index.js';
import { withoutDiagnostics } from '../engine/arbitraries.js';
import {
  BAD_ROWS,
  dayIn,
  lastAcceptedTime,
  messyRows,
  request,
  serve,
  tempDir,
  writeNdjson,
  type Served,
  reportDifferences,
} from './helpers.js';

const TOKEN = 'tok-3f9a';
const ORIGIN = 'https://portal.example';
const temp = tempDir();
const events = join(temp.dir, 'events.ndjson');
const db = join(temp.dir, 'ua.duckdb');
let server: Served;
let rows: unknown[];

const flags = () => ['--events', events, '--db', db, '--ingest-token', TOKEN, '--cors', ORIGIN];

before(async () => {
  const generated = messyRows(11);
  writeNdjson(events, generated);
  rows = generated.map((r) => JSON.parse(JSON.stringify(r)) as unknown);
  server = await serve(flags());
});

after(async () => {
  await server?.stop();
  temp.remove();
});

const post = (body: string, token: string | null = TOKEN) =>
  request(`${server.url}/api/events`, {
    method: 'POST',
    body,
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
  });

async function assertEqualsEngine(options: ReportOptions): Promise<void> {
  const params = new URLSearchParams({
    range: String(options.range),
    end: options.end!,
    tz: options.timeZone!,
  });
  if (options.app) params.set('app', options.app);
  const { status, body } = await request(`${server.url}/api/report?${params}`);
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(
    reportDifferences(body, withoutDiagnostics(computeReport(rows, options))),
    [],
    JSON.stringify(options),
  );
}

test('no token or a wrong one is 401, and nothing is added', async () => {
  const before = await request(`${server.url}/api/report?range=30&end=2026-11-02&tz=UTC`);
  for (const token of [null, 'wrong', `${TOKEN}x`, '']) {
    const { status, headers, body } = await post(
      JSON.stringify({ user: 'x', type: 'open', time: Date.UTC(2026, 10, 1) }),
      token,
    );
    assert.equal(status, 401, String(token));
    assert.equal(headers.get('www-authenticate'), 'Bearer');
    assert.equal(typeof (body as { error: string }).error, 'string');
  }
  const afterwards = await request(`${server.url}/api/report?range=30&end=2026-11-02&tz=UTC`);
  assert.deepEqual(afterwards.body, before.body);
});

test('a body over the limit is 413', async () => {
  const line = JSON.stringify({
    user: 'big',
    type: 'page',
    time: Date.UTC(2026, 10, 1),
    page: 'x'.repeat(1000),
  });
  const big = Array.from({ length: 17_500 }, () => line).join('\n'); // > 16 MiB
  const { status, body } = await post(big);
  assert.equal(status, 413);
  assert.match((body as { error: string }).error, /^body:/);
});

test('accepted rows answer { accepted, rejected, reasons } as the engine judges them; reports follow; caches of affected days are dropped', async () => {
  const options: ReportOptions = { range: 7, end: '2026-10-30', timeZone: 'Asia/Shanghai' };
  await assertEqualsEngine(options); // now cached (the period has ended)
  const late = [
    { user: 'late-1', type: 'open', time: Date.UTC(2026, 9, 28, 3), app: 'wx-mall' },
    { user: 'late-1', type: 'page', time: '2026-10-28T11:00:05+08:00', app: 'wx-mall' },
    { user: 'late-1', type: 'hide', time: Date.UTC(2026, 9, 28, 3, 5), app: 'wx-mall' },
    { user: 4242, type: 'page', time: Date.UTC(2026, 9, 29, 12) },
    ...BAD_ROWS.filter((r) => r !== null && typeof r === 'object'),
  ];
  const ndjson = late.map((r) => JSON.stringify(r)).join('\n') + '\n{broken';
  const { status, body } = await post(ndjson);
  assert.equal(status, 200);
  const judged = computeReport(late, options).diagnostics!;
  assert.deepEqual(body, {
    accepted: judged.accepted,
    rejected: judged.rejected + 1,
    reasons: { ...judged.reasons, 'bad-json': 1 },
  });
  rows.push(...late.map((r) => JSON.parse(JSON.stringify(r)) as unknown));
  await assertEqualsEngine(options);
  await assertEqualsEngine({ ...options, app: 'wx-mall' });
  await assertEqualsEngine({ range: 1, end: '2026-10-28', timeZone: 'UTC', app: 'wx-mall' });
  // A JSON array works too.
  const more = [{ user: 'late-2', type: 'open', time: Date.UTC(2026, 9, 29, 1), app: 'h5-news' }];
  const answer = await post(JSON.stringify(more));
  assert.deepEqual(answer.body, { accepted: 1, rejected: 0, reasons: {} });
  rows.push(...more);
  await assertEqualsEngine({ ...options, app: 'h5-news' });
});

test('dataUpTo moves with an ingested event; an event of today makes it yesterday', async () => {
  const url = `${server.url}/api/report?range=7&end=2026-10-20&tz=Asia/Shanghai`;
  const before = await request(url);
  assert.equal(
    (before.body as { dataUpTo?: unknown }).dataUpTo,
    dayIn(lastAcceptedTime(rows), 'Asia/Shanghai'),
  );
  const now = Date.now();
  const today = [{ user: 'today-1', type: 'open', time: now - 1000 }];
  assert.equal((await post(JSON.stringify(today))).status, 200);
  rows.push(...today);
  const after = await request(url, { headers: { 'If-None-Match': before.headers.get('etag')! } });
  assert.equal(after.status, 200, 'another dataUpTo: another ETag');
  const yesterday = dayIn(now - 86_400_000, 'Asia/Shanghai');
  assert.equal((after.body as { dataUpTo?: unknown }).dataUpTo, yesterday);
  assert.ok(yesterday < dayIn(now, 'Asia/Shanghai'));
});

test('with --cors, the API answers with that origin and preflights', async () => {
  const { headers } = await request(`${server.url}/api/apps`);
  assert.equal(headers.get('access-control-allow-origin'), ORIGIN);
  const pre = await request(`${server.url}/api/events`, { method: 'OPTIONS' });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
});

test('SIGKILL during ingestion, restart on the same --db: every acknowledged row is there, none twice', async () => {
  const acknowledged: unknown[] = [];
  const batch = (b: number) =>
    Array.from({ length: 500 }, (_, i) => ({
      user: `kill-${b}-${i % 50}`,
      type: i % 5 === 0 ? 'open' : 'page',
      time: Date.UTC(2026, 9, 20, 10) + b * 60_000 + i * 100,
      app: 'wx-mall',
    }));
  for (let b = 0; b < 8; b++) {
    const { status, body } = await post(JSON.stringify(batch(b)));
    assert.equal(status, 200);
    assert.equal((body as { accepted: number }).accepted, 500);
    acknowledged.push(...batch(b));
  }
  // One more batch in flight when the process dies.
  const inFlight = batch(8);
  const pending = post(JSON.stringify(inFlight)).catch(() => null);
  server.process.kill('SIGKILL');
  const lastAnswer = await pending;
  if (lastAnswer !== null && lastAnswer.status === 200) acknowledged.push(...inFlight);
  server = await serve(flags());
  assert.match(server.output(), /holds \d+ events: --events is not loaded again/);
  const options: ReportOptions = { range: 1, end: '2026-10-20', timeZone: 'UTC', app: 'wx-mall' };
  const { body } = await request(
    `${server.url}/api/report?range=1&end=2026-10-20&tz=UTC&app=wx-mall`,
  );
  const withAcked = withoutDiagnostics(computeReport([...rows, ...acknowledged], options));
  const withAll = withoutDiagnostics(
    computeReport([...rows, ...acknowledged, ...inFlight], options),
  );
  // The in-flight batch is all there or not at all (one transaction), acknowledged or not.
  const matches = [withAcked, withAll].filter((e) => reportDifferences(body, e).length === 0);
  assert.equal(matches.length, 1, reportDifferences(body, withAcked).slice(0, 5).join('\n'));
  rows.push(...(matches[0] === withAll ? [...acknowledged, ...inFlight] : acknowledged));
  await assertEqualsEngine({ range: 30, end: '2026-10-31', timeZone: 'Europe/Berlin' });
});
