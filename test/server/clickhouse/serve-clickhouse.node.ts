/**
 * `ua-kit serve --clickhouse URL` against the stand-in ClickHouse HTTP server (stand-in.ts:
 * the transport is the only stand-in, the SQL runs in chDB): the server suite of DuckDB
 * (../serve-suite.ts) run again over it, then a ClickHouse that stops (503), comes back (the
 * same process answers again), is slow (504), or was down when the server started.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { computeReport, type ReportOptions } from '../../../src/engine/index.js';
import { loadColumns, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { withoutDiagnostics } from '../../engine/arbitraries.js';
import { ROOT, request, serve, type Served, reportDifferences } from '../helpers.js';
import { serveSuite } from '../serve-suite.js';
import { columnsOf, messyRows, newSession } from './helpers.js';
import { ClickHouseStandIn } from './stand-in.js';

const USER = 'ua_reader';
const PASSWORD = "p@ss:w'rd";
const CREDENTIALS = { CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: PASSWORD };

const session = newSession() as ChdbSession & { connection: unknown };
const standIn = new ClickHouseStandIn(session, USER, PASSWORD);
before(() => standIn.start());
after(async () => {
  await standIn.stop();
  session.close();
});

serveSuite({
  label: 'a ClickHouse server, --clickhouse URL',
  loadsFile: false,
  start: async (_path, rows) => {
    await loadColumns(session, columnsOf(rows), 'ua_kit', 'events');
    return serve(['--clickhouse', standIn.url], CREDENTIALS);
  },
});

/** The report of `q` from the server, and computeReport's over `rows`. */
async function compare(server: Served, rows: unknown[], q: ReportOptions) {
  const url = `${server.url}/api/report?range=${q.range}&end=${q.end}&tz=${q.timeZone}${q.app ? `&app=${q.app}` : ''}`;
  const answer = await request(url);
  return {
    ...answer,
    diff: reportDifferences(answer.body, withoutDiagnostics(computeReport(rows, q))),
  };
}

describe('ua-kit serve --clickhouse: a ClickHouse that is down or slow, then back', () => {
  const rows = messyRows(5);
  const queries: ReportOptions[] = [
    { range: 7, end: '2026-03-09', timeZone: 'America/New_York' },
    { range: 30, end: '2026-10-26', timeZone: 'Europe/Berlin', app: 'a' },
    { range: 1, end: '2026-11-01', timeZone: 'America/New_York', app: '7' },
    { range: 7, end: '2026-10-26', timeZone: 'Europe/Berlin' },
  ];
  let server: Served;
  before(async () => {
    await loadColumns(session, columnsOf(rows), 'outage', 'events');
    server = await serve(
      ['--clickhouse', standIn.url, '--database', 'outage', '--timeout-ms', '1500'],
      CREDENTIALS,
    );
  });
  after(async () => {
    standIn.delayMs = 0;
    assert.equal(await server?.stop(), 0, 'ends cleanly on SIGTERM');
  });

  it('stopped: 503 with a readable error (a final report already cached is still served); restarted: the same numbers again', async () => {
    const cached = await compare(server, rows, queries[0]);
    assert.equal(cached.status, 200);
    assert.deepEqual(cached.diff, []);
    await standIn.stop();
    try {
      const down = await compare(server, rows, queries[1]);
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.match(
        (down.body as { error: string }).error,
        /^ClickHouse at http:\/\/127\.0\.0\.1:\d+ is unreachable$/,
      );
      assert.equal((await request(`${server.url}/api/apps`)).status, 503);
      const still = await compare(server, rows, queries[0]);
      assert.equal(still.status, 200, 'the cached report does not need ClickHouse');
    } finally {
      await standIn.start();
    }
    const back = await compare(server, rows, queries[1]);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.deepEqual(back.diff, []);
    assert.match(server.output(), /GET \/api\/report\?\S+ 503 /);
  });

  it('slower than --timeout-ms: 504 with a readable error; at its usual speed: the same numbers again', async () => {
    standIn.delayMs = 2_500;
    const slow = await compare(server, rows, queries[2]).finally(() => (standIn.delayMs = 0));
    assert.equal(slow.status, 504, JSON.stringify(slow.body));
    assert.match(
      (slow.body as { error: string }).error,
      /^ClickHouse at http:\/\/127\.0\.0\.1:\d+ did not answer in time$/,
    );
    const again = await compare(server, rows, queries[2]);
    assert.equal(again.status, 200);
    assert.deepEqual(again.diff, []);
  });

  it('down when the server starts: it starts, says so, answers 503, and reports once ClickHouse is up', async () => {
    await standIn.stop();
    let late: Served;
    try {
      late = await serve(['--clickhouse', standIn.url, '--database', 'outage'], CREDENTIALS);
      assert.match(late.output(), /is unreachable \(answering 503 until it is back\)/);
      assert.equal((await compare(late, rows, queries[3])).status, 503);
    } finally {
      await standIn.start();
    }
    try {
      const up = await compare(late, rows, queries[3]);
      assert.equal(up.status, 200);
      assert.deepEqual(up.diff, []);
    } finally {
      assert.equal(await late.stop(), 0);
    }
  });

  it('a wrong password ends the start with the error, not the password', async () => {
    const wrong = await serve(['--clickhouse', standIn.url, '--database', 'outage'], {
      ...CREDENTIALS,
      CLICKHOUSE_PASSWORD: 'sesame-wrong',
    }).then(
      () => assert.fail('expected the start to fail'),
      (e: unknown) => (e as Error).message,
    );
    assert.match(wrong, /exited with 1/);
    assert.match(
      wrong,
      /ua-kit serve: ClickHouse http:\/\/127\.0\.0\.1:\d+, table outage\.events: .*Authentication failed/,
    );
    assert.ok(!wrong.includes('sesame-wrong'));
  });
});

describe('README "Beyond one machine": its serve command, run against the stand-in', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const block = /```sh\n\s*(CLICKHOUSE_USER=[\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const rows = messyRows(9);

  it('serves what it says, with the printed lines', async () => {
    const command = /^([\s\S]*?)\n\s*# →/.exec(block)?.[1].replace(/\\\n\s*/g, '') ?? '';
    const words = command.split(/\s+/).filter((w) => w !== '');
    const env: Record<string, string> = {};
    while (/^[A-Z_]+=/.test(words[0] ?? '')) {
      const [name, value] = words.shift()!.split('=');
      env[name] = value === '…' ? PASSWORD : value;
    }
    assert.deepEqual(Object.keys(env), ['CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD']);
    assert.equal(env.CLICKHOUSE_USER, USER);
    assert.deepEqual(words.slice(0, 3), ['npx', 'ua-kit', 'serve']);
    const args = words.slice(3).map((w) => (w === 'http://localhost:8123' ? standIn.url : w));
    assert.ok(args.includes(standIn.url), 'the README names the ClickHouse URL');
    await loadColumns(session, columnsOf(rows), 'ua_kit', 'events');
    const server = await serve(args, env);
    try {
      const printed = [...block.matchAll(/^\s*# → (.*)$/gm)].map((m) => m[1]);
      assert.equal(printed.length, 2);
      const shape = (line: string) =>
        new RegExp(
          line
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace('http://localhost:8123', 'http://127\\.0\\.0\\.1:\\d+')
            .replace('http://127\\.0\\.0\\.1:8787', 'http://127\\.0\\.0\\.1:\\d+')
            .replace(/\d+ apps/, '\\d+ apps'),
        );
      assert.match(server.output(), shape(printed[0]));
      assert.match(server.output(), shape(printed[1]));
      const q: ReportOptions = { range: 30, end: '2026-11-20', timeZone: 'America/New_York' };
      const { status, diff } = await compare(server, rows, q);
      assert.equal(status, 200);
      assert.deepEqual(diff, []);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
