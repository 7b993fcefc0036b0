/**
 * Report options: validation and defaults, apart from compute.ts so that the page can check
 * options without the engine (which the page loads only when no Web Worker can run it).
 */
import { checkTimeZone, defaultEnd, defaultTimeZone, formatCivil, parseCivil } from './periods.js';
import type { Range, ReportOptions } from './types.js';

/** Options after validation and defaults. */
export interface ResolvedOptions {
  range: Range;
  end: string;
  timeZone: string;
  app: string | null;
  mergeGapMs: number;
  firstSeen: Record<string, number> | null;
}

/** Validates options (RangeError naming the bad one) and fills the defaults. */
export function resolveOptions(options: ReportOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new RangeError('options: expected an object with a range');
  }
  const { range, app, mergeGapMs = 30_000, firstSeen, now = Date.now() } = options;
  if (range !== 1 && range !== 7 && range !== 30) {
    throw new RangeError(`range: expected 1, 7 or 30, got ${String(range)}`);
  }
  const timeZone = checkTimeZone(options.timeZone ?? defaultTimeZone());
  // ±8.64e15 ms is the range of a Date; beyond it Intl throws a RangeError naming nothing.
  if (typeof now !== 'number' || !(Math.abs(now) <= 8.64e15)) {
    throw new RangeError(`now: expected epoch milliseconds, got ${String(now)}`);
  }
  const end =
    options.end === undefined ? defaultEnd(now, timeZone) : formatCivil(parseCivil(options.end));
  if (!(mergeGapMs >= 0) || !Number.isFinite(mergeGapMs)) {
    throw new RangeError(`mergeGapMs: expected a non-negative number, got ${String(mergeGapMs)}`);
  }
  if (app !== undefined && app !== null && typeof app !== 'string') {
    throw new RangeError(`app: expected a string, got ${typeof app}`);
  }
  if (firstSeen !== undefined && typeof firstSeen !== 'object') {
    throw new RangeError('firstSeen: expected an object of user → epoch ms');
  }
  return {
    range,
    end,
    timeZone,
    app: app || null, // '' is no filter too
    mergeGapMs,
    firstSeen: firstSeen ?? null,
  };
}
