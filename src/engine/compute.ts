import { growthOf } from './growth.js';
import { parseEvents } from './parse.js';
import {
  checkTimeZone,
  defaultEnd,
  defaultTimeZone,
  formatCivil,
  parseCivil,
  planPeriods,
  type PeriodPlan,
} from './periods.js';
import {
  KIND_HIDE,
  KIND_OPEN,
  METRIC_KEYS,
  type EventColumns,
  type Metrics,
  type Range,
  type Report,
  type ReportOptions,
  type SeriesPoint,
} from './types.js';

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
  if (typeof mergeGapMs !== 'number' || !(mergeGapMs >= 0) || !Number.isFinite(mergeGapMs)) {
    throw new RangeError(`mergeGapMs: expected a non-negative number, got ${String(mergeGapMs)}`);
  }
  if (app !== undefined && app !== null && typeof app !== 'string') {
    throw new RangeError(`app: expected a string, got ${typeof app}`);
  }
  if (firstSeen !== undefined && firstSeen !== null && typeof firstSeen !== 'object') {
    throw new RangeError('firstSeen: expected an object of user → epoch ms');
  }
  return {
    range,
    end,
    timeZone,
    app: app === undefined || app === null || app === '' ? null : app,
    mergeGapMs,
    firstSeen: firstSeen ?? null,
  };
}

/** Computes the User Analysis Report of SPEC §5 from raw events. */
export function computeReport(events: Iterable<unknown>, options: ReportOptions): Report {
  resolveOptions(options); // bad options throw before any row is read
  return computeFromColumns(parseEvents(events), options);
}

/**
 * Per-bucket accumulators over the comparison window's buckets followed by the period's:
 * one contiguous timeline, so that one lookup places any event.
 */
class Accumulators {
  readonly n: number;
  readonly newUsers: Float64Array;
  readonly active: Float64Array;
  readonly opens: Float64Array;
  readonly pages: Float64Array;
  readonly stayMs: Float64Array;
  /** The last user counted active in each bucket (users are scanned one after another). */
  readonly lastActive: Int32Array;

  constructor(n: number) {
    this.n = n;
    this.newUsers = new Float64Array(n);
    this.active = new Float64Array(n);
    this.opens = new Float64Array(n);
    this.pages = new Float64Array(n);
    this.stayMs = new Float64Array(n);
    this.lastActive = new Int32Array(n).fill(-1);
  }
}

/** Finds the bucket of an instant in O(1) for even buckets, with a short walk for DST days. */
class Timeline {
  readonly starts: Float64Array;
  readonly first: number;
  readonly last: number;
  private readonly step: number;

  constructor(starts: number[], end: number, step: number) {
    this.starts = Float64Array.from([...starts, end]);
    this.first = starts[0];
    this.last = end;
    this.step = step;
  }

  /** Index of the bucket holding `t`, or -1 outside [first, last). */
  indexOf(t: number): number {
    if (t < this.first || t >= this.last) return -1;
    const s = this.starts;
    let i = Math.floor((t - this.first) / this.step);
    const max = s.length - 2;
    if (i > max) i = max;
    while (t < s[i]) i--;
    while (t >= s[i + 1]) i++;
    return i;
  }
}

/**
 * Orders the events of interest by user (counting sort), then each user's events by
 * (stream, time, kind) where a stream is one app's events of that user. Returns the order and
 * the offset of each user's run.
 */
function orderByUser(
  cols: EventColumns,
  include: (i: number) => boolean,
): { order: Int32Array; offsets: Int32Array; count: number } {
  const nUsers = cols.users.length;
  const offsets = new Int32Array(nUsers + 1);
  const { user } = cols;
  let count = 0;
  for (let i = 0; i < cols.length; i++) {
    if (include(i)) {
      offsets[user[i] + 1]++;
      count++;
    }
  }
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u];
  const order = new Int32Array(count);
  const cursor = offsets.slice(0, nUsers);
  for (let i = 0; i < cols.length; i++) {
    if (include(i)) order[cursor[user[i]]++] = i;
  }
  return { order, offsets, count };
}

/** Sorts order[from..to) by (stream, time, kind) when it is not already in that order. */
function sortRun(order: Int32Array, from: number, to: number, cols: EventColumns, byApp: boolean) {
  const { time, kind, app } = cols;
  const before = (a: number, b: number): boolean => {
    if (byApp && app[a] !== app[b]) return app[a] < app[b];
    return time[a] < time[b] || (time[a] === time[b] && kind[a] < kind[b]);
  };
  let sorted = true;
  for (let k = from + 1; k < to; k++) {
    if (before(order[k], order[k - 1])) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from <= 48) {
    for (let k = from + 1; k < to; k++) {
      const v = order[k];
      let j = k - 1;
      while (j >= from && before(v, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
    return;
  }
  order
    .subarray(from, to)
    .sort((a, b) =>
      byApp && app[a] !== app[b] ? app[a] - app[b] : time[a] - time[b] || kind[a] - kind[b],
    );
}

/** Which events a report looks at: all, or one app's plus the app-less ones. */
function appFilter(cols: EventColumns, app: string | null): (i: number) => boolean {
  if (app === null) return () => true;
  const target = cols.apps.indexOf(app) + 1;
  const appCol = cols.app;
  return target === 0 ? (i) => appCol[i] === 0 : (i) => appCol[i] === 0 || appCol[i] === target;
}

/**
 * Computes a Report from parsed columns. Columns are not modified, so one parse serves any
 * number of reports (other ranges, days or apps).
 */
export function computeFromColumns(cols: EventColumns, options: ReportOptions): Report {
  const opts = resolveOptions(options);
  const plan = planPeriods(opts.range, parseCivil(opts.end), opts.timeZone);
  const timeline = new Timeline(
    [...plan.previousBuckets, ...plan.buckets],
    plan.period.end,
    plan.granularity === 'hour' ? 3_600_000 : 86_400_000,
  );
  const acc = new Accumulators(plan.previousBuckets.length + plan.buckets.length);
  const split = plan.previousBuckets.length;
  // Without an app filter, each app's events of a user are sessionized apart. With one app
  // (or none) in the data there is one stream per user either way.
  const byApp = opts.app === null && cols.apps.length > 1;
  const { order, offsets } = orderByUser(cols, appFilter(cols, opts.app));
  const windowActive = { previous: 0, period: 0 };
  for (let u = 0; u < cols.users.length; u++) {
    const from = offsets[u];
    const to = offsets[u + 1];
    if (from === to) continue;
    sortRun(order, from, to, cols, byApp);
    scanUser(u, from, to, order, cols, opts, timeline, acc, split, windowActive, byApp);
  }
  return buildReport(opts, plan, acc, windowActive, cols);
}

/**
 * One user's events in (stream, time, kind) order: activity, first sighting, page visits,
 * and the opens with their stay, each added to its bucket.
 */
function scanUser(
  u: number,
  from: number,
  to: number,
  order: Int32Array,
  cols: EventColumns,
  opts: ResolvedOptions,
  timeline: Timeline,
  acc: Accumulators,
  split: number,
  windowActive: { previous: number; period: number },
  byApp: boolean,
): void {
  const { time, kind, app } = cols;
  const gap = opts.mergeGapMs;
  let firstEver = Infinity;
  let activePrevious = false;
  let activePeriod = false;

  // Sessionization state of the current stream.
  let stream = -1;
  let inSegment = false;
  let segmentStart = 0;
  let segmentLast = 0;
  let lastSegmentEnd = -Infinity;
  let openBucket = -2; // -2: no open yet in this stream; -1: open outside the timeline
  let openStay = 0;

  const finishOpen = () => {
    if (openBucket >= 0) {
      acc.opens[openBucket]++;
      acc.stayMs[openBucket] += openStay;
    }
  };
  const startSegment = (t: number) => {
    if (openBucket === -2 || t - lastSegmentEnd >= gap) {
      finishOpen();
      openBucket = timeline.indexOf(t);
      openStay = 0;
    }
    inSegment = true;
    segmentStart = t;
    segmentLast = t;
  };
  const closeSegment = (end: number) => {
    openStay += end - segmentStart;
    lastSegmentEnd = end;
    inSegment = false;
  };

  for (let k = from; k < to; k++) {
    const i = order[k];
    const t = time[i];
    const kd = kind[i];
    const streamOfEvent = byApp ? app[i] : 0;
    if (streamOfEvent !== stream) {
      if (stream !== -1) {
        if (inSegment) closeSegment(segmentLast);
        finishOpen();
      }
      stream = streamOfEvent;
      inSegment = false;
      lastSegmentEnd = -Infinity;
      openBucket = -2;
      openStay = 0;
    }
    if (kd === KIND_HIDE) {
      if (inSegment) closeSegment(t);
      continue;
    }
    // An open or a page: the user is active, maybe seen for the first time.
    if (t < firstEver) firstEver = t;
    const b = timeline.indexOf(t);
    if (b >= 0) {
      if (acc.lastActive[b] !== u) {
        acc.lastActive[b] = u;
        acc.active[b]++;
      }
      if (b < split) activePrevious = true;
      else activePeriod = true;
    }
    if (kd === KIND_OPEN) {
      if (inSegment) closeSegment(segmentLast);
      startSegment(t);
    } else {
      if (b >= 0) acc.pages[b]++;
      if (inSegment) segmentLast = t;
      else startSegment(t);
    }
  }
  if (inSegment) closeSegment(segmentLast);
  finishOpen();

  if (
    opts.firstSeen !== null &&
    Object.prototype.hasOwnProperty.call(opts.firstSeen, cols.users[u])
  ) {
    const seen = opts.firstSeen[cols.users[u]];
    if (typeof seen === 'number' && seen < firstEver) firstEver = seen;
  }
  const nb = timeline.indexOf(firstEver);
  if (nb >= 0) acc.newUsers[nb]++;
  if (activePrevious) windowActive.previous++;
  if (activePeriod) windowActive.period++;
}

/** The seven metrics from sums over a window (stay in ms). */
export function metricsFrom(
  newUsers: number,
  activeUsers: number,
  opens: number,
  pageVisits: number,
  stayMs: number,
): Metrics {
  const staySeconds = stayMs / 1000;
  return {
    newUsers,
    activeUsers,
    opens,
    pageVisits,
    avgDurationPerOpen: opens === 0 ? 0 : staySeconds / opens,
    avgDurationPerUser: activeUsers === 0 ? 0 : staySeconds / activeUsers,
    avgOpensPerUser: activeUsers === 0 ? 0 : opens / activeUsers,
  };
}

function seriesOf(acc: Accumulators, starts: number[], offset: number): SeriesPoint[] {
  return starts.map((start, j) => {
    const b = offset + j;
    return {
      start,
      ...metricsFrom(acc.newUsers[b], acc.active[b], acc.opens[b], acc.pages[b], acc.stayMs[b]),
    };
  });
}

function totalsOf(acc: Accumulators, from: number, to: number, activeUsers: number): Metrics {
  let newUsers = 0;
  let opens = 0;
  let pages = 0;
  let stay = 0;
  for (let b = from; b < to; b++) {
    newUsers += acc.newUsers[b];
    opens += acc.opens[b];
    pages += acc.pages[b];
    stay += acc.stayMs[b];
  }
  return metricsFrom(newUsers, activeUsers, opens, pages, stay);
}

function buildReport(
  opts: ResolvedOptions,
  plan: PeriodPlan,
  acc: Accumulators,
  windowActive: { previous: number; period: number },
  cols: EventColumns,
): Report {
  const split = plan.previousBuckets.length;
  const totals = totalsOf(acc, split, acc.n, windowActive.period);
  const previousTotals = totalsOf(acc, 0, split, windowActive.previous);
  const growth = {} as Metrics;
  for (const key of METRIC_KEYS) growth[key] = growthOf(totals[key], previousTotals[key]);
  return {
    app: opts.app,
    range: opts.range,
    end: opts.end,
    timeZone: opts.timeZone,
    granularity: plan.granularity,
    period: plan.period,
    previous: plan.previous,
    totals,
    previousTotals,
    growth,
    series: seriesOf(acc, plan.buckets, split),
    previousSeries: seriesOf(acc, plan.previousBuckets, 0),
    diagnostics: {
      accepted: cols.diagnostics.accepted,
      rejected: cols.diagnostics.rejected,
      reasons: { ...cols.diagnostics.reasons },
    },
  };
}
