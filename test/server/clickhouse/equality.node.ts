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
import { clickhouseReport } from '../../../src/server/clickhouse/report.js';
import { chdbRunner, loadColumns, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { materialize, scenarioArb, shuffled } from '../../engine/arbitraries.js';
import { assertSameReport, columnsOf, newSession } from './helpers.js';

/** Rows every set carries: each is rejected by the engine's parser, for each reason. */
export const BAD_ROWS: unknown[] = [
  null,
  5,
  'open',
  [],
  { user: 'alice', time: 1, type: 'close' },
  { user: '', time: 1, type: 'open' },
  { user: { id: 1 }, time: 1, type: 'open' },
  { user: 'alice', time: '2026-03-10', type: 'open' },
  { user: 'alice', time: '2026-03-10T10:00:00', type: 'open' },
  { user: 'alice', time: Number.NaN, type: 'page' },
  { user: 'alice', time: 1e12, type: 'page', app: { id: 'a' } },
];

/** Accepted rows far outside every window (clamped in ClickHouse; nothing they change shows). */
const FAR_ROWS = [
  { user: 'far', time: -1e300, type: 'open', app: 'a' },
  { user: 'far', time: 1e300, type: 'page', app: 'a' },
];

/** (range, end, zone): plain days, DST days of 23 and 25 hours, a 30-min change, a leap day. */
export const MATRIX: [1 | 7 | 30, string, string][] = [
  [1, '2026-03-08', 'America/New_York'], // 23 hours
  [1, '2026-11-01', 'America/New_York'], // 25 hours
  [1, '2026-10-25', 'Europe/Berlin'], // 25 hours
  [1, '2026-04-05', 'Australia/Lord_Howe'], // clock back 30 min
  [1, '2026-06-15', 'UTC'],
  [7, '2026-03-09', 'America/New_York'],
  [7, '2026-10-26', 'Europe/Berlin'],
  [7, '2024-02-29', 'Asia/Shanghai'],
  [30, '2026-03-30', 'Europe/Berlin'],
  [30, '2026-11-20', 'America/New_York'],
  [30, '2026-01-01', 'UTC'],
];
const APPS = [undefined, 'a', 'b', '7', 'none-such'];

/** One messy set of rows with sessions around every window of the matrix. */
export function messyRows(seed: number): unknown[] {
  const rows: unknown[] = [...BAD_ROWS, ...FAR_ROWS];
  MATRIX.forEach(([range, end, timeZone], i) => {
    for (const s of fc.sample(scenarioArb, { seed: seed + i, numRuns: 6 })) {
      rows.push(...materialize({ ...s, options: { range, end, timeZone } }).rows);
    }
  });
  return shuffled(rows, seed);
}

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
