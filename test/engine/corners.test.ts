/**
 * Corners of the engine that the rule-by-rule and property tests do not reach, each worked
 * out by hand: bucket lookup right at a local midnight moved by a clock change, events after
 * the period, one user's several apps when users × apps is too many for a slot each, the
 * parser's growth and bookkeeping, the calendar's rarer zones, the options' edges, and the
 * Report checker's optional fields. (Found by mutation testing: `npm run mutate -- engine`.)
 */
import { expect } from '@open-wc/testing';
import {
  EventParser,
  checkTimeZone,
  computeReport,
  defaultTimeZone,
  parseCivil,
  parseEvents,
  parseIsoDateTime,
  planPeriods,
  resolveOptions,
  startOfLocalDay,
  validateReport,
} from '../../src/engine/index.js';
import type { Metrics, Report, ReportOptions } from '../../src/engine/index.js';
import { buildReport } from '../../src/engine/compute.js';
import { allocateFresh, allocateScratch, withScratch } from '../../src/engine/scratch.js';
import { wall } from './wall.js';

const at = (iso: string) => Date.parse(iso);

const ZERO: Metrics = {
  newUsers: 0,
  activeUsers: 0,
  opens: 0,
  pageVisits: 0,
  avgDurationPerOpen: 0,
  avgDurationPerUser: 0,
  avgOpensPerUser: 0,
};
/** One new, active user with one open of `seconds`. */
const ONE_OPEN = (seconds: number): Metrics => ({
  newUsers: 1,
  activeUsers: 1,
  opens: 1,
  pageVisits: 0,
  avgDurationPerOpen: seconds,
  avgDurationPerUser: seconds,
  avgOpensPerUser: 1,
});
const metricsOf = ({ start: _start, ...metrics }: Report['series'][number]): Metrics => metrics;

describe('engine corners: buckets at a moved local midnight', () => {
  it('puts an open at the local midnight after a 23-hour day into the new day (Berlin)', () => {
    // Berlin springs forward on 2026-03-29 (02:00 CET → 03:00 CEST): that day has 23 hours.
    // Range 7 ending 04-02: the comparison window starts 03-20 00:00 CET (03-19T23:00Z). The
    // open at 03-30 00:00 CEST = 03-29T22:00Z is 10 days less one hour after that start: a
    // whole-day estimate of its bucket says 03-29, one short.
    expect(wall(at('2026-03-29T22:00:00Z'), 'Europe/Berlin')).to.equal('2026-03-30 00:00:00');
    const r = computeReport(
      [
        { user: 'n', type: 'open', time: '2026-03-29T22:00:00Z' },
        { user: 'n', type: 'hide', time: '2026-03-29T22:01:00Z' },
      ],
      { range: 7, end: '2026-04-02', timeZone: 'Europe/Berlin' },
    );
    // Period 03-27 … 04-02: 03-30 is series[3].
    expect(r.series[3].start).to.equal(at('2026-03-29T22:00:00Z'));
    expect(r.series.map(metricsOf)).to.deep.equal([
      ZERO,
      ZERO,
      ZERO,
      ONE_OPEN(60),
      ZERO,
      ZERO,
      ZERO,
    ]);
  });

  it('keeps an open late on a 25-hour day in that day (Berlin)', () => {
    // Berlin falls back on 2026-10-25 (03:00 CEST → 02:00 CET): that day has 25 hours, from
    // 10-24T22:00Z to 10-25T23:00Z. Range 7 ending 10-26 starts 10-13 00:00 CEST
    // (10-12T22:00Z); an open at 10-25 23:30 CET = 10-25T22:30Z is 13 days and 30 min after
    // that start: a whole-day estimate says 10-26, one too far.
    expect(wall(at('2026-10-25T22:30:00Z'), 'Europe/Berlin')).to.equal('2026-10-25 23:30:00');
    const r = computeReport(
      [
        { user: 'n', type: 'open', time: '2026-10-25T22:30:00Z' },
        { user: 'n', type: 'hide', time: '2026-10-25T22:31:00Z' },
      ],
      { range: 7, end: '2026-10-26', timeZone: 'Europe/Berlin' },
    );
    // Period 10-20 … 10-26: 10-25 is series[5], 10-26 series[6].
    expect(r.series.map(metricsOf)).to.deep.equal([
      ZERO,
      ZERO,
      ZERO,
      ZERO,
      ZERO,
      ONE_OPEN(60),
      ZERO,
    ]);
  });

  it('counts events after the period nowhere: not active, not new', () => {
    // Range 1 ending 2026-03-10 (UTC) ends at 03-11T00:00Z. 'late' is seen only on 03-11,
    // 'early' only on 03-08 (before the comparison window).
    const r = computeReport(
      [
        { user: 'late', type: 'open', time: '2026-03-11T10:00:00Z' },
        { user: 'late', type: 'page', time: '2026-03-11T10:00:05Z' },
        { user: 'early', type: 'open', time: '2026-03-08T10:00:00Z' },
      ],
      { range: 1, end: '2026-03-10', timeZone: 'UTC' },
    );
    expect(r.totals).to.deep.equal(ZERO);
    expect(r.previousTotals).to.deep.equal(ZERO);
  });
});

describe('engine corners: one user, several apps, no slot per app', () => {
  it('sessionizes each app of a user apart when users × apps exceed the events', () => {
    // 70 000 users with one hide each (app A; a hide alone is no activity) and user 'x' with
    // four events: 70 004 events, 70 001 users × (2 apps + none) = 210 003 slots > 70 004, so
    // one slot per user and each event keeps its app. x's events come in reverse order.
    // A: open 10:00:00 → hide 10:00:20 (20 s). B: open 10:01:00 → hide 10:01:30 (30 s).
    // Two opens (one per app), 50 s in all.
    const t = (s: string) => at(`2026-03-10T${s}Z`);
    const rows: unknown[] = [
      { user: 'x', app: 'B', type: 'hide', time: t('10:01:30') },
      { user: 'x', app: 'B', type: 'open', time: t('10:01:00') },
      { user: 'x', app: 'A', type: 'hide', time: t('10:00:20') },
      { user: 'x', app: 'A', type: 'open', time: t('10:00:00') },
    ];
    for (let u = 0; u < 70_000; u++)
      rows.push({ user: u, app: 'A', type: 'hide', time: t('09:00:00') });
    const r = computeReport(rows, { range: 1, end: '2026-03-10', timeZone: 'UTC' });
    expect(r.totals).to.deep.equal({
      newUsers: 1,
      activeUsers: 1,
      opens: 2,
      pageVisits: 0,
      avgDurationPerOpen: 25,
      avgDurationPerUser: 50,
      avgOpensPerUser: 2,
    });
    expect(r.series[10].opens).to.equal(2);
  });
});

describe('engine corners: buildReport', () => {
  it('leaves diagnostics out when given none (the ClickHouse backend gives none)', () => {
    const plan = planPeriods(1, { y: 2026, m: 3, d: 10 }, 'UTC');
    const n = plan.previousBuckets.length + plan.buckets.length;
    const zeros = new Float64Array(n);
    const opens = new Float64Array(n);
    opens[24 + 10] = 3; // three opens at 10:00 in the period
    const r = buildReport(
      { app: null, range: 1, end: '2026-03-10', timeZone: 'UTC' },
      plan,
      { n, newUsers: zeros, active: zeros, opens, pages: zeros, stayMs: zeros },
      { previous: 0, period: 2 },
    );
    expect('diagnostics' in r).to.equal(false);
    expect(r.totals.opens).to.equal(3);
    expect(r.totals.avgOpensPerUser).to.equal(1.5);
    expect(r.series[10].opens).to.equal(3);
  });
});

describe('engine corners: the parser', () => {
  it('counts every row it has seen, accepted or not', () => {
    const parser = new EventParser();
    parser.addRange([{ user: 'a', type: 'open', time: 1 }, 'no row', { user: 'a', type: 'x' }]);
    parser.add({ user: 'b', type: 'hide', time: 2 });
    expect(parser.rows).to.equal(4);
    expect(parser.finish().diagnostics).to.deep.equal({
      accepted: 2,
      rejected: 2,
      reasons: { 'not-object': 1, 'bad-type': 1 },
    });
  });

  it('grows from no room to a range of 100 rows, and reads a part of an array', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ user: 'u', type: 'page', time: i }));
    const parser = new EventParser(0); // room for 16
    parser.addRange(rows);
    parser.addRange(rows, 98, 100); // rows 98 and 99 again
    const cols = parser.finish();
    expect(cols.length).to.equal(102);
    expect(Array.from(cols.time.subarray(0, 102))).to.deep.equal([
      ...rows.map((r) => r.time),
      98,
      99,
    ]);
  });

  it('lists each user and app once, in order of first appearance, and nothing else', () => {
    const cols = parseEvents([
      { user: 'b', type: 'open', time: 1, app: 'y' },
      { user: 'a', type: 'open', time: 2 },
      { user: 'b', type: 'page', time: 3, app: 'x' },
      { user: 'a', type: 'hide', time: 4, app: 'y' },
    ]);
    expect(cols.users).to.deep.equal(['b', 'a']);
    expect(cols.apps).to.deep.equal(['y', 'x']);
    expect(Array.from(cols.user.subarray(0, 4))).to.deep.equal([0, 1, 0, 1]);
    expect(Array.from(cols.app.subarray(0, 4))).to.deep.equal([1, 0, 2, 1]);
  });

  it('rejects a time that is neither a number nor a string, and an app that is a boolean', () => {
    const { diagnostics } = parseEvents([
      { user: 'a', type: 'open', time: ['2026-03-10T10:00:00Z'] }, // its String() is a time
      { user: 'a', type: 'open', time: new Date(0) },
      { user: 'a', type: 'open', time: 1, app: true },
      { user: 'a', type: 'open', time: 1, app: 12 }, // a number is an app id
    ]);
    expect(diagnostics).to.deep.equal({
      accepted: 1,
      rejected: 3,
      reasons: { 'bad-time': 2, 'bad-app': 1 },
    });
  });

  it('knows that January has 31 days in a leap year too', () => {
    expect(parseIsoDateTime('2024-01-31T10:00:00Z')).to.equal(Date.UTC(2024, 0, 31, 10));
    expect(parseIsoDateTime('2024-03-31T10:00:00Z')).to.equal(Date.UTC(2024, 2, 31, 10));
    expect(parseCivil('2024-01-31')).to.deep.equal({ y: 2024, m: 1, d: 31 });
  });
});

describe('engine corners: the calendar', () => {
  it('starts Beirut’s 2026-03-29, whose midnight is skipped east of UTC, at 01:00 (22:00Z)', () => {
    // Lebanon springs forward at 00:00 → 01:00 on the last Sunday of March; the day starts
    // before 00:00Z of its date, which the fallback search must reach from below.
    expect(wall(at('2026-03-28T21:59:59Z'), 'Asia/Beirut')).to.equal('2026-03-28 23:59:59');
    expect(wall(at('2026-03-28T22:00:00Z'), 'Asia/Beirut')).to.equal('2026-03-29 01:00:00');
    expect(startOfLocalDay({ y: 2026, m: 3, d: 29 }, 'Asia/Beirut')).to.equal(
      at('2026-03-28T22:00:00Z'),
    );
  });

  it('starts hourly buckets at whole local hours across Chatham’s 45-minute-offset change', () => {
    // The Chatham Islands spring forward at 02:45 +12:45 → 03:45 +13:45 on 2026-09-27
    // (14:00Z). Hours of that day: 00:00, 01:00, 02:00 (one real hour: to 14:15Z = 04:00),
    // 04:00 … 23:00: 23 buckets.
    const zone = 'Pacific/Chatham';
    expect(wall(at('2026-09-26T13:59:59Z'), zone)).to.equal('2026-09-27 02:44:59');
    expect(wall(at('2026-09-26T14:00:00Z'), zone)).to.equal('2026-09-27 03:45:00');
    const { buckets } = planPeriods(1, { y: 2026, m: 9, d: 27 }, zone);
    expect(buckets).to.have.length(23);
    expect(buckets.slice(0, 4)).to.deep.equal([
      at('2026-09-26T11:15:00Z'),
      at('2026-09-26T12:15:00Z'),
      at('2026-09-26T13:15:00Z'),
      at('2026-09-26T14:15:00Z'),
    ]);
    expect(buckets[22]).to.equal(at('2026-09-27T09:15:00Z')); // 23:00 +13:45
  });

  it('names a time zone that is not a name as such, and an unknown one as unknown', () => {
    expect(() => checkTimeZone('')).to.throw(RangeError, 'expected an IANA time zone name');
    expect(() => checkTimeZone(8)).to.throw(RangeError, 'expected an IANA time zone name, got 8');
    expect(() => checkTimeZone('Mars/Olympus')).to.throw(
      RangeError,
      "unknown time zone 'Mars/Olympus'",
    );
  });

  it('falls back to UTC where the runtime names no zone of its own', () => {
    const Real = Intl.DateTimeFormat;
    // Some embedded runtimes resolve no zone: resolvedOptions().timeZone is undefined.
    class NoZone extends Real {
      override resolvedOptions() {
        return { ...super.resolvedOptions(), timeZone: undefined as unknown as string };
      }
    }
    Intl.DateTimeFormat = NoZone as typeof Intl.DateTimeFormat;
    try {
      expect(defaultTimeZone()).to.equal('UTC');
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(defaultTimeZone()).to.equal(new Real().resolvedOptions().timeZone);
  });
});

describe('engine corners: options', () => {
  it('takes `now` up to ±8.64e15 ms (the range of a Date), not beyond', () => {
    const base: ReportOptions = { range: 1, end: '2026-03-10', timeZone: 'UTC' };
    expect(resolveOptions({ ...base, now: 8.64e15 }).end).to.equal('2026-03-10');
    expect(resolveOptions({ ...base, now: -8.64e15 }).end).to.equal('2026-03-10');
    expect(() => resolveOptions({ ...base, now: 8.64e15 + 1 })).to.throw(RangeError, /^now/);
  });

  it('reads an empty app as no app filter', () => {
    const events = [
      { user: 'a', type: 'open', time: '2026-03-10T10:00:00Z', app: 'x' },
      { user: 'b', type: 'open', time: '2026-03-10T10:00:00Z', app: 'y' },
    ];
    const options: ReportOptions = { range: 1, end: '2026-03-10', timeZone: 'UTC' };
    const all = computeReport(events, options);
    const empty = computeReport(events, { ...options, app: '' });
    expect(empty.app).to.equal(null);
    expect(empty.totals.activeUsers).to.equal(2);
    expect(empty).to.deep.equal(all);
  });
});

describe('engine corners: validateReport', () => {
  const events = [
    { user: 'a', type: 'open', time: '2026-03-10T10:00:00Z', app: 'x' },
    { user: 'a', type: 'hide', time: '2026-03-10T10:00:30Z', app: 'x' },
  ];
  const monthly = (): Report =>
    computeReport(events, { range: 30, end: '2026-03-10', timeZone: 'UTC', app: 'x' });

  it('accepts a range-30 Report of one app, without its optional fields too', () => {
    const r = monthly();
    expect(r.app).to.equal('x');
    expect(validateReport(r)).to.equal(null);
    const bare: Partial<Report> = { ...r };
    delete bare.previousSeries;
    delete bare.diagnostics;
    expect(validateReport(bare)).to.equal(null);
  });

  it('rejects a metric that is NaN or infinite, and an end that is not a string', () => {
    const nan = monthly();
    nan.totals.opens = NaN;
    expect(validateReport(nan)).to.equal('totals.opens must be a number');
    const infinite = monthly();
    infinite.series[3].pageVisits = Infinity;
    expect(validateReport(infinite)).to.equal('series[3].pageVisits must be a number');
    const listEnd = { ...monthly(), end: ['2026-03-10'] };
    expect(validateReport(listEnd)).to.equal("end must be a date 'YYYY-MM-DD'");
  });
});

describe('engine corners: scratch arrays', () => {
  it('reuses a buffer of exactly the length asked', () => {
    const a = allocateScratch(98, Float64Array, 50);
    expect(allocateScratch(98, Float64Array, 50).buffer).to.equal(a.buffer);
  });

  it('gives a nested computation fresh arrays, and the next one the scratch again', () => {
    const seen: unknown[] = [];
    withScratch((outer) => {
      seen.push(outer);
      withScratch((inner) => seen.push(inner));
    });
    withScratch((next) => seen.push(next));
    expect(seen).to.deep.equal([allocateScratch, allocateFresh, allocateScratch]);
  });
});
