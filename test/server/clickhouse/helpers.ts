/**
 * Shared by the ClickHouse suite: one chDB session per file, tables loaded from rows through
 * the engine's parser (as the chDB engine loads a file), and the comparison with computeReport.
 */
import assert from 'node:assert/strict';
import { computeReport } from '../../../src/engine/compute.js';
import { EventParser } from '../../../src/engine/parse.js';
import type { EventColumns, Report, ReportOptions } from '../../../src/engine/types.js';
import { loadChdb, type ChdbSession } from '../../../src/server/clickhouse/chdb.js';
import { reportDifferences } from '../../engine/arbitraries.js';

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
): void {
  const expected = computeReport(rows, options);
  const diffs = reportDifferences(actual, expected);
  assert.deepEqual(diffs.slice(0, 10), [], `${label} ${JSON.stringify(options).slice(0, 300)}`);
}
