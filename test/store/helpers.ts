import { HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
import type { Metrics, Report } from '../../src/engine/types.js';
import { inflightCount } from '../../src/store/http.js';
import type { MetricsStore } from '../../src/store/metrics-store.js';
import type { LoadState } from '../../src/store/types.js';
import { metrics } from '../fixtures/report-fixtures.js';
import { mulberry32 } from '../../demo/synthetic.js';

/**
 * A test that needs a real Web Worker (or a page): the browser runs it; Node (npm run mutate
 * runs the file there, where no Worker is defined) skips it.
 */
export const itWithWorkers = typeof Worker === 'undefined' ? it.skip : it;

/** The seven metrics from raw counts (SPEC §3), stay in seconds. */
export const m = metrics;

/**
 * msw's `start()` calls `registration.update()` on an existing registration and drops its
 * promise. When the browser's update check of the (shared, origin-wide) worker script fails —
 * seen only in full-suite runs, after other pages used the registration — that rejection lands
 * outside any test; it is about the test harness, not about ua-kit. Give the promise a handler
 * (the caller still gets it, rejected) so that it is not reported as unhandled; every other
 * rejection still fails its test.
 */
function handleMswUpdateFailures(): void {
  if (typeof ServiceWorkerRegistration === 'undefined') return; // Node (npm run mutate)
  const proto = ServiceWorkerRegistration.prototype as ServiceWorkerRegistration & {
    uaKitPatched?: boolean;
  };
  if (proto.uaKitPatched) return;
  const update = proto.update;
  proto.update = function (this: ServiceWorkerRegistration) {
    const result = update.call(this);
    result.catch(() => undefined);
    return result;
  };
  proto.uaKitPatched = true;
}

const MSW_START = {
  quiet: true,
  serviceWorker: { url: '/mockServiceWorker.js' },
  onUnhandledRequest: 'bypass',
} as const;

/** Whether msw answers this page's requests now (a probe handler, removed again). */
async function mswAnswers(worker: ReturnType<typeof setupWorker>): Promise<boolean> {
  worker.use(http.get('/__msw-probe', () => HttpResponse.text('msw')));
  try {
    const res = await fetch('/__msw-probe', { cache: 'no-store' });
    return (await res.text()) === 'msw';
  } catch {
    return false;
  } finally {
    worker.resetHandlers();
  }
}

/**
 * Starts msw's service worker for a test file; `worker.use(…)` per test. Before each test a
 * probe request checks that msw still answers the page: in full runs its service worker
 * (shared by every page of the origin, one page after another) has now and then stopped
 * routing a page's requests, and a test then timed out waiting for a request its handler never
 * saw. Such a worker is restarted once; if it still does not answer, the test fails saying so.
 */
export function useMsw(): ReturnType<typeof setupWorker> {
  handleMswUpdateFailures();
  const worker = setupWorker();
  before(async () => {
    await worker.start(MSW_START);
  });
  beforeEach(async () => {
    if (await mswAnswers(worker)) return;
    console.warn('msw did not answer this page: its service worker is started again');
    worker.stop();
    await worker.start(MSW_START);
    if (!(await mswAnswers(worker))) {
      throw new Error("msw's service worker does not answer this page's requests, even restarted");
    }
  });
  afterEach(() => worker.resetHandlers());
  after(() => worker.stop());
  return worker;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it returns true, or fails. */
export async function waitFor(check: () => boolean, timeout = 10_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${check.toString()}`);
    await sleep(10);
  }
}

/**
 * A settled state, the positive signal to wait for before asserting that nothing more happens
 * (no second request, no late event): one task, so that loads a change scheduled have started
 * (they start in microtasks), then until no request is in flight and no store is loading.
 */
export async function quiet(...stores: MetricsStore[]): Promise<void> {
  await sleep(0);
  await waitFor(
    () =>
      inflightCount() === 0 &&
      stores.every((s) => s.report.status !== 'loading' && s.apps.status !== 'loading'),
  );
}

/** Resolves when `check` returns true (checked on every change of the store), or fails. */
export function until(store: MetricsStore, check: () => boolean, timeout = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`timed out waiting; report is ${JSON.stringify(store.report).slice(0, 300)}`),
      );
    }, timeout);
    const off = store.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Waits until the report is ready or failed, and returns that state. */
export async function settled(store: MetricsStore, timeout?: number): Promise<LoadState<Report>> {
  await Promise.resolve(); // a load that configure() or retry() scheduled starts first
  await until(store, () => ['ready', 'error'].includes(store.report.status), timeout);
  return store.report;
}

/** The ready Report; fails with the error reason otherwise. */
export async function readyReport(store: MetricsStore, timeout?: number): Promise<Report> {
  const state = await settled(store, timeout);
  if (state.status !== 'ready') throw new Error(`expected a report, got ${JSON.stringify(state)}`);
  return state.value;
}

/** The error reason; fails when a report came instead. */
export async function errorReason(store: MetricsStore, timeout?: number): Promise<string> {
  const state = await settled(store, timeout);
  if (state.status !== 'error') throw new Error(`expected an error, got ${state.status}`);
  return state.error;
}

/** The events of test/fixtures/store-events.json (also .ndjson): 16 rows, 3 of them bad. */
export const EVENTS_JSON_URL = '/test/fixtures/store-events.json';
export const EVENTS_NDJSON_URL = '/test/fixtures/store-events.ndjson';

export async function fixtureEvents(): Promise<unknown[]> {
  const res = await fetch(EVENTS_JSON_URL);
  return (await res.json()) as unknown[];
}

/**
 * Hand-computed from store-events.json, range 7 ending 2026-03-10 in UTC: period Mar 4–10,
 * comparison Feb 25 – Mar 3.
 * - u1 (mini), Mar 9: open 10:00:00, pages 10:00:05 and 10:01:00, hide 10:02:00 (120 s), open
 *   again 10:02:20 — 20 s after the hide, so the same open — hide 10:03:20 (60 s): 1 open,
 *   180 s, 2 page visits. New on Mar 9.
 * - u2 (h5), Mar 10: open 08:00:00, page 08:00:01, hide 08:00:31: 1 open, 30 s, 1 page. New.
 * - 42 (mini): Mar 1 open–hide 60 s (comparison window, new there); Mar 5 open–hide 10 s.
 * - 3 bad rows: empty user, a date without time, type 'jump'.
 */
export const ALL_APPS = {
  // new: u1, u2 · active: u1, u2, 42 · opens 3 · pages 3 · stay 180 + 30 + 10 = 220 s
  totals: m(2, 3, 3, 3, 220),
  // 42 only: new, active, 1 open of 60 s
  previousTotals: m(1, 1, 1, 0, 60),
  // (2−1)/1 = +100 %, (3−1)/1 = +200 %, +200 %, (3−0)/1 = +300 %,
  // (73.33−60)/60 = +22.2 % → 22, same per user, (1−1)/1 = 0
  growth: {
    newUsers: 100,
    activeUsers: 200,
    opens: 200,
    pageVisits: 300,
    avgDurationPerOpen: 22,
    avgDurationPerUser: 22,
    avgOpensPerUser: 0,
  } satisfies Metrics,
  diagnostics: {
    accepted: 13,
    rejected: 3,
    reasons: { 'bad-user': 1, 'bad-time': 1, 'bad-type': 1 },
  },
};

/** App 'mini' only: u1 and 42 — new 1, active 2, opens 2, pages 2, stay 180 + 10 = 190 s. */
export const MINI_TOTALS = m(1, 2, 2, 2, 190);

/** Range 30 ending Mar 10 (Feb 9 – Mar 10): everyone — new 3, active 3, opens 4, pages 3, 280 s. */
export const RANGE_30_TOTALS = m(3, 3, 4, 3, 280);

/** Range 1 on Mar 9: u1 alone — new 1, active 1, opens 1, pages 2, 180 s. */
export const DAY_MAR_9_TOTALS = m(1, 1, 1, 2, 180);

/** A small deterministic PRNG (mulberry32, the synthetic data's). */
export const random = mulberry32;

/**
 * `n` plausible events from `users` users over the 70 days before 2026-03-11, in three apps,
 * unsorted, with a few ISO times, app-less rows and bad rows.
 */
export function generateEvents(n: number, users: number, seed = 1): unknown[] {
  const rnd = random(seed);
  const end = Date.UTC(2026, 2, 11);
  const apps = ['mini', 'h5', 'game'];
  const types = ['open', 'page', 'page', 'page', 'hide'];
  const out: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const time = Math.floor(end - rnd() * 70 * 86_400_000);
    const r = rnd();
    const row: Record<string, unknown> = {
      user: r < 0.5 ? `user-${Math.floor(rnd() * users)}` : Math.floor(rnd() * users),
      time: r < 0.1 ? new Date(time).toISOString() : time,
      type: types[Math.floor(rnd() * types.length)],
    };
    if (rnd() > 0.05) row.app = apps[Math.floor(rnd() * apps.length)];
    if (rnd() < 0.002) row.type = 'bogus';
    out[i] = row;
  }
  return out;
}
