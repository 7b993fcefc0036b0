/**
 * Shared by the ClickHouse suite: one chDB session per file, tables loaded from rows through
 * the engine's parser (as the chDB engine loads a file), and the comparison with computeReport.
 */
import assert from 'node:assert/strict';
import { computeReport } from '../../../src/engine/compute.js';
import { EventParser } from '../../../src/engine/parse.js';
import type { EventColumns, Report, ReportOptions } from '../../../src/engine/types.js';
import { loadChdb, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import fc from 'fast-check';
import {
  materialize,
  reportDifferences,
  scenarioArb,
  shuffled,
  withoutDiagnostics,
} from '../../engine/arbitraries.js';

/** A fresh chDB session in a temporary folder (chdb installed by scripts/install-chdb.sh). */
export function newSession(): ChdbSession {
  const { Session } = loadChdb();
  return new Session();
}

/** Rows judged by the engine's parser. */
export function columnsOf(rows: readonly unknown[]): EventColumns {
  const parser = new EventParser();
  parser.addRange(rows);
  return parser.finish();
}

/** Asserts `actual` equals computeReport(rows, options): counts exactly, averages 1e-9. */
export function assertSameReport(
  actual: Report,
  rows: readonly unknown[],
  options: ReportOptions,
  label = '',
  { diagnostics = true } = {},
): void {
  const computed = computeReport(rows, options);
  const expected = diagnostics ? computed : withoutDiagnostics(computed);
  const diffs = reportDifferences(actual, expected);
  assert.deepEqual(diffs.slice(0, 10), [], `${label} ${JSON.stringify(options).slice(0, 300)}`);
}

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
  // −0:44:30 → 0:00 on 1972-01-07: edges 30 s apart from a whole day (a lookup by count)
  [30, '1972-01-20', 'Africa/Monrovia'],
  [1, '1972-01-07', 'Africa/Monrovia'],
];

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
