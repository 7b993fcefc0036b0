/**
 * Scratch arrays: reused between calls while alive, never shorter or longer than asked, and
 * a report computed on reused (dirty) scratch equals one computed from fresh arrays.
 */
import { expect } from '@open-wc/testing';
import { computeFromColumns, computeReport, parseEvents } from '../../src/engine/index.js';
import type { Report, UaEvent } from '../../src/engine/index.js';
import { allocateFresh, allocateScratch } from '../../src/engine/scratch.js';

describe('engine scratch arrays', () => {
  it('hands out exactly the length asked, reusing a big enough buffer of the same slot', () => {
    const a = allocateScratch(99, Float64Array, 100);
    a.fill(7);
    const b = allocateScratch(99, Float64Array, 40);
    expect(b.length).to.equal(40);
    expect(b.buffer).to.equal(a.buffer); // reused: still alive, big enough
    expect(b[39]).to.equal(7); // and dirty: callers write before they read
    const c = allocateScratch(99, Float64Array, 200);
    expect(c.length).to.equal(200);
    expect(c.buffer).not.to.equal(a.buffer); // too small: a new one
    const d = allocateScratch(99, Int32Array, 10);
    expect(d).to.be.instanceOf(Int32Array); // another kind in the slot: a new one
    expect(allocateFresh(99, Uint8Array, 3)).to.deep.equal(new Uint8Array(3));
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

  it('gives a call made from inside another (a getter in its rows or firstSeen) fresh arrays', () => {
    // Without that, the inner call would write its columns and groups over the outer one's.
    const t0 = Date.UTC(2026, 2, 9, 2);
    const rows = (users: number, shift: number): UaEvent[] =>
      Array.from({ length: users * 4 }, (_, i) => ({
        user: `u${i % users}`,
        app: `a${(i + shift) % 3}`,
        type: (['open', 'page', 'page', 'hide'] as const)[Math.floor(i / users) % 4],
        time: t0 + (i % users) * 1_000 + Math.floor(i / users) * 9_000 + shift,
      }));
    const options = { range: 1 as const, end: '2026-03-09', timeZone: 'UTC' };
    const outerRows = rows(2_000, 0);
    const innerRows = rows(3_000, 7);
    const expectedOuter = computeFromColumns(parseEvents(outerRows), options);
    const expectedInner = computeFromColumns(parseEvents(innerRows), options);

    let inner: Report | null = null;
    const tricky = outerRows.map((row, i) =>
      i !== 4_000
        ? row
        : {
            ...row,
            get type() {
              inner ??= computeReport(innerRows, options); // mid-parse of the outer call
              return row.type;
            },
          },
    );
    expect(computeReport(tricky, options)).to.deep.equal(expectedOuter);
    expect(inner).to.deep.equal(expectedInner);

    // The same from firstSeen, read while the outer call scans its grouped events.
    const innerCols = parseEvents(innerRows);
    let innerFromColumns: Report | null = null;
    const firstSeen = new Proxy({} as Record<string, number>, {
      has(_, key) {
        innerFromColumns ??= computeFromColumns(innerCols, options);
        return key === 'u5';
      },
      getOwnPropertyDescriptor(_, key) {
        innerFromColumns ??= computeFromColumns(innerCols, options);
        return key === 'u5' ? { value: 0, configurable: true, enumerable: true } : undefined;
      },
      get: (_, key) => (key === 'u5' ? 0 : undefined),
    });
    const plain = { u5: 0 };
    expect(computeFromColumns(parseEvents(outerRows), { ...options, firstSeen })).to.deep.equal(
      computeFromColumns(parseEvents(outerRows), { ...options, firstSeen: plain }),
    );
    expect(innerFromColumns).to.deep.equal(expectedInner);
  });
});
