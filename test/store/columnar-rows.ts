import { expect } from '@open-wc/testing';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { StoreConfig } from '../../src/store/types.js';
import { random, readyReport } from './helpers.js';

/** The Report options of the columnar tests (formats, columns), and the store's same config. */
export const OPTIONS: ReportOptions = { range: 30, end: '2026-03-10', timeZone: 'UTC' };
export const BASE: Partial<StoreConfig> = { range: 30, end: '2026-03-10', timeZone: 'UTC' };

/** One event as a columnar file or Table carries it: any field may be null. */
export interface Row {
  user: string | null;
  time: number | null;
  type: string | null;
  app: string | null;
}

/** The rows as the JSON path reads them (a null app is no app). */
export function asObjects(rows: Row[]): unknown[] {
  return rows.map((r) => (r.app === null ? { user: r.user, time: r.time, type: r.type } : r));
}

/** The parts of a Report that come from the events. */
export function numbers(r: Report) {
  return {
    totals: r.totals,
    previousTotals: r.previousTotals,
    growth: r.growth,
    series: r.series,
    previousSeries: r.previousSeries,
    diagnostics: r.diagnostics,
  };
}

/** A maker of stores over BASE and `config`, each disposed after its test (call in a describe). */
export function useStores(): (config: Partial<StoreConfig>) => MetricsStore {
  const stores: MetricsStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });
  return (config) => {
    const store = new MetricsStore({ ...BASE, ...config });
    stores.push(store);
    return store;
  };
}

/** The store's Report, computed in the worker, has `expected`'s numbers and both apps. */
export async function expectWorkerReport(
  store: MetricsStore,
  expected: ReturnType<typeof numbers>,
): Promise<void> {
  const report = await readyReport(store);
  expect(store.computeSite).to.equal('worker');
  expect(numbers(report)).to.deep.equal(expected);
  expect(store.apps.status === 'ready' && store.apps.value.map((a) => a.id)).to.have.members([
    'mini',
    'h5',
  ]);
}

/** Rows with bad ones of each kind: null or '' user, unknown or null type, null time. */
export function sampleRows(n: number, seed = 11): Row[] {
  const rnd = random(seed);
  const end = Date.UTC(2026, 2, 11);
  const types = ['open', 'page', 'page', 'hide'];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    rows.push({
      user: r < 0.01 ? null : r < 0.015 ? '' : `u${Math.floor(rnd() * 250)}`,
      time: r > 0.99 ? null : Math.floor(end - rnd() * 40 * 86_400_000),
      type: r > 0.02 && r < 0.03 ? 'click' : r > 0.03 && r < 0.035 ? null : types[i % 4],
      app: rnd() < 0.05 ? null : rnd() < 0.6 ? 'mini' : 'h5',
    });
  }
  return rows;
}

/**
 * `n` events of `users` users in two apps over the 40 days before Mar 11, sorted by nothing,
 * with bad rows of each kind a columnar file can carry: a null user, an unknown type, a null
 * time.
 */
export function mixedRows(n: number, users: number, seed: number): Row[] {
  const rnd = random(seed);
  const end = Date.UTC(2026, 2, 11);
  const types = ['open', 'page', 'page', 'hide'];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    rows.push({
      user: r < 0.01 ? null : `u${Math.floor(rnd() * users)}`,
      time: r > 0.99 ? null : Math.floor(end - rnd() * 40 * 86_400_000),
      type: r > 0.01 && r < 0.02 ? 'click' : types[Math.floor(rnd() * types.length)],
      app: rnd() < 0.05 ? null : rnd() < 0.6 ? 'mini' : 'h5',
    });
  }
  return rows;
}

/** A file the test server serves (test/fixtures/…), as bytes. */
export async function fetchBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(path);
  expect(response.ok, path).to.equal(true);
  return new Uint8Array(await response.arrayBuffer());
}

/** The events of test/fixtures/arrow/ as chDB wrote them to NDJSON (scripts/arrow-fixtures.mjs). */
export async function clickHouseEvents(): Promise<unknown[]> {
  const gz = await fetchBytes('/test/fixtures/arrow/events.ndjson.gz');
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  const text = await new Response(stream).text();
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}
