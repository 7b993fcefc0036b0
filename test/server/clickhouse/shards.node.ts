/**
 * The sharded path is exact: the events split by the Distributed table's shard key
 * (cityHash64(user) % 3, computed by ClickHouse itself) into three shards' tables, the report
 * query run shard-local on each, the partials merged as the server merges them, equal to
 * computeReport over all the events. (chDB allows one data folder per process: the three
 * shards are three databases of one session, each with the DDL's table.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReportOptions } from '../../../src/engine/types.js';
import { clickhouseDDL, SHARD_KEY } from '../../../src/server/clickhouse/ddl.js';
import { resolveOptions } from '../../../src/engine/compute.js';
import { parseCivil, planPeriods } from '../../../src/engine/periods.js';
import {
  clickhouseReport,
  reportQuery,
  type RunQuery,
} from '../../../src/server/clickhouse/report.js';
import { reportSql } from '../../../src/server/clickhouse/sql.js';
import { chdbRunner, loadColumns, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { MATRIX, assertSameReport, columnsOf, messyRows, newSession } from './helpers.js';

const SHARDS = 3;

describe('three shards by user hash, partials merged: the same Report', () => {
  let session: ChdbSession;
  const rows = messyRows(41);
  const cols = columnsOf(rows);
  const shardRuns: RunQuery[] = [];
  const sizes: number[] = [];

  before(async () => {
    session = newSession();
    const run = chdbRunner(session);
    const [{ shards }] = await run(
      `SELECT arrayMap(user -> ${SHARD_KEY} % ${SHARDS}, {users:Array(String)}) AS shards`,
      { users: cols.users },
    );
    const shardOfUser = (shards as (string | number)[]).map(Number);
    for (let k = 0; k < SHARDS; k++) {
      const mine: number[] = [];
      for (let i = 0; i < cols.length; i++) if (shardOfUser[cols.user[i]] === k) mine.push(i);
      sizes.push(mine.length);
      await loadColumns(session, cols, `shard${k}`, 'events', mine);
      // The same query text and parameters reach every shard; only its data differs.
      shardRuns.push((sql, params) => run(sql, { ...params, database: `shard${k}` }));
    }
  });
  after(() => session.close());

  it('every shard holds part of the events, none holds them all', () => {
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      cols.length,
    );
    for (const size of sizes) assert.ok(size > 0 && size < cols.length, `shard sizes ${sizes}`);
  });

  for (const [range, end, timeZone] of MATRIX) {
    it(`range ${range}, ${end}, ${timeZone}: merged partials equal computeReport`, async () => {
      for (const app of [undefined, 'a', 'b', '7']) {
        const options: ReportOptions = { range, end, timeZone, app };
        const target = { database: 'shard0', table: 'events' };
        const report = await clickhouseReport(shardRuns, options, target, {
          diagnostics: cols.diagnostics,
        });
        assertSameReport(report, rows, options, `app ${String(app)}`);
      }
    });
  }

  it('a single shard alone is not the whole answer (the merge matters)', async () => {
    const options: ReportOptions = { range: 30, end: '2026-11-20', timeZone: 'America/New_York' };
    const target = { database: 'shard0', table: 'events' };
    const one = await clickhouseReport(shardRuns[0], options, target);
    const all = await clickhouseReport(shardRuns, options, target);
    assert.ok(one.totals.activeUsers < all.totals.activeUsers);
  });

  it('the cluster form runs the same shard-local query inside cluster(…, view(…)), parameters bound before it leaves', async () => {
    const opts = resolveOptions({
      range: 7,
      end: '2026-10-26',
      timeZone: 'Europe/Berlin',
      app: "x'y",
    });
    const plan = planPeriods(opts.range, parseCivil(opts.end), opts.timeZone);
    const target = { database: 'ua_kit', table: 'events', cluster: 'ua' };
    const { sql, params } = reportQuery(opts, plan, ['a', 'b'], target);
    assert.ok(sql.includes(reportSql()), 'the shard-local query is inside, unchanged');
    assert.equal(params.table, 'events_local');
    const explained = await chdbRunner(session)(`EXPLAIN SYNTAX ${sql}`, params);
    const text = explained.map((row) => Object.values(row).join('')).join('\n');
    assert.match(text, /cluster\('ua', view\(/);
    assert.doesNotMatch(text, /\{[a-zA-Z]+:[A-Za-z(]/, 'no parameter left for the shards to bind');
    assert.match(
      clickhouseDDL({ cluster: 'ua' }),
      /Distributed\(ua, ua_kit, events_local, cityHash64\(user\)\)/,
    );
  });
});
