/**
 * Scratch arrays: reused between calls while alive, never shorter or longer than asked, and
 * a report computed on reused (dirty) scratch equals one computed from fresh arrays.
 */
import { expect } from '@open-wc/testing';
import { computeFromColumns, computeReport, parseEvents } from '../../src/engine/index.js';
import type { UaEvent } from '../../src/engine/index.js';
import { allocateFresh, allocateScratch } from '../../src/engine/scratch.js';

describe('engine scratch arrays', () => {
  it('hands out exactly the length asked, reusing a big enough buffer of the same slot', () => {
    const a = allocateScratch('test.slot', Float64Array, 100);
    a.fill(7);
    const b = allocateScratch('test.slot', Float64Array, 40);
    expect(b.length).to.equal(40);
    expect(b.buffer).to.equal(a.buffer); // reused: still alive, big enough
    expect(b[39]).to.equal(7); // and dirty: callers write before they read
    const c = allocateScratch('test.slot', Float64Array, 200);
    expect(c.length).to.equal(200);
    expect(c.buffer).not.to.equal(a.buffer); // too small: a new one
    const d = allocateScratch('test.slot', Int32Array, 10);
    expect(d).to.be.instanceOf(Int32Array); // another kind in the slot: a new one
    expect(allocateFresh('test.slot', Uint8Array, 3)).to.deep.equal(new Uint8Array(3));
  });

  it('gives the same reports on dirty, reused scratch as on fresh arrays', () => {
    // A big input leaves its scratch full of its own events; smaller ones that follow reuse
    // it. Each report must equal computeFromColumns on freshly parsed columns.
    const t0 = Date.UTC(2026, 2, 9, 2);
    const rows = (users: number, apps: number, shift: number): UaEvent[] =>
      Array.from({ length: users * 6 }, (_, i) => {
        const u = i % users;
        const step = Math.floor(i / users);
        return {
          user: `u${u}`,
          app: `a${(u + shift) % apps}`,
          type: (['open', 'page', 'hide'] as const)[step % 3],
          time: t0 + u * 1_000 + step * 7_000 + shift,
        };
      });
    const options = { range: 1 as const, end: '2026-03-09', timeZone: 'UTC' };
    for (const [users, apps, shift] of [
      [3_000, 3, 0],
      [50, 2, 1],
      [700, 1, 2],
      [3_000, 4, 3],
    ]) {
      const input = rows(users, apps, shift);
      const expected = computeFromColumns(parseEvents(input), options);
      expect(computeReport(input, options)).to.deep.equal(expected);
      expect(computeReport(input, { ...options, app: 'a1' })).to.deep.equal(
        computeFromColumns(parseEvents(input), { ...options, app: 'a1' }),
      );
    }
  });
});
