/**
 * Fuzzing the engine with arbitrary rows (issue 7): whatever the rows hold, computeReport
 * never throws, every row is counted as accepted or rejected, rejected rows change nothing
 * but diagnostics, and the result still equals the reference implementation. Seeded; each
 * property logs how many cases it tried.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { computeReport } from '../../src/engine/index.js';
import type { ReportOptions } from '../../src/engine/index.js';
import {
  interleaved,
  materialize,
  optionsArb,
  reportDifferences,
  scenarioArb,
  withoutDiagnostics,
  runSeeded,
} from './arbitraries.js';
import { refClassify, referenceReport } from './reference.js';

const SEED = 7;

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'isPrototypeOf',
];

const dateLike = fc.constantFrom(
  '2026-03-10T10:00:00Z',
  '2026-03-10T10:00:00+08:00',
  '2026-03-10t10:00:00.123456789z',
  '2026-03-10 10:00-0330',
  '2026-03-10',
  '2026-03-10T10:00:00',
  '2026-02-30T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-03-10T25:00:00Z',
  '2026-03-10T10:00:00+2400',
  '2026-03-10T10:00:00 Z',
  '2026-03-10T10:00:00.1234567891Z',
  '+002026-03-10T10:00:00Z',
  '20260310T100000Z',
  'Tue, 10 Mar 2026 10:00:00 GMT',
  '1773136800000',
  ' 2026-03-10T10:00:00Z',
  '２０２６-03-10T10:00:00Z',
);

const weirdNumber = fc.constantFrom(
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  0.5,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  -8.64e15,
  1e20,
  1_773_136_800_000.5,
);

const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withNullPrototype: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withBigInt: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
});

/** Values JSON cannot hold, that a caller's array of events still might. */
const hostile = fc.constantFrom<unknown>(
  Symbol('open'),
  () => 'open',
  1n,
  Object(5),
  Object('open'),
  new Date(Date.UTC(2026, 2, 10)),
  true,
  {},
  [],
  { toString: () => 'alice' },
);

const anyValue = fc.oneof(
  { weight: 1, arbitrary: hostile },
  { weight: 3, arbitrary: anything },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: dateLike },
  { weight: 2, arbitrary: weirdNumber },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.double() },
);

/** Rows that are nearly events: each field right, wrong, missing or hostile. */
const nearEvent = fc.record(
  {
    user: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS, 'alice', 42, '42', -0, 1e21) },
      { weight: 1, arbitrary: anyValue },
    ),
    type: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('open', 'page', 'hide') },
      { weight: 1, arbitrary: fc.constantFrom('Open', 'close', '', 'open ') },
      { weight: 1, arbitrary: anyValue },
    ),
    time: fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: 1_767_000_000_000, max: 1_800_000_000_000 }) },
      { weight: 2, arbitrary: dateLike },
      { weight: 1, arbitrary: weirdNumber },
      { weight: 1, arbitrary: anyValue },
    ),
    app: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS, 'a', 7, '', null) },
      { weight: 1, arbitrary: anyValue },
    ),
    page: anyValue,
  },
  { requiredKeys: [] },
);

/** Rows whose own '__proto__' key comes from JSON, as a parsed events file would give. */
const jsonProtoRow = fc
  .record({ proto: fc.jsonValue({ maxDepth: 2 }), user: fc.constantFrom('a', '__proto__') })
  .map(({ proto, user }) =>
    JSON.parse(
      `{"__proto__": ${JSON.stringify(proto) ?? 'null'}, "user": "${user}", "type": "page", "time": 1773136800000}`,
    ),
  );

const junkRow = fc.oneof(
  { weight: 3, arbitrary: anyValue },
  { weight: 4, arbitrary: nearEvent },
  { weight: 1, arbitrary: jsonProtoRow },
);

/** runSeeded with this file's label and seed. */
function run<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IPropertyWithHooks<Ts>,
  numRuns: number,
  extra?: () => string,
): void {
  runSeeded('engine fuzz', SEED, name, property, numRuns, extra);
}

describe('engine fuzz', function () {
  this.timeout(60_000);

  it('never throws on arbitrary rows alone, and counts every row', () => {
    run(
      'arbitrary rows',
      fc.property(fc.array(junkRow, { maxLength: 30 }), optionsArb, (rows, options) => {
        const r = computeReport(rows, options);
        expect(r.diagnostics!.accepted + r.diagnostics!.rejected).to.equal(rows.length);
      }),
      300,
    );
  });

  it('leaves the good rows’ report unchanged by bad rows mixed in, and equals the reference', () => {
    let junkRows = 0;
    let junkAccepted = 0;
    const junkReasons: Record<string, number> = {};
    run(
      'mixed rows',
      fc.property(
        scenarioArb,
        fc.array(junkRow, { minLength: 1, maxLength: 25 }),
        fc.integer(),
        (scenario, junk, seed) => {
          const { rows: good, options } = materialize(scenario);
          const all = interleaved<unknown>(good, junk, seed);
          const r = computeReport(all, options);
          const d = r.diagnostics!;
          expect(d.accepted + d.rejected).to.equal(all.length);
          // The rows a correct parser accepts: the good ones and any junk that is valid.
          const kept = all.filter((row) => refClassify(row).ok);
          junkRows += junk.length;
          junkAccepted += kept.length - good.length;
          for (const row of junk) {
            const c = refClassify(row);
            if (!c.ok) junkReasons[c.reason] = (junkReasons[c.reason] ?? 0) + 1;
          }
          expect(d.accepted).to.equal(kept.length);
          const clean = computeReport(kept, options);
          expect(clean.diagnostics!.rejected).to.equal(0);
          expect(reportDifferences(withoutDiagnostics(r), withoutDiagnostics(clean))).to.deep.equal(
            [],
          );
          expect(reportDifferences(r, referenceReport(all, options))).to.deep.equal([]);
        },
      ),
      300,
      () =>
        `, ${junkRows} junk rows: ${junkAccepted} valid events, rejected ${JSON.stringify(junkReasons)}`,
    );
  });

  it('looks up firstSeen by own keys only, prototype keys included', () => {
    const firstSeenArb = fc
      .array(
        fc.tuple(
          fc.constantFrom(...PROTO_KEYS, 'alice', '42', '7'),
          fc.oneof(
            fc.integer({ min: 1_767_000_000_000, max: 1_800_000_000_000 }),
            weirdNumber,
            anyValue,
          ),
        ),
        { maxLength: 8 },
      )
      .chain((entries) =>
        fc.constantFrom(
          Object.fromEntries(entries),
          Object.assign(Object.create(null) as object, Object.fromEntries(entries)),
          JSON.parse(
            JSON.stringify(Object.fromEntries(entries), (_k, v: unknown) =>
              typeof v === 'bigint' ? String(v) : v,
            ),
          ) as object,
        ),
      );
    run(
      'firstSeen with prototype keys',
      fc.property(scenarioArb, firstSeenArb, (scenario, firstSeen) => {
        const { rows, options } = materialize({ ...scenario, firstSeen: null });
        const withSeen: ReportOptions = {
          ...options,
          firstSeen: firstSeen as Record<string, number>,
        };
        const r = computeReport(rows, withSeen);
        expect(reportDifferences(r, referenceReport(rows, withSeen))).to.deep.equal([]);
      }),
      200,
    );
  });

  it('does not take inherited properties of firstSeen for first sightings', () => {
    const day = '2026-03-10';
    const rows = PROTO_KEYS.map((user) => ({ user, type: 'page', time: `${day}T10:00:00Z` }));
    const options: ReportOptions = { range: 1, end: day, timeZone: 'UTC' };
    // A plain {} inherits constructor, toString, … (functions, not numbers): no effect.
    expect(computeReport(rows, { ...options, firstSeen: {} }).totals.newUsers).to.equal(7);
    // Own keys from JSON, '__proto__' included, each seen long before: none is new.
    const seen = JSON.parse(
      `{${PROTO_KEYS.map((k) => `"${k}": ${Date.UTC(2020, 0, 1)}`).join(', ')}}`,
    ) as Record<string, number>;
    expect(Object.keys(seen)).to.have.length(7);
    const r = computeReport(rows, { ...options, firstSeen: seen });
    expect(r.totals.newUsers).to.equal(0);
    expect(r.totals.activeUsers).to.equal(7);
    // An inherited number does not count either.
    const inherited = Object.create({ alice: Date.UTC(2020, 0, 1) }) as Record<string, number>;
    const alice = computeReport([{ user: 'alice', type: 'page', time: `${day}T10:00:00Z` }], {
      ...options,
      firstSeen: inherited,
    });
    expect(alice.totals.newUsers).to.equal(1);
  });
});
