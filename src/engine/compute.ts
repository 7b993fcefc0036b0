import { growthOf } from './growth.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { parseEvents } from './parse.js';
import { withScratch, type Allocate } from './scratch.js';
import { keepShapeOf } from './shapes.js';
import { parseCivil, planPeriods, type PeriodPlan } from './periods.js';
import {
  KIND_HIDE,
  KIND_OPEN,
  METRIC_KEYS,
  type Diagnostics,
  type EventColumns,
  type Metrics,
  type Report,
  type ReportOptions,
  type SeriesPoint,
} from './types.js';

export { resolveOptions, type ResolvedOptions } from './options.js';

/** Computes the User Analysis Report of docs/SPEC.md §5 from raw events. */
export function computeReport(events: Iterable<unknown>, options: ReportOptions): Report {
  resolveOptions(options); // bad options throw before any row is read
  // The columns stay inside this call: their arrays are scratch, reused by the next call.
  return withScratch((allocate) =>
    computeColumns(parseEvents(events, allocate), options, allocate),
  );
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

keepShapeOf(new Accumulators(0));

/** Bucket starts of the comparison window, then of the period, then the period's end. */
function timelineOf(plan: PeriodPlan): Float64Array {
  return Float64Array.from([...plan.previousBuckets, ...plan.buckets, plan.period.end]);
}

/** Index of the bucket holding `t` (first ≤ t < end known), O(1) with a short DST walk. */
function locate(t: number, starts: Float64Array, step: number): number {
  // Stryker disable next-line all: the guess only saves steps (the walks below start from it)
  let i = Math.floor((t - starts[0]) / step);
  // Stryker disable next-line all: at most one past the end, and the walk down corrects that
  const max = starts.length - 2;
  // Stryker disable next-line all: as above: without the clamp the walk down does the same
  if (i > max) i = max;
  // Stryker disable next-line EqualityOperator: walking further down, the walk up comes back
  while (t < starts[i]) i--;
  while (t >= starts[i + 1]) i++;
  return i;
}

/**
 * The events a report looks at, copied into stream order (each stream's events contiguous, a
 * user's streams one after another), so that sorting and scanning read memory in sequence
 * rather than jumping through the columns.
 */
interface Grouped {
  time: Float64Array;
  kind: Uint8Array;
  /**
   * App per event when a user's events hold several streams that were not separated (too many
   * users × apps for a slot each), else null.
   */
  app: Int32Array | null;
  /** Stream slots per user: slot u × slots + a holds user u's events of app index a. */
  slots: number;
  /** Slot `key`'s events are [offsets[key], offsets[key + 1]). */
  offsets: Int32Array;
}

/**
 * Groups events by stream with a counting sort that scatters the columns straight into place
 * (sequential reads, no index array). `target` is -1 for every event, else the app index whose
 * events (and the app-less ones) to keep. Each stream's events keep their input order.
 *
 * Streams per app get a slot per user and app when users × apps is not much more than the
 * events; beyond that, a slot per user, with the app of each event kept to separate them.
 */
function groupByStream(
  cols: EventColumns,
  target: number,
  byApp: boolean,
  allocate: Allocate,
): Grouped {
  const { user, app, time, kind } = cols;
  const n = cols.length;
  const nUsers = cols.users.length;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator,MethodExpression: memory only
  // (where the line between the layouts lies; both give the same streams: corners.test.ts)
  const appSlots = byApp && nUsers * (cols.apps.length + 1) <= Math.max(n, 1 << 16);
  const slots = appSlots ? cols.apps.length + 1 : 1;
  const offsets = allocate(4, Int32Array, nUsers * slots + 2).fill(0);
  // Event i goes to slot user × slots (+ its app with a slot per app), unless the app filter
  // drops it. Counts in offsets[key + 2], then running sums: offsets[key + 1] is where slot
  // `key` starts.
  const perApp = appSlots ? 1 : 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = app[i];
    if (target >= 0 && a !== 0 && a !== target) continue;
    offsets[user[i] * slots + a * perApp + 2]++;
    count++;
  }
  for (let j = 1; j < offsets.length; j++) offsets[j] += offsets[j - 1];
  const g: Grouped = {
    time: allocate(5, Float64Array, count),
    kind: allocate(6, Uint8Array, count),
    app: byApp && !appSlots ? allocate(7, Int32Array, count) : null,
    slots,
    offsets,
  };
  // Scattering moves each slot's cursor, offsets[key + 1], to the slot's end, which is where
  // the next slot starts: afterwards slot `key` is [offsets[key], offsets[key + 1]).
  const gt = g.time;
  const gk = g.kind;
  const ga = g.app;
  for (let i = 0; i < n; i++) {
    const a = app[i];
    if (target >= 0 && a !== 0 && a !== target) continue;
    const k = offsets[user[i] * slots + a * perApp + 1]++;
    gt[k] = time[i];
    gk[k] = kind[i];
    if (ga !== null) ga[k] = a;
  }
  return g;
}

/** Above this magnitude, time × 4 + kind would not be exact in a double. */
const KEY_LIMIT = 2 ** 50;

/**
 * Sorts one stream's events [from, to) by (time, kind) unless already in that order: nearly
 * always they are, and a late session or two is all there is to move. Events of equal time and
 * kind are alike (their order changes nothing), so one number per event, time × 4 + kind,
 * sorts natively. With an app column (several apps in one slot) or far-off times, a sort of
 * indices with a comparator, ~30× slower, does it.
 */
function sortRun(g: Grouped, from: number, to: number): void {
  const { time, kind, app } = g;
  // The lines marked "speed only" choose between skipping a sorted run, the key sort and the
  // comparator sort below, which all leave the same order. Beyond KEY_LIMIT (year 37 000 and
  // more) a key may round, but such times lie outside every window and change no Report.
  // Stryker disable next-line all: speed only (from - 1 checks one more pair)
  let k = from + 1;
  while (k < to && (time[k] > time[k - 1] || (time[k] === time[k - 1] && kind[k] >= kind[k - 1]))) {
    // Stryker disable next-line all: speed only (walking back ends the check: a sort follows)
    k++;
  }
  if (k >= to) return;
  const n = to - from;
  if (app === null) {
    const keys = new Float64Array(n);
    // Stryker disable next-line all: speed only
    let exact = true;
    for (let j = 0; j < n; j++) {
      const t = time[from + j];
      // Stryker disable next-line all: speed only
      if (!(Math.abs(t) <= KEY_LIMIT)) exact = false;
      keys[j] = t * 4 + kind[from + j];
    }
    // Stryker disable next-line all: speed only
    if (exact) {
      keys.sort();
      for (let j = 0; j < n; j++) {
        const t = Math.floor(keys[j] / 4);
        time[from + j] = t;
        kind[from + j] = keys[j] - t * 4;
      }
      return;
    }
  }
  const order = Array.from({ length: n }, (_, j) => from + j).sort(
    (a, b) => time[a] - time[b] || kind[a] - kind[b], // a stable sort: ties keep their order
  );
  for (const column of app === null ? [time, kind] : [time, kind, app]) {
    const copy = column.slice(from, to);
    order.forEach((j, i) => (column[from + i] = copy[j - from]));
  }
}

/**
 * The distinct apps of one user's events [from, to), when there is more than one; else null.
 * Each becomes its own sessionization stream.
 */
function appsOfRun(app: Int32Array, from: number, to: number): number[] | null {
  const first = app[from];
  let k = from + 1;
  while (k < to && app[k] === first) k++;
  if (k === to) return null;
  const apps = [first];
  for (; k < to; k++) if (!apps.includes(app[k])) apps.push(app[k]);
  return apps;
}

/**
 * Computes a Report from parsed columns. Columns are not modified, so one parse serves any
 * number of reports (other ranges, days or apps).
 */
export function computeFromColumns(cols: EventColumns, options: ReportOptions): Report {
  return withScratch((allocate) => computeColumns(cols, options, allocate));
}

/** computeFromColumns with the allocator for the arrays that stay inside the call. */
function computeColumns(cols: EventColumns, options: ReportOptions, allocate: Allocate): Report {
  const opts = resolveOptions(options);
  const plan = planPeriods(opts.range, parseCivil(opts.end), opts.timeZone);
  const acc = new Accumulators(plan.previousBuckets.length + plan.buckets.length);
  // Without an app filter, each app's events of a user are sessionized apart, and the app-less
  // ones as one more stream (even beside a single app). With no app in the data there is one
  // stream per user either way.
  const byApp = opts.app === null && cols.apps.length > 0;
  const target = opts.app === null ? -1 : cols.apps.indexOf(opts.app) + 1;
  const grouped = groupByStream(cols, target, byApp, allocate);
  const windowActive = scanUsers(grouped, cols.users, opts, plan, acc);
  return buildReport(opts, plan, acc, windowActive, cols.diagnostics);
}

/** What every stream scan reads and adds to, plus one user's running results. */
interface ScanContext {
  starts: Float64Array;
  first: number;
  last: number;
  step: number;
  split: number;
  gap: number;
  acc: Accumulators;
  /** Per user, reset for each: earliest open/page, and activity in each window. */
  firstEver: number;
  activePrevious: boolean;
  activePeriod: boolean;
}

/**
 * One stream of user `u`: its events among [from, to), in (time, kind) order — all of them, or
 * only those of app `streamApp` when it is ≥ 0. Adds activity, page visits and the opens with
 * their stay (docs/SPEC.md §2) to their buckets.
 */
function scanStream(
  g: Grouped,
  from: number,
  to: number,
  streamApp: number,
  u: number,
  c: ScanContext,
): void {
  const { time, kind, app } = g;
  const { starts, first, last, step, split, gap } = c;
  const { active, pages, opens, stayMs, lastActive } = c.acc;
  let firstEver = c.firstEver;
  let activePrevious = c.activePrevious;
  let activePeriod = c.activePeriod;
  let b = -1; // bucket of the current event, -1 outside the timeline
  let inSegment = false;
  let segmentStart = 0;
  let segmentLast = 0;
  let lastSegmentEnd = -Infinity;
  let hasOpen = false;
  let openBucket = -1; // -1: the open started outside the timeline
  let openStay = 0;

  for (let k = from; k < to; k++) {
    if (streamApp >= 0 && app![k] !== streamApp) continue;
    const t = time[k];
    const kd = kind[k];
    if (kd === KIND_HIDE) {
      if (inSegment) {
        openStay += t - segmentStart;
        lastSegmentEnd = t;
        inSegment = false;
      }
      continue; // a hide outside any segment is ignored
    }
    // An open or a page: the user is active, maybe seen for the first time.
    if (t < firstEver) firstEver = t;
    if (t < first || t >= last) b = -1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: speed only (both find b)
    else if (b < 0) b = locate(t, starts, step);
    else while (t >= starts[b + 1]) b++;
    if (b >= 0) {
      if (lastActive[b] !== u) {
        lastActive[b] = u;
        active[b]++;
      }
      if (b < split) activePrevious = true;
      else activePeriod = true;
    }
    let startsSegment: boolean;
    if (kd === KIND_OPEN) {
      // A second open without a hide ends the previous segment at its last event.
      if (inSegment) {
        openStay += segmentLast - segmentStart;
        lastSegmentEnd = segmentLast;
      }
      startsSegment = true;
    } else {
      if (b >= 0) pages[b]++;
      startsSegment = !inSegment; // a page outside any segment starts an implicit one
      if (inSegment) segmentLast = t;
    }
    if (startsSegment) {
      if (!hasOpen || t - lastSegmentEnd >= gap) {
        // A new open: a gap of less than mergeGapMs would continue the same one.
        if (hasOpen && openBucket >= 0) {
          opens[openBucket]++;
          stayMs[openBucket] += openStay;
        }
        hasOpen = true;
        openBucket = b;
        openStay = 0;
      }
      inSegment = true;
      segmentStart = t;
      segmentLast = t;
    }
  }
  // A missing hide: the segment ends at its last event.
  if (inSegment) openStay += segmentLast - segmentStart;
  if (hasOpen && openBucket >= 0) {
    opens[openBucket]++;
    stayMs[openBucket] += openStay;
  }
  c.firstEver = firstEver;
  c.activePrevious = activePrevious;
  c.activePeriod = activePeriod;
}

/**
 * Every user's streams, one user after another; then the user's first sighting. Returns the
 * distinct active users of the comparison window and of the period.
 */
function scanUsers(
  g: Grouped,
  users: string[],
  opts: ResolvedOptions,
  plan: PeriodPlan,
  acc: Accumulators,
): { previous: number; period: number } {
  const starts = timelineOf(plan);
  const c: ScanContext = {
    starts,
    first: starts[0],
    last: starts[starts.length - 1],
    // Stryker disable next-line all: the step only seeds locate's guess
    step: plan.granularity === 'hour' ? 3_600_000 : 86_400_000,
    split: plan.previousBuckets.length,
    gap: opts.mergeGapMs,
    acc,
    firstEver: Infinity,
    activePrevious: false,
    activePeriod: false,
  };
  const { offsets, slots, app } = g;
  const firstSeen = opts.firstSeen;
  let previousActive = 0;
  let periodActive = 0;
  for (let u = 0; u < users.length; u++) {
    const firstKey = u * slots;
    if (offsets[firstKey] === offsets[firstKey + slots]) continue; // no events
    c.firstEver = Infinity;
    c.activePrevious = false;
    c.activePeriod = false;
    for (let key = firstKey; key < firstKey + slots; key++) {
      const from = offsets[key];
      const to = offsets[key + 1];
      if (from === to) continue;
      sortRun(g, from, to);
      const streams = app === null ? null : appsOfRun(app, from, to);
      if (streams === null) scanStream(g, from, to, -1, u, c);
      else for (const a of streams) scanStream(g, from, to, a, u, c);
    }
    let firstEver = c.firstEver;
    if (firstSeen !== null && Object.prototype.hasOwnProperty.call(firstSeen, users[u])) {
      const seen = firstSeen[users[u]];
      if (typeof seen === 'number' && seen < firstEver) firstEver = seen;
    }
    if (firstEver >= c.first && firstEver < c.last)
      acc.newUsers[locate(firstEver, starts, c.step)]++;
    if (c.activePrevious) previousActive++;
    if (c.activePeriod) periodActive++;
  }
  return { previous: previousActive, period: periodActive };
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

/** Per-bucket sums over the timeline (the comparison window's buckets, then the period's). */
export interface BucketSums {
  readonly n: number;
  readonly newUsers: ArrayLike<number>;
  readonly active: ArrayLike<number>;
  readonly opens: ArrayLike<number>;
  readonly pages: ArrayLike<number>;
  readonly stayMs: ArrayLike<number>;
}

function seriesOf(acc: BucketSums, starts: number[], offset: number): SeriesPoint[] {
  return starts.map((start, j) => {
    const b = offset + j;
    return {
      start,
      ...metricsFrom(acc.newUsers[b], acc.active[b], acc.opens[b], acc.pages[b], acc.stayMs[b]),
    };
  });
}

function totalsOf(acc: BucketSums, from: number, to: number, activeUsers: number): Metrics {
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

/**
 * The Report of per-bucket sums and the windows' distinct active users (also what the
 * ClickHouse backend assembles its partial sums into). Without diagnostics, none in the Report.
 */
export function buildReport(
  opts: Pick<ResolvedOptions, 'app' | 'range' | 'end' | 'timeZone'>,
  plan: PeriodPlan,
  acc: BucketSums,
  windowActive: { previous: number; period: number },
  diagnostics?: Diagnostics,
): Report {
  const split = plan.previousBuckets.length;
  const totals = totalsOf(acc, split, acc.n, windowActive.period);
  const previousTotals = totalsOf(acc, 0, split, windowActive.previous);
  const growth = {} as Metrics;
  for (const key of METRIC_KEYS) growth[key] = growthOf(totals[key], previousTotals[key]);
  const report: Report = {
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
  };
  if (diagnostics !== undefined) {
    report.diagnostics = {
      accepted: diagnostics.accepted,
      rejected: diagnostics.rejected,
      reasons: { ...diagnostics.reasons },
    };
  }
  return report;
}
