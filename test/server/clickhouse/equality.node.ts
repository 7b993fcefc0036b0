/**
 * The ClickHouse SQL (sql.ts) run by chDB equals computeReport: seeded messy event sets
 * (unsorted, duplicates, lost opens and hides, stray hides, exact 30-s gaps, ties, ISO strings
 * with offsets, numeric ids, bad rows) for ranges 1/7/30 × no app and each app × time zones with
 * a 23-h and a 25-h day; a fast-check property over the engine's scenario arbitrary; and
 * injection attempts in the app parameter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ReportOptions } from '../../../src/engine/types.js';
import { parseCivil, planPeriods } from '../../../src/engine/periods.js';
import { bucketLookup, clickhouseReport } from '../../../src/server/clickhouse/report.js';
import { chdbRunner, loadColumns, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { materialize, scenarioArb } from '../../engine/arbitraries.js';
import { BAD_ROWS, MATRIX, assertSameReport, columnsOf, messyRows, newSession } from './helpers.js';

const APPS = [undefined, 'a', 'b', '7', 'none-such'];

const target = { database: 'ua_kit', table: 'events' };

describe('chDB runs the ClickHouse SQL to the same numbers as computeReport', () => {
  let session: ChdbSession;
  const rows = messyRows(14);
  const cols = columnsOf(rows);
  const extra = { diagnostics: cols.diagnostics };
  before(async () => {
    session = newSession();
    await loadColumns(session, cols, target.database, target.table);
  });
  after(() => session.close());

  for (const [range, end, timeZone] of MATRIX) {
    it(`range ${range}, ${end}, ${timeZone}, every app and none`, async () => {
      const run = chdbRunner(session);
      for (const app of APPS) {
        for (const mergeGapMs of [30_000, 0]) {
          const options: ReportOptions = { range, end, timeZone, app, mergeGapMs };
          assertSameReport(await clickhouseReport(run, options, target, extra), rows, options);
        }
      }
    });
  }

  it('first-seen: earlier sightings make a user not new, later ones change nothing', async () => {
    const run = chdbRunner(session);
    const options: ReportOptions = {
      range: 7,
      end: '2026-03-09',
      timeZone: 'America/New_York',
      firstSeen: {
        alice: Date.UTC(2026, 2, 5),
        '42': 0,
        bob: Date.UTC(2027, 0, 1),
        '7.5': Number.NaN,
      },
    };
    assertSameReport(await clickhouseReport(run, options, target, extra), rows, options);
  });

  it('bucket lookup: a table where the edges share a cell of useful size, else a count', () => {
    const lookupOf = (range: 1 | 7 | 30, end: string, timeZone: string) => {
      const plan = planPeriods(range, parseCivil(end), timeZone);
      return bucketLookup([...plan.previousBuckets, ...plan.buckets, plan.period.end]);
    };
    assert.equal(lookupOf(30, '2026-03-30', 'Europe/Berlin').params.cell, 3_600_000);
    assert.equal(lookupOf(7, '2026-04-05', 'Australia/Lord_Howe').params.cell, 1_800_000);
    assert.equal(lookupOf(7, '2026-06-15', 'UTC').params.cell, 86_400_000);
    assert.equal(lookupOf(1, '1972-01-07', 'Africa/Monrovia').params.cell, 30_000);
    assert.equal(lookupOf(30, '1972-01-20', 'Africa/Monrovia').lookup, 'count');
  });

  it('bad options throw the engine’s RangeError before any query', async () => {
    const run = () => Promise.reject(new Error('no query expected'));
    await assert.rejects(clickhouseReport(run, { range: 5 as 7 }, target), /range/);
    await assert.rejects(clickhouseReport(run, { range: 7, end: '2026-13-01' }, target), /end/);
    await assert.rejects(
      clickhouseReport(run, { range: 7, timeZone: 'Mars/Base' }, target),
      /timeZone/,
    );
  });

  it('app values are data, never SQL: injection attempts select only the app-less events', async () => {
    const run = chdbRunner(session);
    const before = await run('SELECT count() AS n FROM ua_kit.events', {});
    for (const app of [
      "a' OR '1'='1",
      "'; DROP TABLE ua_kit.events; --",
      "a\\' OR 1 --",
      '{app:String}',
      '`events`',
      "a') UNION ALL SELECT 1,2,3,4,5,6 --",
    ]) {
      const options: ReportOptions = {
        range: 7,
        end: '2026-10-26',
        timeZone: 'Europe/Berlin',
        app,
      };
      assertSameReport(await clickhouseReport(run, options, target, extra), rows, options, app);
    }
    assert.deepEqual(await run('SELECT count() AS n FROM ua_kit.events', {}), before);
  });
});

describe('property: any scenario of the engine’s arbitrary, the same Report', () => {
  let session: ChdbSession;
  before(() => {
    session = newSession();
  });
  after(() => session.close());

  it('80 seeded scenarios (options across zones, ranges, DST days and merge gaps)', async () => {
    const run = chdbRunner(session);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.boolean(), async (scenario, filtered) => {
        const { rows, options } = materialize(scenario);
        if (!filtered) delete options.app;
        const all = [...rows, ...BAD_ROWS.slice(0, cases % BAD_ROWS.length)];
        const cols = columnsOf(all);
        await loadColumns(session, cols, target.database, target.table);
        const report = await clickhouseReport(run, options, target, {
          diagnostics: cols.diagnostics,
        });
        assertSameReport(report, all, options);
        cases++;
      }),
      { seed: 14, numRuns: 80 },
    );
    console.log(`property: ${cases} cases (seed 14)`);
  });
});
