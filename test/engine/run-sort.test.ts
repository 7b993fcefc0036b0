/**
 * RunSorter: runs of (time, kind[, app]) columns sorted by (time, kind), stably, against a
 * plain comparator sort of row objects. Runs long enough for several merge rounds, nearly
 * sorted (the common case), reversed, and with many ties.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { RunSorter } from '../../src/engine/run-sort.js';
import { runSeeded } from './arbitraries.js';

interface Row {
  time: number;
  kind: number;
  app: number;
}

/** Rows shaped as the engine sees them: few distinct times (ties), kinds 0–2, an app tag. */
const rowsArb = fc.array(
  fc.record({ time: fc.integer({ min: 0, max: 40 }), kind: fc.integer({ min: 0, max: 2 }) }),
  { maxLength: 300, size: 'max' },
);

/** A run made nearly sorted, sorted, reversed or left random. */
const runArb = fc.tuple(
  rowsArb,
  fc.constantFrom('random', 'sorted', 'nearly', 'reversed'),
  fc.nat(),
);

function shape(rows: { time: number; kind: number }[], how: string, seed: number): Row[] {
  const out = rows.map((r, i) => ({ ...r, app: i })); // app = input position: shows stability
  const byKey = (a: Row, b: Row) => a.time - b.time || a.kind - b.kind;
  if (how === 'sorted' || how === 'nearly') out.sort(byKey);
  if (how === 'reversed') out.sort((a, b) => byKey(b, a));
  if (how === 'nearly' && out.length > 2) {
    // Move a block of a few rows elsewhere, as a late session does.
    const at = seed % out.length;
    const block = out.splice(at, 1 + (seed % 5));
    out.splice((seed >> 3) % (out.length + 1), 0, ...block);
  }
  return out;
}

describe('RunSorter', () => {
  it('sorts a run by (time, kind), keeping the input order of ties, and nothing outside it', () => {
    const sorter = new RunSorter(); // reused across cases, as the engine reuses it per user
    runSeeded(
      'engine property',
      20261128,
      'run sort',
      fc.property(runArb, fc.nat({ max: 5 }), fc.boolean(), ([raw, how, seed], pad, withApp) => {
        const rows = shape(raw, how, seed);
        const n = rows.length + 2 * pad;
        // The run sits between `pad` sentinel rows on each side, which must stay put.
        const time = new Float64Array(n).fill(-1);
        const kind = new Uint8Array(n).fill(9);
        const app = new Int32Array(n).fill(-7);
        rows.forEach((r, i) => {
          time[pad + i] = r.time;
          kind[pad + i] = r.kind;
          app[pad + i] = r.app;
        });
        sorter.sort(time, kind, withApp ? app : null, pad, pad + rows.length);

        // Array#sort is stable: the expected order, ties by input position.
        const expected = [...rows].sort((a, b) => a.time - b.time || a.kind - b.kind);
        expect(Array.from(time.subarray(pad, pad + rows.length))).to.deep.equal(
          expected.map((r) => r.time),
        );
        expect(Array.from(kind.subarray(pad, pad + rows.length))).to.deep.equal(
          expected.map((r) => r.kind),
        );
        expect(Array.from(app.subarray(pad, pad + rows.length))).to.deep.equal(
          withApp ? expected.map((r) => r.app) : rows.map((r) => r.app),
        );
        for (let i = 0; i < pad; i++) {
          expect([time[i], kind[i], app[i]]).to.deep.equal([-1, 9, -7]);
          expect([time[n - 1 - i], kind[n - 1 - i], app[n - 1 - i]]).to.deep.equal([-1, 9, -7]);
        }
      }),
      300,
    );
  });

  it('sorts a long reversed run (many merge rounds)', () => {
    const n = 5_000;
    const time = Float64Array.from({ length: n }, (_, i) => Math.floor((n - i) / 3));
    const kind = Uint8Array.from({ length: n }, (_, i) => i % 3);
    new RunSorter().sort(time, kind, null, 0, n);
    for (let i = 1; i < n; i++) {
      const ok = time[i] > time[i - 1] || (time[i] === time[i - 1] && kind[i] >= kind[i - 1]);
      expect(ok, `order at ${i}`).to.equal(true);
    }
    expect(time[0]).to.equal(0);
    expect(time[n - 1]).to.equal(Math.floor(n / 3));
  });
});
