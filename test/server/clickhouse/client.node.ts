/**
 * The --clickhouse backend (@clickhouse/client over HTTP) against a stand-in ClickHouse on
 * 127.0.0.1 that executes what it receives in chDB: the same numbers as computeReport, the
 * values only as query parameters, credentials from the environment or the URL, and a
 * backend that is stopped (503) or slow (504) and then back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReportOptions } from '../../../src/engine/types.js';
import {
  clickhouseBackend,
  type ClickHouseBackend,
} from '../../../src/server/clickhouse/client.js';
import {
  BackendTimeoutError,
  BackendUnavailableError,
} from '../../../src/server/clickhouse/errors.js';
import { loadColumns, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { MATRIX, assertSameReport, columnsOf, messyRows, newSession } from './helpers.js';
import { ClickHouseStandIn } from './stand-in.js';

const USER = 'ua_reader';
const PASSWORD = "p@ss:w'rd";
const env = { CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: PASSWORD };

describe('@clickhouse/client backend against a ClickHouse HTTP stand-in running chDB', () => {
  let session: ChdbSession;
  let standIn: ClickHouseStandIn;
  let backend: ClickHouseBackend;
  const rows = messyRows(7);
  const same = { diagnostics: false }; // a server has no parse diagnostics to send

  before(async () => {
    session = newSession();
    await loadColumns(session, columnsOf(rows), 'ua_kit', 'events');
    standIn = new ClickHouseStandIn(
      session as ChdbSession & { connection: unknown },
      USER,
      PASSWORD,
    );
    await standIn.start();
    backend = clickhouseBackend({ url: standIn.url, env, timeoutMs: 2_000 });
  });
  after(async () => {
    await backend.close();
    await standIn.stop();
    session.close();
  });

  it('every range, app or none, DST days: the same Report as computeReport', async () => {
    for (const [range, end, timeZone] of MATRIX) {
      for (const app of [undefined, 'a', '7']) {
        const options: ReportOptions = { range, end, timeZone, app };
        assertSameReport(await backend.report(options), rows, options, '', same);
      }
    }
  });

  it('the app list is the distinct app ids', async () => {
    assert.deepEqual(await backend.apps(), ['7', 'a', 'b']);
  });

  it('values travel as query parameters, never in the SQL text', async () => {
    const app = "a'); DROP TABLE ua_kit.events; --";
    const options: ReportOptions = { range: 7, end: '2026-10-26', timeZone: 'Europe/Berlin', app };
    standIn.received.length = 0;
    assertSameReport(await backend.report(options), rows, options, '', same);
    const [query] = standIn.received;
    assert.ok(!query.sql.includes('DROP TABLE'), 'the app is not in the text');
    assert.equal(query.params.app, "a\\'); DROP TABLE ua_kit.events; --");
    assert.equal(query.params.table, 'events');
  });

  it('credentials in the URL work too; a wrong password is an error that does not show it', async () => {
    const inUrl = clickhouseBackend({
      url: standIn.url.replace('//', `//${USER}:${encodeURIComponent(PASSWORD)}@`),
      env: {},
    });
    const wrong = clickhouseBackend({
      url: standIn.url,
      env: { ...env, CLICKHOUSE_PASSWORD: 'nope' },
    });
    try {
      const options: ReportOptions = { range: 1, end: '2026-03-08', timeZone: 'America/New_York' };
      assertSameReport(await inUrl.report(options), rows, options, '', same);
      const err = await wrong.report(options).then(
        () => assert.fail('expected an authentication error'),
        (e: unknown) => e as Error,
      );
      assert.match(err.message, /Authentication failed/);
      assert.ok(!(err instanceof BackendUnavailableError) && !(err instanceof BackendTimeoutError));
      assert.ok(!err.message.includes('nope'));
    } finally {
      await inUrl.close();
      await wrong.close();
    }
  });

  it('a stopped ClickHouse is a 503 with a readable message; back again, the next report works', async () => {
    const options: ReportOptions = { range: 30, end: '2026-11-20', timeZone: 'America/New_York' };
    await standIn.stop();
    const down = await backend.report(options).then(
      () => assert.fail('expected the backend to be down'),
      (e: unknown) => e as Error,
    );
    assert.ok(down instanceof BackendUnavailableError, String(down));
    assert.equal(down.status, 503);
    assert.match(down.message, /^ClickHouse at http:\/\/127\.0\.0\.1:\d+ is unreachable$/);
    await standIn.start();
    assertSameReport(await backend.report(options), rows, options, '', same);
  });

  it('a ClickHouse slower than the timeout is a 504; at its usual speed, the next report works', async () => {
    const options: ReportOptions = {
      range: 7,
      end: '2026-03-09',
      timeZone: 'America/New_York',
      app: 'a',
    };
    standIn.delayMs = 2_500;
    try {
      const slow = await backend.report(options).then(
        () => assert.fail('expected a timeout'),
        (e: unknown) => e as Error,
      );
      assert.ok(slow instanceof BackendTimeoutError, String(slow));
      assert.equal(slow.status, 504);
    } finally {
      standIn.delayMs = 0;
    }
    assertSameReport(await backend.report(options), rows, options, '', same);
  });
});
