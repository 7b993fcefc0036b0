import { daysInMonth } from './parse.js';
import type { Granularity, Range, TimeWindow } from './types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A civil (local) date. */
export interface CivilDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter giving the numeric local date and time of an instant in `timeZone`. */
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming `timeZone` unless it is a time zone the runtime knows. */
export function checkTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone === '') {
    throw new RangeError(`timeZone: expected an IANA time zone name, got ${String(timeZone)}`);
  }
  try {
    partsFormatter(timeZone);
  } catch {
    throw new RangeError(`timeZone: unknown time zone '${timeZone}'`);
  }
  return timeZone;
}

/** The runtime's own time zone. */
export function defaultTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

interface LocalParts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/** Local date and time of epoch ms `t` in `timeZone`. */
export function localParts(t: number, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(t)) p[part.type] = part.value;
  let y = +p.year;
  if (p.era === 'BC' || p.era === 'B') y = 1 - y;
  return { y, m: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
}

/** Offset of local time from UTC at instant `t`, in ms (local − UTC), second precision. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
  const whole = t - (((t % 1000) + 1000) % 1000);
  return asUtc - whole;
}

function compareCivil(a: CivilDate, b: CivilDate): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/**
 * The first instant of local day `date` in `timeZone`: usually local midnight; on a day whose
 * midnight is skipped by a clock change, the first instant that has that date.
 */
export function startOfLocalDay(date: CivilDate, timeZone: string): number {
  const guess = Date.UTC(date.y, date.m - 1, date.d);
  let t = guess - offsetAt(guess, timeZone);
  t = guess - offsetAt(t, timeZone);
  if (isDayStart(t, date, timeZone)) return t;
  // The clock changed around midnight: search the first instant whose local date is `date`.
  // lo and hi stay whole seconds, so while they are 2 s or more apart, mid lies between them.
  let lo = guess - 36 * HOUR_MS; // certainly the day before
  let hi = guess + 36 * HOUR_MS; // certainly that date or later
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (compareCivil(localParts(mid, timeZone), date) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isDayStart(t: number, date: CivilDate, timeZone: string): boolean {
  const here = localParts(t, timeZone);
  if (compareCivil(here, date) !== 0 || here.h !== 0 || here.mi !== 0 || here.s !== 0) return false;
  return compareCivil(localParts(t - 1000, timeZone), date) < 0;
}

/** The local date of instant `t` in `timeZone`. */
export function localDate(t: number, timeZone: string): CivilDate {
  const p = localParts(t, timeZone);
  return { y: p.y, m: p.m, d: p.d };
}

/** `date` moved by `days` calendar days. */
export function addDays(date: CivilDate, days: number): CivilDate {
  const t = new Date(0);
  t.setUTCFullYear(date.y, date.m - 1, date.d + days);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 'YYYY-MM-DD'. */
export function formatCivil(date: CivilDate): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(date.y, 4)}-${pad(date.m, 2)}-${pad(date.d, 2)}`;
}

/** Parses 'YYYY-MM-DD' strictly; throws a RangeError naming `end` otherwise. */
export function parseCivil(s: unknown, option = 'end'): CivilDate {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (m !== null) {
    const date = { y: +m[1], m: +m[2], d: +m[3] };
    if (date.m >= 1 && date.m <= 12 && date.d >= 1 && date.d <= daysInMonth(date.y, date.m)) {
      return date;
    }
  }
  throw new RangeError(`${option}: expected a date 'YYYY-MM-DD', got '${String(s)}'`);
}

/** The T+1 default end: yesterday, local to `timeZone`, at clock `now`. */
export function defaultEnd(now: number, timeZone: string): string {
  return formatCivil(addDays(localDate(now, timeZone), -1));
}

export interface PeriodPlan {
  granularity: Granularity;
  period: TimeWindow;
  previous: TimeWindow;
  /** Bucket starts of the period, ascending. */
  buckets: number[];
  /** Bucket starts of the comparison window, ascending. */
  previousBuckets: number[];
}

/** Starts of the local days from `first` for `count` days, plus the start of the day after. */
function dayStarts(first: CivilDate, count: number, timeZone: string): number[] {
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) starts.push(startOfLocalDay(addDays(first, i), timeZone));
  return starts;
}

/**
 * Hour buckets of [start, end): every local hour, so 23 or 25 on a clock-change day. A bucket
 * starts wherever the local clock shows a whole hour; after a clock change by part of an hour
 * (Lord Howe's 30 min) that is not one real hour after the previous start.
 */
function hourStarts(start: number, end: number, timeZone: string): number[] {
  const starts: number[] = [];
  let offset = offsetAt(start, timeZone);
  for (let t = start; t < end;) {
    starts.push(t);
    t += HOUR_MS;
    const next = offsetAt(t, timeZone);
    if (next !== offset) {
      const past = (((t + next) % HOUR_MS) + HOUR_MS) % HOUR_MS; // ms past a whole local hour
      if (past !== 0) t += HOUR_MS - past;
      offset = offsetAt(t, timeZone);
    }
  }
  return starts;
}

/** The period, its comparison window and their buckets for `range` days ending with `end`. */
export function planPeriods(range: Range, end: CivilDate, timeZone: string): PeriodPlan {
  const first = addDays(end, -(2 * range - 1));
  const days = dayStarts(first, 2 * range, timeZone);
  const previous = { start: days[0], end: days[range] };
  const period = { start: days[range], end: days[2 * range] };
  if (range === 1) {
    return {
      granularity: 'hour',
      period,
      previous,
      buckets: hourStarts(period.start, period.end, timeZone),
      previousBuckets: hourStarts(previous.start, previous.end, timeZone),
    };
  }
  return {
    granularity: 'day',
    period,
    previous,
    buckets: days.slice(range, 2 * range),
    previousBuckets: days.slice(0, range),
  };
}

export { DAY_MS, HOUR_MS };
