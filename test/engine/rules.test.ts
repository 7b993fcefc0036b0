/**
 * One hand-computed test per rule of SPEC §1–§6. Every expected number is worked out in a
 * comment next to it. Unless a test says otherwise the report is range 1 ending 2026-03-10 in
 * UTC: the period is 2026-03-10 00:00Z–24:00Z in 24 hourly buckets (series[h] is hour h), the
 * comparison window is 2026-03-09.
 */
import { expect } from '@open-wc/testing';
import { computeReport, growthOf, validateReport } from '../../src/engine/index.js';
import { isReport } from '../../src/engine/validate.js';
import type { Metrics, Report, ReportOptions, UaEvent } from '../../src/engine/index.js';

const at = (iso: string): number => Date.parse(iso);
const day = (d: string, time: string) => at(`2026-03-${d}T${time}Z`);

type Row = Omit<UaEvent, 'time'> & { time: number | string };
/** An event on 2026-03-10 (UTC) at `time` ('hh:mm:ss' or 'hh:mm:ss.mmm'). */
function ev(user: string | number, type: UaEvent['type'], time: string, app?: string): Row {
  const row: Row = { user, type, time: day('10', time) };
  if (app !== undefined) row.app = app;
  return row;
}

const BASE: ReportOptions = { range: 1, end: '2026-03-10', timeZone: 'UTC' };
function report(events: unknown[], options: Partial<ReportOptions> = {}): Report {
  return computeReport(events, { ...BASE, ...options });
}
const totals = (events: unknown[], options: Partial<ReportOptions> = {}): Metrics =>
  report(events, options).totals;
const withoutDiagnostics = (r: Report) => ({ ...r, diagnostics: undefined });

describe('engine rules: events and times', () => {
  it('accepts unsorted input and gives the same report as sorted input', () => {
    const sorted = [
      ev('u', 'open', '10:00:00'),
      ev('u', 'page', '10:00:05'),
      ev('u', 'page', '10:01:00'),
      ev('u', 'hide', '10:02:00'),
    ];
    const r = report([...sorted].reverse());
    // One open 10:00:00 → hide 10:02:00: 120 s; two page visits; one (new, active) user.
    expect(r.series[10]).to.deep.equal({
      start: day('10', '10:00:00'),
      newUsers: 1,
      activeUsers: 1,
      opens: 1,
      pageVisits: 2,
      avgDurationPerOpen: 120,
      avgDurationPerUser: 120,
      avgOpensPerUser: 1,
    });
    expect(r).to.deep.equal(report(sorted));
  });

  it('takes epoch ms and ISO times with Z, z, offsets, T, t or space as the same instants', () => {
    const r = report([
      // 10:00:00.7 as a number: floored to 10:00:00.000.
      { user: 'u', type: 'open', time: Date.UTC(2026, 2, 10, 10, 0, 0) + 0.7 },
      { user: 'u', type: 'page', time: '2026-03-10T18:00:30+08:00' }, // 10:00:30Z
      { user: 'u', type: 'page', time: '2026-03-10 05:01:00-0500' }, // 10:01:00Z
      { user: 'u', type: 'page', time: '2026-03-10t10:01:10z' }, // 10:01:10Z
      // 06:01:30.9999-04:00 = 10:01:30.9999Z, truncated to .999
      { user: 'u', type: 'hide', time: '2026-03-10T06:01:30.9999-04:00' },
    ]);
    // One open, 10:00:00.000 → 10:01:30.999 = 90.999 s, three pages, all in hour 10.
    expect(r.series[10].opens).to.equal(1);
    expect(r.series[10].pageVisits).to.equal(3);
    expect(r.series[10].avgDurationPerOpen).to.be.closeTo(90.999, 1e-9);
    expect(r.diagnostics).to.deep.equal({ accepted: 5, rejected: 0, reasons: {} });
  });

  it('rejects a date alone, a time without offset and out-of-range fields', () => {
    const times = [
      '2026-03-10', // a date alone
      '2026-03-10T10:00:00', // no offset
      '2026-03-10T24:00:00Z', // hour 24
      '2026-02-29T10:00:00Z', // 2026 is not a leap year
      '2026-03-10T10:00:00+08', // offset without minutes
      '2026-03-10T10:60:00Z', // minute 60
    ];
    const r = report([
      ...times.map((time) => ({ user: 'u', type: 'page', time })),
      ev('u', 'page', '10:00:00'),
    ]);
    expect(r.diagnostics).to.deep.equal({ accepted: 1, rejected: 6, reasons: { 'bad-time': 6 } });
    expect(r.totals.pageVisits).to.equal(1);
  });

  it('takes a numeric user id as its decimal string: 42 and "42" are one user', () => {
    const t = totals([
      ev(42, 'open', '10:00:00'),
      ev('42', 'page', '10:00:30'), // inside 42's segment
      ev(42, 'hide', '10:01:00'),
    ]);
    // One user, one open of 60 s, one page.
    expect(t).to.deep.equal({
      newUsers: 1,
      activeUsers: 1,
      opens: 1,
      pageVisits: 1,
      avgDurationPerOpen: 60,
      avgDurationPerUser: 60,
      avgOpensPerUser: 1,
    });
  });

  describe('apps', () => {
    const events = [
      ev('u1', 'open', '10:00:00', 'a'),
      ev('u1', 'page', '10:00:30'), // app-less: belongs to every app
      ev('u1', 'hide', '10:01:00', 'a'),
      ev('u2', 'open', '11:00:00', 'b'),
      ev('u2', 'hide', '11:02:00', 'b'),
      ev('u3', 'page', '12:00:00'), // app-less, implicit segment of length 0
    ];

    it('with `app`, takes that app and the app-less events, as one stream per user', () => {
      const r = report(events, { app: 'a' });
      // u1: one open (10:00–10:01, its app-less page inside) = 60 s; u3: one open of 0 s.
      // Active u1, u3 = 2; opens 2; pages 2; stay 60 s.
      expect(r.app).to.equal('a');
      expect(r.totals).to.deep.equal({
        newUsers: 2,
        activeUsers: 2,
        opens: 2,
        pageVisits: 2,
        avgDurationPerOpen: 30, // 60 / 2
        avgDurationPerUser: 30, // 60 / 2
        avgOpensPerUser: 1, // 2 / 2
      });
      // Rows of other apps count as accepted.
      expect(r.diagnostics).to.deep.equal({ accepted: 6, rejected: 0, reasons: {} });

      const b = report(events, { app: 'b' });
      // u2: 120 s; u1's app-less page: an implicit open of 0 s; u3: 0 s.
      expect(b.totals.activeUsers).to.equal(3);
      expect(b.totals.opens).to.equal(3);
      expect(b.totals.pageVisits).to.equal(2);
      expect(b.totals.avgDurationPerOpen).to.equal(40); // 120 / 3

      const none = report(events, { app: 'zzz' });
      // Only the app-less events: u1's page, u3's page: two opens of 0 s.
      expect(none.totals.activeUsers).to.equal(2);
      expect(none.totals.opens).to.equal(2);
    });

    it('without `app` and with several apps, each (user, app-or-none) is its own stream', () => {
      const t = totals(events);
      // u1/a: one open 60 s; u1/none: the page at 10:00:30 is an open of its own (0 s);
      // u2/b: 120 s; u3/none: 0 s. Opens 4, stay 180 s; users 3.
      expect(t.opens).to.equal(4);
      expect(t.activeUsers).to.equal(3);
      expect(t.avgDurationPerOpen).to.equal(45); // 180 / 4
      expect(t.avgDurationPerUser).to.equal(60); // 180 / 3
    });

    it('with one app in the data and no `app`, the app-less events are still a stream of their own', () => {
      // SPEC §2: without a filter, each app's events of a user form their own stream and the
      // app-less events one more — also when the data holds a single app.
      const t = totals(events.filter((e) => e.app !== 'b'));
      // u1/a: one open of 60 s; u1/none: the page at 10:00:30 is an open of its own (0 s);
      // u3/none: 0 s. Opens 3, stay 60 s.
      expect(t.opens).to.equal(3);
      expect(t.avgDurationPerOpen).to.equal(20);
      // With the app as a filter, the same rows are one stream per user: u1 60 s, u3 0 s.
      const a = report(
        events.filter((e) => e.app !== 'b'),
        { app: 'a' },
      ).totals;
      expect(a.opens).to.equal(2);
      expect(a.avgDurationPerOpen).to.equal(30);
    });
  });
});

describe('engine rules: opens and stay', () => {
  it('merges an open 29.999 s after the previous segment’s end; exactly 30 s starts a new one', () => {
    const merged = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:00:10'),
      ev('a', 'open', '10:00:39.999'), // 29.999 s after the hide
      ev('a', 'hide', '10:00:50'),
    ]);
    // One open; stay 10 s + 10.001 s = 20.001 s.
    expect(merged.opens).to.equal(1);
    expect(merged.avgDurationPerOpen).to.be.closeTo(20.001, 1e-9);
    const split = totals([
      ev('b', 'open', '10:00:00'),
      ev('b', 'hide', '10:00:10'),
      ev('b', 'open', '10:00:40'), // exactly 30 s
      ev('b', 'hide', '10:00:50'),
    ]);
    // Two opens of 10 s each.
    expect(split.opens).to.equal(2);
    expect(split.avgDurationPerOpen).to.equal(10);
    expect(split.avgDurationPerUser).to.equal(20);
  });

  it('measures the gap from the segment’s end, not from the open’s start', () => {
    const t = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'page', '10:05:00'),
      ev('a', 'hide', '10:10:00'),
      ev('a', 'open', '10:10:20'), // 20 s after the hide, 10 min 20 s after the open
      ev('a', 'hide', '10:11:00'),
    ]);
    // One open: 600 s + 40 s = 640 s.
    expect(t.opens).to.equal(1);
    expect(t.avgDurationPerOpen).to.equal(640);
  });

  it('uses mergeGapMs instead of 30 s when given', () => {
    const events = [
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:00:10'),
      ev('a', 'open', '10:00:15'), // 5 s after the hide
      ev('a', 'hide', '10:00:20'),
    ];
    expect(totals(events).opens).to.equal(1); // 5 s < 30 s
    expect(totals(events, { mergeGapMs: 5000 }).opens).to.equal(2); // 5 s is not < 5 s
    expect(totals(events, { mergeGapMs: 5001 }).opens).to.equal(1);
    expect(totals(events, { mergeGapMs: 0 }).opens).to.equal(2);
  });

  it('ends a segment without hide at its last page, or gives it length 0', () => {
    const t = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'page', '10:00:20'),
      ev('a', 'page', '10:01:00'),
      // no hide: the segment ends at 10:01:00 → 60 s
      ev('b', 'open', '10:00:00'), // no page, no hide: 0 s
    ]);
    // Opens 2, stay 60 s.
    expect(t.opens).to.equal(2);
    expect(t.avgDurationPerOpen).to.equal(30);
  });

  it('ends the previous segment at its last event when a second open comes without hide', () => {
    const apart = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'page', '10:00:10'),
      // Segment 1 ends at 10:00:10 (its last event); the open is 35 s later: a new open.
      ev('a', 'open', '10:00:45'),
      ev('a', 'hide', '10:01:45'),
    ]);
    // Opens 2: 10 s and 60 s.
    expect(apart.opens).to.equal(2);
    expect(apart.avgDurationPerOpen).to.equal(35);
    const merged = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'page', '10:00:40'),
      ev('a', 'open', '10:01:00'), // 20 s after 10:00:40: merged
      ev('a', 'hide', '10:02:00'),
    ]);
    // One open: 40 s + 60 s.
    expect(merged.opens).to.equal(1);
    expect(merged.avgDurationPerOpen).to.equal(100);
  });

  it('starts an implicit segment at a page whose open was lost, with the merge rule', () => {
    const lost = totals([
      ev('a', 'page', '10:00:00'),
      ev('a', 'page', '10:00:30'),
      ev('a', 'hide', '10:01:00'),
    ]);
    // One open 10:00:00–10:01:00.
    expect(lost).to.include({ opens: 1, pageVisits: 2, avgDurationPerOpen: 60 });
    const near = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:01:00'),
      ev('a', 'page', '10:01:29'), // 29 s after the hide: continues the open
      ev('a', 'hide', '10:01:59'),
    ]);
    // One open: 60 s + 30 s.
    expect(near).to.include({ opens: 1, avgDurationPerOpen: 90 });
    const far = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:01:00'),
      ev('a', 'page', '10:01:30'), // 30 s: a new open
      ev('a', 'hide', '10:02:00'),
    ]);
    // Two opens: 60 s and 30 s.
    expect(far).to.include({ opens: 2, avgDurationPerOpen: 45 });
  });

  it('ignores a hide outside any segment', () => {
    const t = totals([
      ev('a', 'hide', '09:59:00'),
      ev('a', 'hide', '10:00:00'),
      ev('a', 'open', '10:00:10'),
      ev('a', 'hide', '10:00:20'),
      ev('a', 'hide', '10:05:00'), // does not extend the segment
      ev('b', 'hide', '10:00:00'), // b has only a hide: not active, not new
    ]);
    expect(t).to.deep.equal({
      newUsers: 1,
      activeUsers: 1,
      opens: 1,
      pageVisits: 0,
      avgDurationPerOpen: 10,
      avgDurationPerUser: 10,
      avgOpensPerUser: 1,
    });
  });

  it('orders equal times as hide, open, page', () => {
    // At 10:00:00 a hide and an open: hide first (stray, ignored), then the open, which the
    // hide at 10:01 closes: 60 s. (Open first would close at once and give 40 s.)
    const a = totals([
      ev('a', 'hide', '10:00:00'),
      ev('a', 'open', '10:00:00'),
      ev('a', 'page', '10:00:20'),
      ev('a', 'hide', '10:01:00'),
    ]);
    expect(a).to.include({ opens: 1, avgDurationPerOpen: 60 });
    // At 10:00:30 a page and a hide, given page first: the hide closes the segment at
    // 10:00:30 (30 s), then the page starts an implicit segment (gap 0: same open) that the
    // hide at 10:02 closes (90 s). Total 120 s. (Page first would give 30 s.)
    const b = totals([
      ev('b', 'open', '10:00:00'),
      ev('b', 'page', '10:00:30'),
      ev('b', 'hide', '10:00:30'),
      ev('b', 'hide', '10:02:00'),
    ]);
    expect(b).to.include({ opens: 1, pageVisits: 1, avgDurationPerOpen: 120 });
  });

  it('orders equal times as hide, open, page also in the comparator sort (far-off times, an app column)', () => {
    // A hide and an open at 10:01:00, given open first. Hide first: 10:00 → 10:01 (60 s), then
    // the open 0 s later continues it until 10:02 (60 s): 1 open, 120 s. Open first would end
    // the first segment at its last event (10:00, 0 s), start a second open (60 s later) that
    // the hide closes at once: 2 opens, 0 s.
    const tie = (user: string, app?: string) => [
      ev(user, 'open', '10:00:00', app),
      ev(user, 'open', '10:01:00', app),
      ev(user, 'hide', '10:01:00', app),
      ev(user, 'hide', '10:02:00', app),
    ];
    expect(totals(tie('a'))).to.include({ opens: 1, avgDurationPerOpen: 120 });
    // A page of the same user past 2^50 ms: time × 4 + kind is not exact, the comparator sorts.
    const far = [...tie('a'), { user: 'a', type: 'page', time: 2 ** 51 }];
    expect(totals(far)).to.include({ opens: 1, avgDurationPerOpen: 120 });
    // All apps with users × (apps + 1) = 25 001 × 3 above the events and 2^16: one slot per
    // user with an app column, sorted by the comparator. 25 000 users with a stray hide in 'x' (ignored) make
    // that so.
    const fillers = Array.from({ length: 25_000 }, (_, i) => ev(`f${i}`, 'hide', '09:00:00', 'x'));
    const column = totals([...tie('a', 'a'), ...fillers]);
    expect(column).to.include({ opens: 1, activeUsers: 1, avgDurationPerOpen: 120 });
  });

  it('counts stay as foreground time only', () => {
    const t = totals([
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:01:00'),
      ev('a', 'open', '10:01:20'), // 20 s in background: merged, not stay
      ev('a', 'hide', '10:02:20'),
    ]);
    // One open, 60 s + 60 s = 120 s (not 140 s).
    expect(t).to.include({ opens: 1, avgDurationPerOpen: 120 });
  });

  it('puts an open and all its stay in the bucket where it starts', () => {
    const r = report([
      ev('a', 'open', '10:59:50'),
      ev('a', 'page', '11:00:10'),
      ev('a', 'hide', '11:10:00'),
    ]);
    // Hour 10: the open, 10:59:50 → 11:10:00 = 610 s. Hour 11: the page only.
    expect(r.series[10]).to.include({ opens: 1, activeUsers: 1, pageVisits: 0 });
    expect(r.series[10].avgDurationPerOpen).to.equal(610);
    expect(r.series[11]).to.include({
      opens: 0,
      activeUsers: 1,
      pageVisits: 1,
      avgDurationPerUser: 0,
      avgDurationPerOpen: 0,
    });
  });

  it('keeps an open crossing midnight (also merged) in the day it starts', () => {
    // Range 7 ending 2026-03-10: series[4] is 2026-03-08, series[5] is 2026-03-09.
    const r = report(
      [
        { user: 'a', type: 'open', time: day('08', '23:59:00') },
        { user: 'a', type: 'hide', time: day('09', '00:01:00') },
        { user: 'b', type: 'open', time: day('08', '23:58:00') },
        { user: 'b', type: 'hide', time: day('08', '23:59:45') },
        { user: 'b', type: 'open', time: day('09', '00:00:05') }, // 20 s later: merged
        { user: 'b', type: 'hide', time: day('09', '00:01:05') },
      ],
      { range: 7 },
    );
    // 03-08: a's open 120 s; b's open 105 s + 60 s = 165 s. Two opens, 285 s.
    expect(r.series[4]).to.include({ opens: 2, activeUsers: 2 });
    expect(r.series[4].avgDurationPerOpen).to.equal(142.5);
    // 03-09: b's second open event makes b active, but no open starts there.
    expect(r.series[5]).to.include({ opens: 0, activeUsers: 1, avgDurationPerUser: 0 });
  });

  it('keeps an open crossing the period end or start in the window it starts in', () => {
    const r = report([
      { user: 'a', type: 'open', time: day('10', '23:59:00') },
      { user: 'a', type: 'hide', time: day('11', '00:09:00') }, // after the period
      { user: 'b', type: 'open', time: day('09', '23:59:50') }, // comparison window
      { user: 'b', type: 'page', time: day('10', '00:00:05') },
      { user: 'b', type: 'hide', time: day('10', '00:00:20') },
    ]);
    // Hour 23: a's open of 600 s.
    expect(r.series[23]).to.include({ opens: 1, avgDurationPerOpen: 600 });
    // Period: opens 1 (a's), 600 s; users a and b (b's page at 00:00:05) → 2.
    expect(r.totals).to.include({ opens: 1, activeUsers: 2, pageVisits: 1 });
    expect(r.totals.avgDurationPerUser).to.equal(300);
    // Hour 0: b is active with one page, but b's open started the day before.
    expect(r.series[0]).to.include({ opens: 0, activeUsers: 1, pageVisits: 1 });
    // Comparison day: b's open of 30 s.
    expect(r.previousTotals).to.include({ opens: 1, activeUsers: 1, avgDurationPerOpen: 30 });
  });
});

describe('engine rules: users', () => {
  // Range 7 ending 2026-03-10: series = 03-04 … 03-10, previousSeries = 02-25 … 03-03.
  const events = [
    { user: 'a', type: 'page', time: day('02', '12:00:00') }, // previousSeries[5]
    { user: 'a', type: 'page', time: day('05', '12:00:00') },
    { user: 'b', type: 'open', time: day('06', '08:00:00') }, // series[2]
    { user: 'd', type: 'hide', time: day('04', '01:00:00') }, // a hide is not a sighting
    { user: 'd', type: 'page', time: day('05', '01:00:00') }, // series[1]
    { user: 42, type: 'page', time: day('09', '10:00:00') }, // series[5]
  ];
  const newUsers = (r: Report) => r.series.map((p) => p.newUsers);

  it('counts new users in the bucket of their first open or page', () => {
    const r = report(events, { range: 7 });
    expect(newUsers(r)).to.deep.equal([0, 1, 1, 0, 0, 1, 0]); // d, b, 42
    expect(r.totals.newUsers).to.equal(3);
    expect(r.previousSeries![5].newUsers).to.equal(1); // a, 2026-03-02
    expect(r.previousTotals.newUsers).to.equal(1);
  });

  it('uses firstSeen when it is earlier than the first event', () => {
    const r = report(events, {
      range: 7,
      firstSeen: {
        b: at('2026-02-01T00:00:00Z'), // seen long ago: not new
        a: day('08', '00:00:00'), // later than a's first event: ignored
        c: day('07', '00:00:00'), // not in the events: not counted
        '42': day('04', '06:00:00'), // the numeric user 42: new on 03-04
      },
    });
    expect(newUsers(r)).to.deep.equal([1, 1, 0, 0, 0, 0, 0]); // 42, d
    expect(r.totals.newUsers).to.equal(2);
    expect(r.previousTotals.newUsers).to.equal(1); // a, still 2026-03-02
    // Active users are unaffected: a (03-05), b, d, 42.
    expect(r.totals.activeUsers).to.equal(4);
  });

  it('counts active users distinct per bucket and per period (not a sum)', () => {
    const t = report([
      ev('a', 'page', '10:05:00'), // implicit open …
      ev('a', 'page', '10:10:00'), // … 300 s
      ev('a', 'open', '11:00:00'), // 50 min later: a new open of 60 s
      ev('a', 'hide', '11:01:00'),
      ev('b', 'page', '11:30:00'), // an open of 0 s
    ]);
    expect(t.series[10]).to.include({ activeUsers: 1, opens: 1, avgDurationPerUser: 300 });
    // Hour 11: a and b; opens a's and b's; stay 60 s.
    expect(t.series[11]).to.include({ activeUsers: 2, opens: 2, avgDurationPerUser: 30 });
    // Period: users {a, b} = 2, not 1 + 2 = 3; opens 3; stay 360 s.
    expect(t.totals).to.deep.equal({
      newUsers: 2,
      activeUsers: 2,
      opens: 3,
      pageVisits: 3,
      avgDurationPerOpen: 120, // 360 / 3
      avgDurationPerUser: 180, // 360 / 2
      avgOpensPerUser: 1.5, // 3 / 2
    });
  });
});

describe('engine rules: periods', () => {
  const starts = (r: Report) => r.series.map((p) => new Date(p.start).toISOString());

  it('compares range 1 with the day before', () => {
    const r = report([]);
    expect(r.granularity).to.equal('hour');
    expect(r.period).to.deep.equal({ start: day('10', '00:00:00'), end: day('11', '00:00:00') });
    expect(r.previous).to.deep.equal({ start: day('09', '00:00:00'), end: day('10', '00:00:00') });
    expect(r.series).to.have.length(24);
    expect(r.series[13].start).to.equal(day('10', '13:00:00'));
    expect(r.previousSeries![0].start).to.equal(day('09', '00:00:00'));
  });

  it('compares range 7 with days 8–14 back (the 7 days before the period)', () => {
    const r = report([], { range: 7 });
    // Period 03-04 … 03-10; comparison 02-25 … 03-03 (2026 is not a leap year).
    expect(r.granularity).to.equal('day');
    expect(r.period).to.deep.equal({ start: day('04', '00:00:00'), end: day('11', '00:00:00') });
    expect(r.previous).to.deep.equal({
      start: at('2026-02-25T00:00:00Z'),
      end: day('04', '00:00:00'),
    });
    expect(starts(r)[0]).to.equal('2026-03-04T00:00:00.000Z');
    expect(starts(r)[6]).to.equal('2026-03-10T00:00:00.000Z');
    expect(r.previousSeries!.map((p) => p.start)[0]).to.equal(at('2026-02-25T00:00:00Z'));
  });

  it('compares range 30 with days 31–60 back', () => {
    const r = report([], { range: 30 });
    // 03-10 minus 29 days = 02-09; the comparison is the 30 days before: 01-10 … 02-08.
    expect(r.period).to.deep.equal({
      start: at('2026-02-09T00:00:00Z'),
      end: day('11', '00:00:00'),
    });
    expect(r.previous).to.deep.equal({
      start: at('2026-01-10T00:00:00Z'),
      end: at('2026-02-09T00:00:00Z'),
    });
    expect(r.series).to.have.length(30);
    expect(r.previousSeries).to.have.length(30);
  });

  it('counts events on the window edges half-open', () => {
    const page = (time: number) => ({ user: `u${time}`, type: 'page', time });
    const r = report([
      page(day('09', '00:00:00') - 1), // before the comparison window: nowhere
      page(day('09', '00:00:00')), // previousSeries[0]
      page(day('10', '00:00:00') - 1), // previousSeries[23]
      page(day('10', '00:00:00')), // series[0]
      page(day('11', '00:00:00') - 1), // series[23]
      page(day('11', '00:00:00')), // after the period: nowhere
    ]);
    expect(r.previousSeries![0].pageVisits).to.equal(1);
    expect(r.previousSeries![23].pageVisits).to.equal(1);
    expect(r.series[0].pageVisits).to.equal(1);
    expect(r.series[23].pageVisits).to.equal(1);
    expect(r.totals.pageVisits).to.equal(2);
    expect(r.previousTotals.pageVisits).to.equal(2);
  });

  it('defaults `end` to yesterday in the report’s time zone (T+1)', () => {
    const now = at('2026-03-10T01:00:00Z');
    // New York: 2026-03-09 21:00 local, so yesterday is 03-08.
    expect(computeReport([], { range: 1, timeZone: 'America/New_York', now }).end).to.equal(
      '2026-03-08',
    );
    // UTC: 2026-03-10 → 03-09. Shanghai: 2026-03-10 09:00 → 03-09.
    expect(computeReport([], { range: 7, timeZone: 'UTC', now }).end).to.equal('2026-03-09');
    expect(computeReport([], { range: 7, timeZone: 'Asia/Shanghai', now }).end).to.equal(
      '2026-03-09',
    );
    // Shanghai at 2026-03-09T16:00Z is already 03-10 00:00: yesterday is 03-09.
    expect(
      computeReport([], { range: 1, timeZone: 'Asia/Shanghai', now: at('2026-03-09T16:00:00Z') })
        .end,
    ).to.equal('2026-03-09');
  });

  const dst: [string, string, number, string, string][] = [
    // zone, day, hourly buckets, first bucket, period end (UTC)
    ['America/New_York', '2026-03-08', 23, '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['America/New_York', '2026-11-01', 25, '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', 23, '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', 25, '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    ['Asia/Shanghai', '2026-03-29', 24, '2026-03-28T16:00:00.000Z', '2026-03-29T16:00:00.000Z'],
  ];
  for (const [timeZone, end, hours, first, last] of dst) {
    it(`gives ${end} in ${timeZone} ${hours} hourly buckets`, () => {
      const r = computeReport([], { range: 1, end, timeZone });
      expect(r.series).to.have.length(hours);
      expect(starts(r)[0]).to.equal(first);
      expect(new Date(r.period.end).toISOString()).to.equal(last);
      // Every bucket is one real hour long.
      expect(r.period.end - r.period.start).to.equal(hours * 3_600_000);
      r.series.forEach((p, i) => expect(p.start).to.equal(r.period.start + i * 3_600_000));
    });
  }

  it('places events in local hours across the New York spring-forward', () => {
    // 2026-03-08: 00:00 EST = 05:00Z, 01:00 EST = 06:00Z, then 03:00 EDT = 07:00Z.
    const r = computeReport(
      [
        { user: 'a', type: 'page', time: '2026-03-08T01:59:59-05:00' }, // series[1]
        { user: 'a', type: 'page', time: '2026-03-08T03:00:00-04:00' }, // series[2]
        { user: 'a', type: 'page', time: '2026-03-08T23:59:59-04:00' }, // series[22]
      ],
      { range: 1, end: '2026-03-08', timeZone: 'America/New_York' },
    );
    expect(r.series.map((p) => p.pageVisits).join('')).to.equal('01100000000000000000001');
  });

  it('gives a 23-hour day of a 7-day period in New York', () => {
    const r = computeReport([], { range: 7, end: '2026-03-10', timeZone: 'America/New_York' });
    // 03-08 starts 05:00Z (EST), 03-09 starts 04:00Z (EDT).
    expect(starts(r)[4]).to.equal('2026-03-08T05:00:00.000Z');
    expect(starts(r)[5]).to.equal('2026-03-09T04:00:00.000Z');
    expect(new Date(r.previous.start).toISOString()).to.equal('2026-02-25T05:00:00.000Z');
  });

  it('uses Asia/Shanghai local days (UTC+8, no DST)', () => {
    const r = computeReport(
      [
        { user: 'a', type: 'open', time: '2026-03-09T16:30:00Z' }, // 03-10 00:30 local
        { user: 'a', type: 'hide', time: '2026-03-09T16:31:00Z' },
        { user: 'b', type: 'page', time: '2026-03-10T15:59:59.999Z' }, // 03-10 23:59:59.999
        { user: 'c', type: 'page', time: '2026-03-10T16:00:00Z' }, // 03-11: outside
      ],
      { range: 1, end: '2026-03-10', timeZone: 'Asia/Shanghai' },
    );
    expect(r.period.start).to.equal(at('2026-03-09T16:00:00Z'));
    expect(r.series[0]).to.include({ opens: 1, avgDurationPerOpen: 60 });
    expect(r.series[23]).to.include({ pageVisits: 1, activeUsers: 1 });
    expect(r.totals.activeUsers).to.equal(2);
  });
});

describe('engine rules: averages and growth', () => {
  it('computes averages as ratios of totals, never means of bucket averages', () => {
    const r = report([
      ev('a', 'open', '10:00:00'),
      ev('a', 'hide', '10:00:10'), // hour 10: 1 open, 10 s
      ev('b', 'open', '11:00:00'),
      ev('b', 'hide', '11:00:30'),
      ev('c', 'open', '11:00:00'),
      ev('c', 'hide', '11:00:30'),
      ev('d', 'open', '11:00:00'),
      ev('d', 'hide', '11:00:30'), // hour 11: 3 opens, 90 s
    ]);
    expect(r.series[10].avgDurationPerOpen).to.equal(10);
    expect(r.series[11].avgDurationPerOpen).to.equal(30);
    // Period: 100 s / 4 opens = 25 (the mean of bucket averages would be 20).
    expect(r.totals.avgDurationPerOpen).to.equal(25);
    expect(r.totals.avgDurationPerUser).to.equal(25); // 100 s / 4 users
  });

  it('gives 0 for averages over a zero denominator', () => {
    const r = report([]);
    expect(r.totals).to.deep.equal({
      newUsers: 0,
      activeUsers: 0,
      opens: 0,
      pageVisits: 0,
      avgDurationPerOpen: 0,
      avgDurationPerUser: 0,
      avgOpensPerUser: 0,
    });
    // Active but no open starting in the window: per-open 0, per-user 0.
    const t = totals([
      { user: 'a', type: 'open', time: day('09', '23:59:50') },
      { user: 'a', type: 'page', time: day('10', '00:00:05') },
    ]);
    expect(t).to.include({ activeUsers: 1, opens: 0, avgDurationPerOpen: 0, avgOpensPerUser: 0 });
  });

  it('rounds growth half away from zero, replaces a previous 0 by 1 and never gives −0', () => {
    expect(growthOf(5, 0)).to.equal(500); // (5 − 0) / 1
    expect(growthOf(0, 0)).to.equal(0);
    expect(growthOf(7, 8)).to.equal(-13); // −12.5 %
    expect(growthOf(9, 8)).to.equal(13); // +12.5 %
    expect(growthOf(3, 8)).to.equal(-63); // −62.5 %
    expect(Object.is(growthOf(999.996, 1000), 0)).to.equal(true); // −0.0004 % → 0, not −0
    expect(Object.is(growthOf(0, 0), 0)).to.equal(true);
    // Float noise is snapped away before rounding: 0.9 over 0.8 is +12.5 % in real numbers,
    // 12.499999999999996 in floats → 13; 1.005 over 1 is +0.5 %, 0.4999999999999893 → 1.
    expect(growthOf(0.9, 0.8)).to.equal(13);
    expect(growthOf(1.005, 1)).to.equal(1);
  });

  it('fills growth from the totals of the two windows', () => {
    const opens = (d: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        user: `${d}${i}`,
        type: 'open',
        time: day(d, '12:00:00'),
      }));
    // Previous day: 8 users with one open each (no hide: 0 s); period: 7 such users. Each
    // user is new on the day of their open, so newUsers also goes 8 → 7.
    const r = report([...opens('09', 8), ...opens('10', 7)]);
    expect(r.previousTotals).to.include({ opens: 8, activeUsers: 8, newUsers: 8 });
    expect(r.growth).to.deep.equal({
      newUsers: -13, // −12.5 %
      activeUsers: -13,
      opens: -13,
      pageVisits: 0, // 0 → 0
      avgDurationPerOpen: 0,
      avgDurationPerUser: 0,
      avgOpensPerUser: 0, // 1 → 1
    });
    const up = report(opens('10', 5));
    expect(up.growth.opens).to.equal(500); // 0 → 5
    expect(Object.is(up.growth.pageVisits, 0)).to.equal(true);
  });
});

describe('engine rules: bad rows', () => {
  const good = [
    ev('a', 'open', '10:00:00'),
    ev('a', 'page', '10:00:10'),
    ev('a', 'hide', '10:01:00'),
    ev('b', 'page', '11:00:00'),
  ];
  const bad = [
    null, // not-object
    5, // not-object
    'open', // not-object
    [{ user: 'a', type: 'open', time: 0 }], // not-object (an array)
    { user: 'a', type: 'click', time: day('10', '10:00:00') }, // bad-type
    { user: 'a', time: day('10', '10:00:00') }, // bad-type (missing)
    { user: '', type: 'click', time: 'x' }, // bad-type: checked before the user
    { type: 'page', time: day('10', '10:00:30') }, // bad-user (missing)
    { user: '', type: 'page', time: day('10', '10:00:30') }, // bad-user
    { user: NaN, type: 'page', time: day('10', '10:00:30') }, // bad-user
    { user: { id: 1 }, type: 'page', time: day('10', '10:00:30') }, // bad-user
    { user: '', type: 'page', time: 'x' }, // bad-user: checked before the time
    { user: 'a', type: 'page', time: '2026-03-10' }, // bad-time
    { user: 'a', type: 'page', time: Infinity }, // bad-time
    { user: 'a', type: 'page' }, // bad-time (missing)
    { user: 'a', type: 'page', time: 'x', app: true }, // bad-time: checked before the app
    { user: 'a', type: 'page', time: day('10', '10:00:30'), app: true }, // bad-app
    { user: 'a', type: 'page', time: day('10', '10:00:30'), app: { id: 'a' } }, // bad-app
  ];

  it('counts bad rows by reason and leaves the good rows’ report unchanged', () => {
    const clean = report(good);
    const r = report([bad[0], ...good.slice(0, 2), ...bad.slice(1), ...good.slice(2)]);
    expect(r.diagnostics).to.deep.equal({
      accepted: 4,
      rejected: 18,
      reasons: { 'not-object': 4, 'bad-type': 3, 'bad-user': 5, 'bad-time': 4, 'bad-app': 2 },
    });
    expect(r.diagnostics!.accepted + r.diagnostics!.rejected).to.equal(good.length + bad.length);
    expect(withoutDiagnostics(r)).to.deep.equal(withoutDiagnostics(clean));
    // The good rows: a's open of 60 s with 1 page, b's page (an open of 0 s).
    expect(r.totals).to.include({
      activeUsers: 2,
      opens: 2,
      pageVisits: 2,
      avgDurationPerOpen: 30,
    });
  });

  it('rejects a row without a user even as the first row (the parser skips the lookup for repeats)', () => {
    // The parser remembers the previous row's user; before any row there is none, and a
    // missing user must not pass for it. Then a user repeated after a bad one is still found.
    const r = report([
      { type: 'open', time: day('10', '10:00:00') }, // bad-user (missing), first row
      { user: undefined, type: 'page', time: day('10', '10:00:01') }, // bad-user
      ev('a', 'open', '10:00:02'),
      { user: 'a', type: 'page', time: 'x' }, // bad-time, same user as before
      ev('a', 'page', '10:00:03'),
    ]);
    expect(r.diagnostics).to.deep.equal({
      accepted: 2,
      rejected: 3,
      reasons: { 'bad-user': 2, 'bad-time': 1 },
    });
    expect(r.totals).to.include({ activeUsers: 1, opens: 1, pageVisits: 1 });
  });

  it('treats an app of "", null or undefined as no app', () => {
    const r = report(
      [
        { user: 'a', type: 'page', time: day('10', '10:00:00'), app: '' },
        { user: 'b', type: 'page', time: day('10', '10:00:00'), app: null },
        { user: 'c', type: 'page', time: day('10', '10:00:00'), app: undefined },
        { user: 'd', type: 'page', time: day('10', '10:00:00'), app: 'other' },
      ],
      { app: 'mine' },
    );
    expect(r.totals.activeUsers).to.equal(3);
    expect(r.diagnostics).to.deep.equal({ accepted: 4, rejected: 0, reasons: {} });
  });
});

describe('engine rules: invalid options', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['range 5', { range: 5 }, /range/],
    ["end '2026-13-01'", { end: '2026-13-01' }, /end/],
    ["end '2026-02-30'", { end: '2026-02-30' }, /end/],
    ["end '2026-3-1'", { end: '2026-3-1' }, /end/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, /timeZone/],
    ['a negative mergeGapMs', { mergeGapMs: -1 }, /mergeGapMs/],
    ['a NaN mergeGapMs', { mergeGapMs: NaN }, /mergeGapMs/],
    ['an empty time zone', { timeZone: '' }, /timeZone/],
    ['a non-string app', { app: 5 }, /app/],
    ['a firstSeen that is not an object', { firstSeen: 'x' }, /firstSeen/],
    ['a clock outside the Date range', { end: undefined, now: 1e300 }, /now/],
    ['a clock 1 ms past the Date range', { end: undefined, now: -8.64e15 - 1 }, /now/],
    ['a clock given as a string', { end: undefined, now: '1773100800000' }, /now/],
    ['an infinite mergeGapMs', { mergeGapMs: Infinity }, /mergeGapMs/],
  ];
  it('throws a RangeError for options that are not an object', () => {
    for (const options of [null, undefined, 7]) {
      expect(() => computeReport([], options as unknown as ReportOptions)).to.throw(
        RangeError,
        'options: expected an object with a range',
      );
    }
  });

  it('defaults the time zone to the runtime’s', () => {
    const r = computeReport([], { range: 1, end: '2026-03-10' });
    expect(r.timeZone).to.equal(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('takes null for app and firstSeen as "none"', () => {
    const r = report([ev('a', 'page', '10:00:00')], { app: null, firstSeen: null } as never);
    expect(r.app).to.equal(null);
    expect(r.totals.newUsers).to.equal(1);
  });

  for (const [name, patch, message] of cases) {
    it(`throws a RangeError naming the option for ${name}`, () => {
      expect(() =>
        computeReport([ev('a', 'page', '10:00:00')], { ...BASE, ...patch } as ReportOptions),
      ).to.throw(RangeError, message);
    });
  }
});

describe('engine rules: validateReport', () => {
  // Computed in each test, not when the file loads: code run at load time would be covered by
  // no test (a "static" mutant for Stryker, which then reloads the whole file per mutant).
  const valid = () =>
    report([ev('a', 'open', '10:00:00'), ev('a', 'hide', '10:01:00')], { range: 7 });
  // A JSON copy of the report, broken freely by each case.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const broken = (change: (copy: Record<string, any>) => void): string | null => {
    const copy = JSON.parse(JSON.stringify(valid()));
    change(copy);
    return validateReport(copy);
  };

  it('accepts computeReport’s output, also after a JSON round trip', () => {
    expect(validateReport(valid())).to.equal(null);
    expect(validateReport(report([]))).to.equal(null);
    expect(broken(() => {})).to.equal(null);
  });

  it('names the bad field of a broken report', () => {
    expect(broken((c) => delete c.totals.opens)).to.match(/totals\.opens/);
    expect(broken((c) => (c.previousTotals.newUsers = '5'))).to.match(/previousTotals\.newUsers/);
    expect(broken((c) => (c.series[3].opens = -1))).to.match(/series\[3\]\.opens/);
    expect(broken((c) => c.series.pop())).to.match(/series/);
    expect(broken((c) => c.series.reverse())).to.match(/series\[\d\]\.start/);
    expect(broken((c) => (c.range = 5))).to.match(/range/);
    expect(broken((c) => (c.growth.opens = null))).to.match(/growth\.opens/);
    expect(broken((c) => delete c.period)).to.match(/period/);
    // Growth may be negative; counts may not.
    expect(broken((c) => (c.growth.opens = -50))).to.equal(null);
  });

  // One break per rule, each with the sentence the store shows after "The report is malformed: ".
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rules: Array<[string, (c: Record<string, any>) => unknown, string]> = [
    ['an app that is a number', (c) => (c.app = 1), 'app must be a string or null'],
    ['a missing app', (c) => delete c.app, 'app must be a string or null'],
    ['range 5', (c) => (c.range = 5), 'range must be 1, 7 or 30'],
    ['an end with a time', (c) => (c.end = '2026-03-10T00'), "end must be a date 'YYYY-MM-DD'"],
    ['an end without its dashes', (c) => (c.end = '20260310'), "end must be a date 'YYYY-MM-DD'"],
    ['a numeric end', (c) => (c.end = 20260310), "end must be a date 'YYYY-MM-DD'"],
    ['an empty timeZone', (c) => (c.timeZone = ''), 'timeZone must be a time zone name'],
    ['a numeric timeZone', (c) => (c.timeZone = 8), 'timeZone must be a time zone name'],
    ['hours for range 7', (c) => (c.granularity = 'hour'), "granularity must be 'day' for range 7"],
    ['period not an object', (c) => (c.period = [1, 2]), 'period must be an object { start, end }'],
    [
      'period.start a string',
      (c) => (c.period.start = '1'),
      'period.start must be a number (epoch ms)',
    ],
    [
      'period.end infinite',
      (c) => (c.period.end = 'Infinity'),
      'period.end must be a number (epoch ms)',
    ],
    [
      'an empty period',
      (c) => (c.period.end = c.period.start),
      'period.start must be before period.end',
    ],
    [
      'previous.start null',
      (c) => (c.previous.start = null),
      'previous.start must be a number (epoch ms)',
    ],
    ['totals null', (c) => (c.totals = null), 'totals must be an object of the seven metrics'],
    ['a negative total', (c) => (c.totals.opens = -1), 'totals.opens must not be negative'],
    ['growth as a string', (c) => (c.growth.opens = '5'), 'growth.opens must be a number'],
    [
      'previous overlapping period',
      (c) => (c.previous.end = c.period.start + 1),
      'previous must end before period starts',
    ],
    ['series not an array', (c) => (c.series = {}), 'series must be an array'],
    ['6 daily points', (c) => c.series.pop(), 'series must have 7 daily points, has 6'],
    [
      'a point that is not an object',
      (c) => (c.series[2] = 5),
      'series[2] must be an object of the seven metrics',
    ],
    [
      'a point without start',
      (c) => delete c.series[2].start,
      'series[2].start must be a number (epoch ms)',
    ],
    [
      'two points at one time',
      (c) => (c.series[3].start = c.series[2].start),
      'series[3].start must be after the point before it',
    ],
    [
      'a first point after the window start',
      (c) => (c.series[0].start += 1),
      'series[0].start must be the start of its window',
    ],
    [
      'a first point before the window start',
      (c) => (c.series[0].start -= 1),
      'series[0].start is outside its window',
    ],
    [
      'a bad previousSeries',
      (c) => (c.previousSeries[1].opens = -2),
      'previousSeries[1].opens must not be negative',
    ],
    ['previousSeries null', (c) => (c.previousSeries = null), 'previousSeries must be an array'],
    ['diagnostics as a number', (c) => (c.diagnostics = 3), 'diagnostics must be an object'],
    ['diagnostics null', (c) => (c.diagnostics = null), 'diagnostics must be an object'],
  ];
  for (const [name, change, message] of rules) {
    it(`rejects ${name}: "${message}"`, () => {
      expect(broken(change)).to.equal(message);
    });
  }

  it('checks an hourly series for 23 to 25 points, and isReport agrees', () => {
    const day = report([ev('a', 'open', '10:00:00')]);
    const hours = (n: number) => {
      const copy = JSON.parse(JSON.stringify(day));
      const last = copy.series[23];
      copy.series = copy.series.slice(0, Math.min(n, 24));
      for (let i = 24; i < n; i++) copy.series.push({ ...last, start: last.start + (i - 23) });
      return copy;
    };
    expect(validateReport(hours(22))).to.equal('series must have 23 to 25 hourly points, has 22');
    expect(validateReport(hours(26))).to.equal('series must have 23 to 25 hourly points, has 26');
    for (const n of [23, 24, 25]) expect(validateReport(hours(n)), `${n} hours`).to.equal(null);
    expect(isReport(day)).to.equal(true);
    expect(isReport(hours(22))).to.equal(false);
    expect(isReport(null)).to.equal(false);
    for (const value of [null, [], [day], 'report', 7]) {
      expect(validateReport(value)).to.equal('the report must be a JSON object');
    }
  });

  it('rejects a series point at or after its window’s end (the end is exclusive)', () => {
    // The last daily point moved to the period's end: still ascending, but outside.
    expect(broken((c) => (c.series[6].start = c.period.end))).to.equal(
      'series[6].start is outside its window',
    );
    expect(broken((c) => (c.series[6].start = c.period.end + 86_400_000))).to.equal(
      'series[6].start is outside its window',
    );
    expect(broken((c) => (c.previousSeries[6].start = c.previous.end))).to.equal(
      'previousSeries[6].start is outside its window',
    );
    // One ms before the end is inside.
    expect(broken((c) => (c.series[6].start = c.period.end - 1))).to.equal(null);
  });
});
