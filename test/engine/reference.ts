/**
 * A deliberately simple, independent reference implementation of SPEC §1–§5, used to check
 * the engine. It shares no code with src/engine (only its types): rows are classified here,
 * each (user, stream) list is sorted with a comparator, opens are built as plain objects in
 * two passes (segments, then merging), day starts and hour buckets are found by stepping
 * through time and asking Intl for the local clock, and every window and bucket is a plain
 * scan over all events with Maps and Sets. Slow on purpose; obviously right is the goal.
 *
 * Semantics chosen where the SPEC is silent (the engine implements the same):
 * - times are whole milliseconds (numbers floored, ISO fractions truncated);
 * - rows are checked in the order object, type, user, time, app;
 * - without the `app` option each (user, app-or-none) is its own sessionization stream (SPEC
 *   §2: app-less events one more stream, also beside a single app); with it, one per user;
 * - newUsers counts users present in the (filtered) events whose first open/page, or
 *   firstSeen if earlier, falls in the window.
 */
import type { Metrics, Report, ReportOptions, SeriesPoint } from '../../src/engine/types.js';

type Kind = 'open' | 'page' | 'hide';

/** One accepted row. */
export interface RefEvent {
  user: string;
  time: number;
  type: Kind;
  app: string | null;
}

export type RefRow = { ok: true; event: RefEvent } | { ok: false; reason: string };

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const HOUR = 60 * MINUTE;

// ---------------------------------------------------------------------------------------
// Rows

/**
 * ISO-8601 date-time with an offset, to epoch ms (truncated), or null. Written without a
 * days-in-month table: the fields are checked by building the date and reading it back.
 */
export function refParseIso(s: string): number | null {
  const m =
    /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(:(\d\d)([.,](\d+))?)?([Zz]|[+-]\d\d:?\d\d)$/.exec(s);
  if (m === null) return null;
  const fraction = m[9];
  if (fraction !== undefined && fraction.length > 9) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const sec = m[7] === undefined ? 0 : Number(m[7]);
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  if (h > 23 || mi > 59 || sec > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return null; // month 13, 30 February and the like roll over
  }
  let offset = 0;
  const zone = m[10];
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * MINUTE;
  }
  return date.getTime() + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
}

/** Classifies one row: accepted with its normalized fields, or the reason it is rejected. */
export function refClassify(row: unknown): RefRow {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    return { ok: false, reason: 'not-object' };
  }
  const r = row as { type?: unknown; user?: unknown; time?: unknown; app?: unknown };
  const type = r.type;
  if (type !== 'open' && type !== 'page' && type !== 'hide')
    return { ok: false, reason: 'bad-type' };
  let user: string;
  if (typeof r.user === 'string' && r.user.length > 0) user = r.user;
  else if (typeof r.user === 'number' && isFinite(r.user)) user = `${r.user}`;
  else return { ok: false, reason: 'bad-user' };
  let time: number | null = null;
  if (typeof r.time === 'number' && isFinite(r.time)) time = Math.floor(r.time);
  else if (typeof r.time === 'string') time = refParseIso(r.time);
  if (time === null) return { ok: false, reason: 'bad-time' };
  let app: string | null;
  if (r.app === undefined || r.app === null || r.app === '') app = null;
  else if (typeof r.app === 'string') app = r.app;
  else if (typeof r.app === 'number' && isFinite(r.app)) app = `${r.app}`;
  else return { ok: false, reason: 'bad-app' };
  return { ok: true, event: { user, time, type, app } };
}

// ---------------------------------------------------------------------------------------
// Calendar

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The local wall clock of instant `t` in `timeZone`: 'YYYY-MM-DD' and the minute. */
export function refWallClock(t: number, timeZone: string): { date: string; minute: number } {
  let f = clocks.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.minute) };
}

/** 'YYYY-MM-DD' moved by `days`. */
export function refShiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d + days);
  return t.toISOString().slice(0, 10);
}

const dayStartCache = new Map<string, number>();

/**
 * The start of local day `date`: the instant right after the last instant whose local date
 * is earlier. Found by stepping an hour at a time over a 32-hour range that holds every
 * zone's midnight, then halving the hour down to the millisecond.
 */
export function refDayStart(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  const cached = dayStartCache.get(key);
  if (cached !== undefined) return cached;
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let lastBefore = NaN;
  for (let t = utcMidnight - 16 * HOUR; t <= utcMidnight + 16 * HOUR; t += HOUR) {
    if (refWallClock(t, timeZone).date < date) lastBefore = t;
  }
  let lo = lastBefore; // local date < `date`
  let hi = lastBefore + HOUR; // local date ≥ `date`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (refWallClock(mid, timeZone).date < date) lo = mid;
    else hi = mid;
  }
  dayStartCache.set(key, hi);
  return hi;
}

/** Hour buckets of [from, to): a new one wherever the local clock shows a whole hour. */
export function refHourStarts(from: number, to: number, timeZone: string): number[] {
  const starts = [from];
  for (let t = from + QUARTER; t < to; t += QUARTER) {
    if (refWallClock(t, timeZone).minute === 0) starts.push(t);
  }
  return starts;
}

export interface RefPlan {
  period: { start: number; end: number };
  previous: { start: number; end: number };
  buckets: number[];
  previousBuckets: number[];
}

const planCache = new Map<string, RefPlan>();

/** The period and comparison window of `range` days ending with local day `end`. */
export function refPlan(range: 1 | 7 | 30, end: string, timeZone: string): RefPlan {
  const key = `${range}|${end}|${timeZone}`;
  let plan = planCache.get(key);
  if (plan === undefined) {
    plan = planOnce(range, end, timeZone);
    planCache.set(key, plan);
  }
  return {
    period: { ...plan.period },
    previous: { ...plan.previous },
    buckets: [...plan.buckets],
    previousBuckets: [...plan.previousBuckets],
  };
}

function planOnce(range: 1 | 7 | 30, end: string, timeZone: string): RefPlan {
  const dayStart = (back: number) => refDayStart(refShiftDate(end, -back), timeZone);
  const period = { start: dayStart(range - 1), end: dayStart(-1) };
  const previous = { start: dayStart(2 * range - 1), end: period.start };
  if (range === 1) {
    return {
      period,
      previous,
      buckets: refHourStarts(period.start, period.end, timeZone),
      previousBuckets: refHourStarts(previous.start, previous.end, timeZone),
    };
  }
  const days = (first: number) => Array.from({ length: range }, (_, i) => dayStart(first - i));
  return { period, previous, buckets: days(range - 1), previousBuckets: days(2 * range - 1) };
}

// ---------------------------------------------------------------------------------------
// Opens

/** One open: where it starts and its foreground time in ms. */
export interface RefOpen {
  start: number;
  stay: number;
}

const KIND_ORDER: Record<Kind, number> = { hide: 0, open: 1, page: 2 };

/** Opens of one stream (one user's events of one app, or of the report's app). */
export function refOpens(events: RefEvent[], mergeGapMs: number): RefOpen[] {
  const sorted = [...events].sort(
    (a, b) => a.time - b.time || KIND_ORDER[a.type] - KIND_ORDER[b.type],
  );
  // Pass 1: foreground segments.
  const segments: { start: number; end: number }[] = [];
  let current: { start: number; last: number } | null = null;
  for (const e of sorted) {
    if (e.type === 'hide') {
      if (current !== null) segments.push({ start: current.start, end: e.time });
      current = null;
    } else if (e.type === 'open') {
      if (current !== null) segments.push({ start: current.start, end: current.last });
      current = { start: e.time, last: e.time };
    } else if (current === null) {
      current = { start: e.time, last: e.time }; // its open was lost
    } else {
      current.last = e.time;
    }
  }
  if (current !== null) segments.push({ start: current.start, end: current.last });
  // Pass 2: a segment starting less than mergeGapMs after the previous one's end continues
  // that open.
  const opens: RefOpen[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (i > 0 && s.start - segments[i - 1].end < mergeGapMs) {
      opens[opens.length - 1].stay += s.end - s.start;
    } else {
      opens.push({ start: s.start, stay: s.end - s.start });
    }
  }
  return opens;
}

// ---------------------------------------------------------------------------------------
// Report

const isIn = (t: number, from: number, to: number) => t >= from && t < to;

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** The seven metrics of [from, to). */
function metricsOf(
  from: number,
  to: number,
  events: RefEvent[],
  opens: RefOpen[],
  firstEver: Map<string, number>,
): Metrics {
  const active = new Set<string>();
  let pageVisits = 0;
  for (const e of events) {
    if (e.type !== 'hide' && isIn(e.time, from, to)) active.add(e.user);
    if (e.type === 'page' && isIn(e.time, from, to)) pageVisits++;
  }
  const inside = opens.filter((o) => isIn(o.start, from, to));
  const stayMs = inside.reduce((sum, o) => sum + o.stay, 0);
  let newUsers = 0;
  for (const t of firstEver.values()) if (isIn(t, from, to)) newUsers++;
  const seconds = stayMs / 1000;
  return {
    newUsers,
    activeUsers: active.size,
    opens: inside.length,
    pageVisits,
    avgDurationPerOpen: ratio(seconds, inside.length),
    avgDurationPerUser: ratio(seconds, active.size),
    avgOpensPerUser: ratio(inside.length, active.size),
  };
}

/** Growth as an integer percentage, SPEC §4. */
export function refGrowth(current: number, previous: number): number {
  const percent = ((current - previous) * 100) / (previous === 0 ? 1 : previous);
  const snapped = Number(percent.toFixed(9));
  const magnitude = Math.round(Math.abs(snapped)); // .5 goes up, i.e. away from zero
  return snapped < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

/** The Report of SPEC §5 (with `previousSeries` and `diagnostics`), computed the slow way. */
export function referenceReport(rows: Iterable<unknown>, options: ReportOptions): Report {
  const timeZone = options.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const end =
    options.end ?? refShiftDate(refWallClock(options.now ?? Date.now(), timeZone).date, -1);
  const app = options.app === undefined || options.app === '' ? null : options.app;
  const mergeGapMs = options.mergeGapMs ?? 30_000;

  const accepted: RefEvent[] = [];
  const reasons: Record<string, number> = {};
  let rejected = 0;
  for (const row of rows) {
    const c = refClassify(row);
    if (c.ok) accepted.push(c.event);
    else {
      rejected++;
      reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
    }
  }

  const events = accepted.filter((e) => app === null || e.app === null || e.app === app);
  const splitByApp = app === null;
  const streams = new Map<string, RefEvent[]>();
  for (const e of events) {
    const key = JSON.stringify(splitByApp ? [e.user, e.app] : [e.user]);
    const list = streams.get(key);
    if (list === undefined) streams.set(key, [e]);
    else list.push(e);
  }
  const opens = [...streams.values()].flatMap((list) => refOpens(list, mergeGapMs));

  const firstEver = new Map<string, number>();
  for (const e of events) {
    if (!firstEver.has(e.user)) firstEver.set(e.user, Infinity);
    if (e.type !== 'hide' && e.time < firstEver.get(e.user)!) firstEver.set(e.user, e.time);
  }
  const seen = new Map(Object.entries(options.firstSeen ?? {}));
  for (const [user, t] of firstEver) {
    const s = seen.get(user);
    if (typeof s === 'number' && s < t) firstEver.set(user, s);
  }

  const plan = refPlan(options.range, end, timeZone);
  const metrics = (from: number, to: number) => metricsOf(from, to, events, opens, firstEver);
  const seriesOf = (starts: number[], windowEnd: number): SeriesPoint[] =>
    starts.map((start, i) => ({ start, ...metrics(start, starts[i + 1] ?? windowEnd) }));
  const totals = metrics(plan.period.start, plan.period.end);
  const previousTotals = metrics(plan.previous.start, plan.previous.end);
  const growth = Object.fromEntries(
    Object.keys(totals).map((k) => [
      k,
      refGrowth(totals[k as keyof Metrics], previousTotals[k as keyof Metrics]),
    ]),
  ) as Metrics;

  return {
    app,
    range: options.range,
    end,
    timeZone,
    granularity: options.range === 1 ? 'hour' : 'day',
    period: plan.period,
    previous: plan.previous,
    totals,
    previousTotals,
    growth,
    series: seriesOf(plan.buckets, plan.period.end),
    previousSeries: seriesOf(plan.previousBuckets, plan.previous.end),
    diagnostics: { accepted: accepted.length, rejected, reasons },
  };
}
