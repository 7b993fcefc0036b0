/**
 * Property tests: the engine against the reference implementation on random messy event
 * sets, and invariants that hold for any input. Seeded, so a failure replays.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { EventParser, computeFromColumns, computeReport } from '../../src/engine/index.js';
import type { Metrics, SeriesPoint, UaEvent } from '../../src/engine/index.js';
import {
  interleaved,
  materialize,
  reportDifferences,
  optionsArb,
  prng,
  scenarioArb,
  shuffled,
  withoutDiagnostics,
  runSeeded,
} from './arbitraries.js';
import { referenceReport } from './reference.js';

const SEED = 20260310;

/** runSeeded with this file's label and seed. */
function run<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IPropertyWithHooks<Ts>,
  numRuns: number,
): void {
  runSeeded('engine property', SEED, name, property, numRuns);
}

const COUNTED: (keyof Metrics)[] = ['newUsers', 'opens', 'pageVisits'];
const sum = (series: SeriesPoint[], key: keyof Metrics) => series.reduce((s, p) => s + p[key], 0);

describe('engine properties', function () {
  this.timeout(60_000);

  it('computeReport equals the reference implementation', () => {
    run(
      'equals reference',
      fc.property(scenarioArb, (scenario) => {
        const { rows, options } = materialize(scenario);
        const actual = computeReport(rows, options);
        const expected = referenceReport(rows, options);
        expect(reportDifferences(actual, expected)).to.deep.equal([]);
      }),
      400,
    );
  });

  it('has series that add up to the totals, for both windows', () => {
    run(
      'series add up',
      fc.property(scenarioArb, (scenario) => {
        const { rows, options } = materialize(scenario);
        const r = computeReport(rows, options);
        for (const [series, totals] of [
          [r.series, r.totals],
          [r.previousSeries!, r.previousTotals],
        ] as const) {
          for (const key of COUNTED) expect(sum(series, key), key).to.equal(totals[key]);
          const active = series.map((p) => p.activeUsers);
          expect(totals.activeUsers).to.be.at.most(sum(series, 'activeUsers'));
          expect(totals.activeUsers).to.be.at.least(Math.max(0, ...active));
          // Stay adds up too: avg per open × opens, summed over buckets.
          const stay = series.reduce((s, p) => s + p.avgDurationPerOpen * p.opens, 0);
          expect(stay).to.be.closeTo(totals.avgDurationPerOpen * totals.opens, 1e-6 * (1 + stay));
        }
      }),
      150,
    );
  });

  it('does not depend on the order of the rows', () => {
    run(
      'order-independent',
      fc.property(scenarioArb, fc.integer(), (scenario, seed) => {
        const { rows, options } = materialize(scenario);
        const a = computeReport(rows, options);
        const b = computeReport(shuffled(rows, seed), options);
        expect(b).to.deep.equal(a);
      }),
      150,
    );
  });

  it('gives the same report from rows parsed in slices, from an iterable, and from reused columns', () => {
    run(
      'slices and reuse',
      fc.property(scenarioArb, optionsArb, fc.integer(), (scenario, other, seed) => {
        const { rows, options } = materialize(scenario);
        const whole = computeReport(rows, options);
        // Slices of random length through addRange, single rows through add.
        const parser = new EventParser(4);
        const random = prng(seed);
        for (let i = 0; i < rows.length;) {
          const n = Math.floor(random() * 5);
          if (n === 0) parser.add(rows[i++]);
          else {
            parser.addRange(rows, i, Math.min(rows.length, i + n));
            i += n;
          }
        }
        expect(parser.rows).to.equal(rows.length);
        const columns = parser.finish();
        expect(computeFromColumns(columns, options)).to.deep.equal(whole);
        // The columns are not modified by a report: another report, then the first again.
        const otherReport = computeFromColumns(columns, { ...other, firstSeen: options.firstSeen });
        expect(otherReport).to.deep.equal(
          computeReport(rows, { ...other, firstSeen: options.firstSeen }),
        );
        expect(computeFromColumns(columns, options)).to.deep.equal(whole);
        // Any iterable, not only arrays.
        expect(computeReport(new Set(rows), options)).to.deep.equal(whole);
      }),
      100,
    );
  });

  it('changes only diagnostics when bad rows are added', () => {
    const badRow = fc.oneof(
      fc.constantFrom(null, 0, 'open', true, [], [{ user: 'alice', type: 'open', time: 0 }]),
      fc.record({
        user: fc.constantFrom('alice', 42),
        type: fc.constantFrom('click', 'OPEN', ''),
        time: fc.nat(),
      }),
      fc.record({
        user: fc.constantFrom('', NaN, Infinity, null, {}),
        type: fc.constantFrom('open', 'page'),
        time: fc.nat(),
      }),
      fc.record({
        user: fc.constantFrom('alice', '__proto__'),
        type: fc.constantFrom('open', 'page', 'hide'),
        time: fc.constantFrom('2026-03-10', '2026-03-10T10:00:00', NaN, -Infinity, null, '', 'now'),
      }),
      fc.record({
        user: fc.constantFrom('alice', 7),
        type: fc.constantFrom('open', 'page'),
        time: fc.integer({ min: 1_767_000_000_000, max: 1_800_000_000_000 }),
        app: fc.constantFrom(true, {}, [], NaN, Infinity),
      }),
    );
    run(
      'bad rows change only diagnostics',
      fc.property(
        scenarioArb,
        fc.array(badRow, { minLength: 1, maxLength: 20 }),
        fc.integer(),
        (scenario, bad, seed) => {
          const { rows, options } = materialize(scenario);
          const clean = computeReport(rows, options);
          const dirty = computeReport(interleaved<unknown>(rows, bad, seed), options);
          expect(withoutDiagnostics(dirty)).to.deep.equal(withoutDiagnostics(clean));
          expect(dirty.diagnostics!.accepted).to.equal(rows.length);
          expect(dirty.diagnostics!.rejected).to.equal(bad.length);
          const reasons = Object.values(dirty.diagnostics!.reasons).reduce((s, n) => s + n, 0);
          expect(reasons).to.equal(bad.length);
        },
      ),
      150,
    );
  });

  it('equals the reference when users × apps outnumber the events (one slot per user)', () => {
    // 25 000 users and three apps make 100 000 user-and-app slots for ~42 000 events: the
    // engine then groups by user alone and separates each user's apps within the run.
    // Every tenth user switches between two apps within 30 s, out of order, and without an
    // app filter each app must be its own stream (the switch is a new open in each).
    const random = prng(11);
    const day = Date.UTC(2026, 2, 9, 1); // 2026-03-09 01:00 UTC
    const apps = ['a', 'b', 'c'];
    const rows: UaEvent[] = [];
    for (let u = 0; u < 25_000; u++) {
      const user = `u${u}`;
      const t0 = day + Math.floor(random() * 20 * 3_600_000);
      if (u % 10 !== 0) {
        rows.push({ user, type: 'open', time: t0, app: apps[u % 3] });
        continue;
      }
      const [a, b] = [apps[u % 3], apps[(u + 1) % 3]];
      rows.push(
        { user, type: 'open', time: t0, app: a },
        { user, type: 'page', time: t0 + 5_000, app: a },
        { user, type: 'hide', time: t0 + 9_000, app: a },
        { user, type: 'open', time: t0 + 12_000, app: b },
        { user, type: 'hide', time: t0 + 20_000, app: b },
        { user, type: 'open', time: t0 + 25_000, app: a },
        { user, type: 'page', time: t0 + 26_000 },
        { user, type: 'hide', time: t0 + 40_000, app: a },
      );
    }
    const input = shuffled(rows, 5);
    for (const options of [
      { range: 1 as const, end: '2026-03-09', timeZone: 'UTC' },
      { range: 1 as const, end: '2026-03-09', timeZone: 'UTC', app: 'b' },
    ]) {
      const actual = computeReport(input, options);
      expect(reportDifferences(actual, referenceReport(input, options))).to.deep.equal([]);
      // With app 'b': the 7 500 one-event users of 'b' (u % 3 = 1, u % 10 ≠ 0), and all 2 500
      // switchers, through their app-less page if not through 'b' itself.
      expect(actual.totals.activeUsers).to.equal(options.app === undefined ? 25_000 : 10_000);
    }
  });

  it('sorts long and far-off runs: equals the reference on a user with 6 000 reversed events and on times beyond 2^50', () => {
    // Sessions of open, page, page, hide every 10 minutes, with ties (a page at its open's
    // time), delivered newest first: one run of 6 000 events to sort. Then the same with times
    // shifted past 2^50 ms, where time × 4 + kind is no longer exact (the engine's fallback).
    const t0 = Date.UTC(2026, 2, 9, 0, 0);
    const sessions = (shift: number): UaEvent[] =>
      Array.from({ length: 1_500 }, (_, i) => {
        const t = t0 + shift + i * 600_000;
        return [
          { user: 'long', type: 'open' as const, time: t, app: 'a' },
          { user: 'long', type: 'page' as const, time: t, app: 'a' },
          { user: 'long', type: 'page' as const, time: t + 20_000, app: 'a' },
          { user: 'long', type: 'hide' as const, time: t + 60_000, app: 'a' },
        ];
      }).flat();
    const options = { range: 7 as const, end: '2026-03-15', timeZone: 'UTC' };
    const near = sessions(0).reverse();
    const actual = computeReport(near, options);
    expect(reportDifferences(actual, referenceReport(near, options))).to.deep.equal([]);
    expect(actual.totals.opens).to.be.greaterThan(700); // the sessions inside the period
    const far = [...sessions(0), ...sessions(2 ** 51)].reverse();
    const farReport = computeReport(far, options);
    expect(reportDifferences(farReport, referenceReport(far, options))).to.deep.equal([]);
    expect(farReport.totals).to.deep.equal(actual.totals); // far-off events add nothing here
  });
});
