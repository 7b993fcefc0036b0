/**
 * A seeded, deterministic generator of realistic tracking events (SPEC §1) for the demo page,
 * the benchmark and tests. Pure TypeScript: no DOM, no dependencies; runs in Node, a browser
 * and a Web Worker.
 *
 * The model, per app kind: a daily rhythm (busy at noon and in the evening, quiet at night), a
 * weekly rhythm, growth (new users arrive at a rising rate; some are there from the start),
 * retention that decays after a user adopts an app (loyal users stay, others drift away),
 * users in one to three apps, sessions of `open`, a few `page`s and `hide`, about 20 % of
 * sessions with a quick reopen (< 30 s after the hide, so one merged open), some hides lost
 * (app killed) and some opens lost. No app-less events.
 *
 * Output order is what a collection pipeline delivers: day by day, in quarter-hour batches
 * of whole sessions, users interleaved in a shuffled order, each user's events in time order
 * except for about 2 % of sessions that arrive a few hours late.
 */
import {
  addDays,
  checkTimeZone,
  formatCivil,
  localDate,
  parseCivil,
  startOfLocalDay,
} from '../src/engine/periods.js';
import type { UaEvent } from '../src/engine/types.js';
import type { AppKind } from '../src/store/types.js';

/** An app of the synthetic data. */
export interface SyntheticApp {
  id: string;
  name: string;
  kind: AppKind;
}

/** Options of {@link generateEvents}. */
export interface GenerateOptions {
  /** Number of distinct users (each uses one to three apps). */
  users: number;
  /** Number of local days of data, ending with `end`. */
  days: number;
  /** The last local day of data, 'YYYY-MM-DD'. */
  end: string;
  /** IANA time zone of the daily rhythm. Default 'UTC' (so that output never depends on the machine). */
  timeZone?: string;
  /** Apps; the first ones are the most popular. Default {@link DEMO_APPS}. */
  apps?: readonly SyntheticApp[];
  /** PRNG seed. Default 1. */
  seed?: number;
  /**
   * Approximate number of events (within a few per cent), but never fewer than one session per
   * user and app on the day it is adopted. Default 1.5 per user and day.
   */
  targetEvents?: number;
  /** `time` as epoch ms (default) or as an ISO-8601 string in UTC ('…Z'). */
  timeFormat?: 'epoch' | 'iso';
}

/** Six apps of the three kinds, most popular first. */
export const DEMO_APPS: readonly SyntheticApp[] = [
  { id: 'wx-mall', name: '晴天商城', kind: 'mini-program' },
  { id: 'h5-news', name: 'Morning Brief', kind: 'h5' },
  { id: 'game-garden', name: '合成花园', kind: 'mini-game' },
  { id: 'wx-coffee', name: 'Deer Coffee', kind: 'mini-program' },
  { id: 'game-tiles', name: 'Tile Match', kind: 'mini-game' },
  { id: 'h5-spring-sale', name: 'Spring Sale 2026', kind: 'h5' },
];

/** Share of sessions with a quick reopen; each reopen may be followed by another at this rate. */
const REOPEN_RATE = 0.2;
/** Share of foreground segments whose `hide` is lost (the app was killed; the session ends). */
const LOST_HIDE_RATE = 0.03;
/**
 * Share of foreground segments whose `open` is lost. Never right after a lost hide: the pages
 * would extend the old segment, by hours, which real trackers avoid by a launch id.
 */
const LOST_OPEN_RATE = 0.02;
/** Share of sessions delivered in a later batch (up to four hours late). */
const LATE_RATE = 0.02;
/** Share of users already there before the first day (they are not new to the app). */
const ESTABLISHED_SHARE = 0.3;
/** How much faster new users arrive on the last day than on the first. */
const GROWTH = 2;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BATCH = 15 * MINUTE;

interface KindProfile {
  /** Relative session starts per local hour 0–23. */
  hours: readonly number[];
  /** Relative activity per weekday, Sunday first. */
  week: readonly number[];
  /** Mean number of extra pages after a segment's first. */
  extraPages: number;
  /** Mean time on a page, ms. */
  dwellMs: number;
  /** Page paths; the first is the landing page. */
  pages: readonly string[];
}

const PROFILES: Record<AppKind, KindProfile> = {
  'mini-program': {
    hours: [
      2, 1, 0.6, 0.4, 0.4, 0.6, 1.5, 3.5, 5, 5, 5.5, 6.5, 9, 8, 6, 5.5, 5.5, 6, 7.5, 9, 10, 9.5, 7,
      4,
    ],
    week: [1.15, 0.95, 0.95, 0.97, 1, 1.05, 1.2],
    extraPages: 3,
    dwellMs: 18_000,
    pages: [
      'pages/index/index',
      'pages/category/category',
      'pages/goods/detail',
      'pages/search/search',
      'pages/cart/cart',
      'pages/order/confirm',
      'pages/user/user',
    ],
  },
  h5: {
    hours: [
      1.5, 0.8, 0.4, 0.3, 0.3, 0.8, 2.5, 6, 8, 6, 5, 5.5, 8, 7, 5, 4.5, 4.5, 5, 7, 7.5, 8, 7.5, 5,
      3,
    ],
    week: [0.85, 1.05, 1.05, 1.05, 1.05, 1, 0.85],
    extraPages: 2,
    dwellMs: 25_000,
    pages: ['/', '/list', '/article', '/topic', '/share', '/search', '/me'],
  },
  'mini-game': {
    hours: [
      3, 2, 1, 0.6, 0.5, 0.6, 1, 2, 3, 3, 3.5, 4.5, 7, 6.5, 4.5, 4, 4, 4.5, 6, 8, 10, 11, 9.5, 6,
    ],
    week: [1.3, 0.9, 0.9, 0.92, 0.95, 1.05, 1.3],
    extraPages: 1.5,
    dwellMs: 70_000,
    pages: ['scene/home', 'scene/level', 'scene/shop', 'scene/rank', 'scene/daily-task'],
  },
};

/** Expected events in a session of a kind (used to aim at `targetEvents`). */
function eventsPerSession(p: KindProfile): number {
  const segments = 1 / (1 - REOPEN_RATE * (1 - LOST_HIDE_RATE));
  return segments * (1 - LOST_OPEN_RATE + 1 + p.extraPages + 1 - LOST_HIDE_RATE);
}

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Start of the local day whose UTC-midnight instant is `utcDate`. */
function localMidnight(utcDate: number, timeZone: string): number {
  const d = new Date(utcDate);
  return startOfLocalDay(
    { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() },
    timeZone,
  );
}

/** 'YYYY-MM-DD' as the UTC midnight of that date (throws a RangeError naming `end`). */
function parseDay(s: string): number {
  const { y, m, d } = parseCivil(s, 'end');
  return Date.UTC(y, m - 1, d);
}

function positiveInteger(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name}: expected a positive integer, got ${String(v)}`);
  }
  return v;
}

/** Cumulative, normalized weights, for sampling by a uniform draw. */
function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) c[i] = sum += weights[i];
  for (let i = 0; i < c.length; i++) c[i] /= sum;
  return c;
}

function pick(c: Float64Array, u: number): number {
  let i = 0;
  while (i < c.length - 1 && u >= c[i]) i++;
  return i;
}

/**
 * Generates events (see the module comment for the model). The same options give the same
 * events, in the same order, on every run (and on every machine with the same JS engine and
 * time-zone data: the model uses Math.log, exp and cos).
 */
export function generateEvents(options: GenerateOptions): UaEvent[] {
  const nUsers = positiveInteger('users', options.users);
  const days = positiveInteger('days', options.days);
  const lastDay = parseDay(options.end);
  const timeZone = checkTimeZone(options.timeZone ?? 'UTC');
  const apps = options.apps ?? DEMO_APPS;
  if (apps.length === 0) throw new RangeError('apps: expected at least one app');
  const iso = options.timeFormat === 'iso';
  const rand = mulberry32(options.seed ?? 1);

  // Calendar: local day starts (one more than `days`, for each day's length) and weekdays.
  const firstDay = lastDay - (days - 1) * DAY;
  const dayStart = new Float64Array(days + 1);
  const weekday = new Uint8Array(days);
  for (let d = 0; d <= days; d++) {
    dayStart[d] = localMidnight(firstDay + d * DAY, timeZone);
    if (d < days) weekday[d] = new Date(firstDay + d * DAY).getUTCDay();
  }

  // Apps: kind profiles, hourly samplers, popularity (the first ones most popular).
  const profiles = apps.map((a) => {
    const p = PROFILES[a.kind];
    if (p === undefined) throw new RangeError(`apps: unknown kind '${String(a.kind)}'`);
    return p;
  });
  const hourSampler = profiles.map((p) => cumulative(p.hours));
  const perSession = profiles.map(eventsPerSession);
  const popularity = cumulative(apps.map((_, i) => 1 / (1 + 0.6 * i)));

  // Users: engagement (log-normal), long-run retention, and up to three (app, adoption day).
  const SLOTS = 3;
  const engagement = new Float64Array(nUsers);
  const loyalty = new Float64Array(nUsers);
  const slotApp = new Int16Array(nUsers * SLOTS).fill(-1);
  const slotDay = new Int32Array(nUsers * SLOTS);
  const userIds: string[] = new Array(nUsers);
  const idWidth = Math.max(6, String(nUsers).length);
  for (let u = 0; u < nUsers; u++) {
    userIds[u] = 'u' + String(u + 1).padStart(idWidth, '0');
    const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    engagement[u] = Math.exp(0.8 * normal);
    const established = rand() < ESTABLISHED_SHARE;
    loyalty[u] = established || rand() < 0.45 ? 0.35 + 0.45 * rand() : 0.03;
    let arrival: number;
    if (established) {
      arrival = -30 - Math.floor(rand() * 300);
    } else {
      // Linear rising density 1 + GROWTH·x on [0, 1), by inverting its distribution.
      const c = rand() * (1 + GROWTH / 2);
      arrival = Math.floor(((Math.sqrt(1 + 2 * GROWTH * c) - 1) / GROWTH) * days);
    }
    const nApps = Math.min(apps.length, rand() < 0.1 ? 3 : rand() < 0.3 ? 2 : 1);
    for (let s = 0; s < nApps; s++) {
      let a = pick(popularity, rand());
      for (let k = 0; k < s; k++) {
        if (slotApp[u * SLOTS + k] === a) {
          a = (a + 1) % apps.length;
          k = -1; // check the new choice against every earlier slot
        }
      }
      slotApp[u * SLOTS + s] = a;
      slotDay[u * SLOTS + s] = s === 0 ? arrival : arrival + Math.floor(rand() * rand() * days);
    }
  }

  // Retention by days since adoption: 1 on the first day, decaying to the user's loyalty.
  const decay = new Float64Array(days);
  for (let a = 0; a < days; a++) decay[a] = Math.exp(-a / 6);
  const retention = (u: number, age: number) =>
    loyalty[u] + (1 - loyalty[u]) * (age < days ? decay[age] : 0);

  // Aim at `targetEvents`: sessions per (user, app, day) ~ Poisson(scale · weight), plus one
  // forced session on the adoption day. Sum the expected events of both parts first.
  let weighted = 0;
  let forced = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let s = 0; s < SLOTS; s++) {
      const a = slotApp[u * SLOTS + s];
      if (a < 0) continue;
      const adopted = slotDay[u * SLOTS + s];
      if (adopted >= 0 && adopted < days) forced += perSession[a];
      for (let d = Math.max(0, adopted); d < days; d++) {
        weighted +=
          engagement[u] * retention(u, d - adopted) * profiles[a].week[weekday[d]] * perSession[a];
      }
    }
  }
  const target = options.targetEvents ?? Math.round(nUsers * days * 1.5);
  if (typeof target !== 'number' || !(target >= 0)) {
    throw new RangeError(`targetEvents: expected a non-negative number, got ${String(target)}`);
  }
  const scale = weighted === 0 ? 0 : Math.max(0, target - forced) / weighted;

  const out: UaEvent[] = [];
  const batches: UaEvent[][] = Array.from({ length: DAY / BATCH }, () => []);
  const lastBatch = batches.length - 1;
  const order = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) order[u] = u;
  const busyUntil = new Float64Array(nUsers).fill(-Infinity);
  const killed = new Uint8Array(nUsers * apps.length); // the last session of (user, app) lost its hide
  let sessionStarts = new Float64Array(16);
  let sessionApps = new Int16Array(16);

  const emit = (
    batch: UaEvent[],
    user: string,
    app: string,
    t: number,
    type: UaEvent['type'],
    page: string,
  ) => {
    batch.push({ user, time: iso ? new Date(t).toISOString() : t, type, app, page });
  };

  /** One session from `t`; returns the time of its last event. */
  const session = (u: number, a: number, t: number, batch: UaEvent[]): number => {
    const user = userIds[u];
    const app = apps[a].id;
    const p = profiles[a];
    const k = u * apps.length + a;
    const more = p.extraPages / (1 + p.extraPages); // geometric number of extra pages
    let page = rand() < 0.75 ? p.pages[0] : p.pages[1 + Math.floor(rand() * (p.pages.length - 1))];
    for (;;) {
      if (killed[k] === 1 || rand() >= LOST_OPEN_RATE) emit(batch, user, app, t, 'open', page);
      killed[k] = 0;
      t += 150 + Math.floor(rand() * 1350);
      for (let first = true; first || rand() < more; first = false) {
        if (!first) page = p.pages[Math.floor(rand() * p.pages.length)];
        if (!first) t += 300 + Math.floor(-Math.log(1 - rand()) * p.dwellMs);
        emit(batch, user, app, t, 'page', page);
      }
      const last = t;
      if (rand() < LOST_HIDE_RATE) {
        killed[k] = 1;
        return last;
      }
      t += 300 + Math.floor(-Math.log(1 - rand()) * p.dwellMs);
      emit(batch, user, app, t, 'hide', page);
      if (rand() >= REOPEN_RATE) return t;
      t += 1000 + Math.floor(rand() * 28_999); // back within 30 s: the same open
    }
  };

  for (let d = 0; d < days; d++) {
    const start = dayStart[d];
    const length = dayStart[d + 1] - start;
    const week = weekday[d];
    // Users in a new shuffled order each day (Fisher–Yates).
    for (let i = nUsers - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const v = order[i];
      order[i] = order[j];
      order[j] = v;
    }
    for (let k = 0; k < nUsers; k++) {
      const u = order[k];
      let n = 0;
      for (let s = 0; s < SLOTS; s++) {
        const a = slotApp[u * SLOTS + s];
        if (a < 0) continue;
        const adopted = slotDay[u * SLOTS + s];
        if (adopted > d) continue;
        const lambda = scale * engagement[u] * retention(u, d - adopted) * profiles[a].week[week];
        let count = poisson(lambda, rand) + (adopted === d ? 1 : 0);
        while (count-- > 0) {
          if (n === sessionStarts.length) {
            sessionStarts = grow(sessionStarts, new Float64Array(n * 2));
            sessionApps = grow(sessionApps, new Int16Array(n * 2));
          }
          const hour = pick(hourSampler[a], rand());
          sessionStarts[n] = ((hour + rand()) / 24) * length;
          sessionApps[n] = a;
          n++;
        }
      }
      // The user's sessions of the day in time order (insertion sort: n is small).
      for (let i = 1; i < n; i++) {
        const ts = sessionStarts[i];
        const ta = sessionApps[i];
        let j = i - 1;
        for (; j >= 0 && sessionStarts[j] > ts; j--) {
          sessionStarts[j + 1] = sessionStarts[j];
          sessionApps[j + 1] = sessionApps[j];
        }
        sessionStarts[j + 1] = ts;
        sessionApps[j + 1] = ta;
      }
      for (let i = 0; i < n; i++) {
        let t = start + Math.floor(sessionStarts[i]);
        // One app at a time: a session starts a while after the previous one ended.
        if (t < busyUntil[u] + MINUTE) t = busyUntil[u] + MINUTE + Math.floor(rand() * 10 * MINUTE);
        let b = Math.min(lastBatch, Math.floor((t - start) / BATCH));
        if (rand() < LATE_RATE) b = Math.min(lastBatch, b + 1 + Math.floor(rand() * 16));
        busyUntil[u] = session(u, sessionApps[i], t, batches[b]);
      }
    }
    for (const batch of batches) {
      for (let i = 0; i < batch.length; i++) out.push(batch[i]);
      batch.length = 0;
    }
  }
  return out;
}

function grow<T extends Float64Array | Int16Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** A Poisson draw (Knuth's method below 30, a rounded normal above). */
function poisson(lambda: number, rand: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) {
    const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

/** Today's local date in `timeZone` at `now`, moved by `days`, as 'YYYY-MM-DD'. */
function localDay(now: number, timeZone: string, days: number): string {
  return formatCivil(addDays(localDate(now, timeZone), days));
}

/**
 * The demo's data: 90 days up to yesterday (T+1, as the dashboard defaults), about 2 500
 * users in {@link DEMO_APPS} and about 250 000 events, in well under a second.
 */
export function demoEvents(
  options: { end?: string; timeZone?: string; seed?: number; now?: number } = {},
): UaEvent[] {
  const timeZone = options.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return generateEvents({
    users: 2_500,
    days: 90,
    end: options.end ?? localDay(options.now ?? Date.now(), timeZone, -1),
    timeZone,
    apps: DEMO_APPS,
    seed: options.seed ?? 20_260_101,
    targetEvents: 250_000,
  });
}
