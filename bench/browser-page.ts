/**
 * The page side of the browser bench (bench/browser.html, driven by bench/browser.mjs). The kit
 * it measures is the BUILT one: bench/browser.mjs builds it with vite.config.ts, bundles
 * dist/ua-kit.js with lit and chart.js as an app would, and serves it; this page imports it by
 * URL (`kitModule`). Types come from src/index.ts, whose API dist/ua-kit.js is.
 *
 * Sections, each a method of `window.uaBench`:
 * - `render`: a 30-day and a 1-day hourly Report set on one store under `<ua-overview>`,
 *   `<ua-trend>` and `<ua-detail-table>`: from `store.setReport(report)` to the frame after
 *   all three updated (requestAnimationFrame after `updateComplete`, the chart drawn in it).
 * - `click`: a metric card clicked in `<ua-overview>` until `<ua-trend>` draws that metric.
 * - `memoryCycles`, `heapAfterGc`: `<ua-dashboard>` mounted and removed over a small events
 *   array; JS heap after GC, chart.js instances and Web Workers left.
 * - `inBrowser`: events handed to a `<ua-source>` (`events` property), to `report-load`, with
 *   the main thread's long tasks.
 * - `eventsSrc`: the same with `events-src` (a file the bench serves), each run followed by the
 *   transfer's floor for that file (a bare Web Worker that fetches it and reads every chunk); and
 *   `bareNdjson`, the floor for NDJSON: fetch, split and JSON.parse in a bare Web Worker.
 * - `arrowColumns`: the served Arrow file read into an apache-arrow Table in the page
 *   (tableFromIPC, before the clock starts), set as `source.columns`, to `report-load`.
 */
import { generateEvents } from '../demo/synthetic.js';
import type * as Kit from '../src/index.js';
import type { MetricKey, Report } from '../src/index.js';
import type { UaDashboard } from '../src/components/dashboard/dashboard.js';
import type { UaDetailTable } from '../src/components/detail-table/detail-table.js';
import type { UaOverview } from '../src/components/overview/overview.js';
import type { UaSource } from '../src/components/source/source.js';
import type { UaTrend } from '../src/components/trend/trend.js';

/** The store's User Timing measures: it does not keep them in the buffer, observers get them. */
const storeMeasures: PerformanceEntry[] = [];
new PerformanceObserver((list) => storeMeasures.push(...list.getEntries())).observe({
  type: 'measure',
});

type KitModule = typeof Kit;

const END = '2026-03-31';
const TIME_ZONE = 'Asia/Shanghai';

/** gc() when Chromium runs with --js-flags=--expose-gc (bench/browser.mjs launches it so). */
const gcFn = (globalThis as { gc?: () => void }).gc;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
/** A task queued from inside an animation frame runs after that frame was rendered. */
const afterFrame = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    }),
  );

/**
 * Marks the start and end of a measured run in the page's User Timing, and so in a Chromium
 * trace (blink.user_timing): bench/browser.mjs sums the CPU time of the tasks between them.
 */
const mark = (label: string, edge: 'start' | 'end') =>
  performance.mark(`ua-bench:${label}:${edge}`);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench check failed: ${what}`);
}

/* ------------------------------------------------------------------------------------------ */
/* Workers, counted: installed before the kit loads, so that every worker it starts is seen.   */

const workers = { created: 0, terminated: 0 };
const live = new Set<Worker>();
{
  const Native = globalThis.Worker;
  class CountedWorker extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      workers.created++;
      live.add(this);
    }
    override terminate(): void {
      if (live.delete(this)) workers.terminated++;
      super.terminate();
    }
  }
  globalThis.Worker = CountedWorker;
}

let kitPromise: Promise<KitModule> | null = null;
async function loadKit(url: string): Promise<KitModule> {
  kitPromise ??= import(/* @vite-ignore */ url) as Promise<KitModule>;
  const kit = await kitPromise;
  await withTimeout(customElements.whenDefined('ua-dashboard'), 10_000, 'ua-kit definitions');
  return kit;
}

function events(count: number, users = 20_000) {
  return generateEvents({
    users,
    days: 70,
    end: END,
    timeZone: TIME_ZONE,
    seed: 42,
    targetEvents: count,
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Summary of a set of timings, ms. */
export interface Timing {
  runs: number;
  median: number;
  min: number;
  max: number;
}

function timing(xs: number[]): Timing {
  return { runs: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/* ------------------------------------------------------------------------------------------ */
/* render and click                                                                             */

interface Widgets {
  store: InstanceType<KitModule['MetricsStore']>;
  overview: UaOverview;
  trend: UaTrend;
  table: UaDetailTable;
  box: HTMLElement;
}

/** The three widgets over one store, as a portal lays them out. */
function mountWidgets(kit: KitModule): Widgets {
  const store = new kit.MetricsStore();
  const box = document.createElement('div');
  box.style.width = '1024px';
  const overview = document.createElement('ua-overview');
  const trend = document.createElement('ua-trend');
  const table = document.createElement('ua-detail-table');
  for (const el of [overview, trend, table]) {
    el.setAttribute('lang', 'en');
    el.store = store;
  }
  box.append(overview, trend, table);
  document.body.append(box);
  return { store, overview, trend, table, box };
}

const settled = (w: Widgets) =>
  Promise.all([w.overview.updateComplete, w.trend.updateComplete, w.table.updateComplete]);

/** What the widgets show is the report: cards, chart points and labels, table rows. */
function checkShown(w: Widgets, report: Report, metric: MetricKey): void {
  const chart = w.trend.chart;
  check(chart !== null, 'the trend has a chart');
  const data = chart!.data.datasets[0].data;
  check(data.length === report.series.length, 'one chart point per bucket');
  check(
    data.every((v, i) => v === report.series[i][metric]),
    `the chart draws ${metric} of the report`,
  );
  const rows = w.table.shadowRoot!.querySelectorAll('tbody tr').length;
  check(rows === report.series.length, `one table row per bucket (${rows})`);
  const cards = w.overview.shadowRoot!.querySelectorAll('[role="radio"]').length;
  check(cards === 7, `seven metric cards (${cards})`);
}

export interface RenderResult {
  /** Buckets of each report. */
  buckets: { day30: number; day1: number };
  /** The very first report: chart.js loaded and the chart created on the way. */
  first: { toFrame: number; painted: number };
  /** setReport → requestAnimationFrame after every widget's updateComplete. */
  day30: Timing;
  day1: Timing;
  /** setReport → the task after that frame (its style, layout and paint done). */
  day30Painted: Timing;
  day1Painted: Timing;
  /** setReport → updateComplete of all three (the work itself, no frame wait). */
  day30Work: Timing;
  day1Work: Timing;
}

/** Reports of the generated events: range 30 and range 1 (hourly), the same end day. */
function reports(kit: KitModule): { day30: Report; day1: Report } {
  const evs = events(200_000);
  return {
    day30: kit.computeReport(evs, { range: 30, end: END, timeZone: TIME_ZONE }),
    day1: kit.computeReport(evs, { range: 1, end: END, timeZone: TIME_ZONE }),
  };
}

async function render(options: { kitModule: string; runs: number }): Promise<RenderResult> {
  const kit = await loadKit(options.kitModule);
  const { day30, day1 } = reports(kit);
  const w = mountWidgets(kit);
  await settled(w);
  await afterFrame();

  // The first report: includes loading chart.js (lazy) and creating the chart.
  let t0 = performance.now();
  w.store.setReport(day30);
  await settled(w);
  await nextFrame();
  const firstFrame = performance.now() - t0;
  await afterFrame();
  const firstPainted = performance.now() - t0;
  checkShown(w, day30, 'activeUsers');

  const times = {
    day30: [] as number[],
    day1: [] as number[],
    day30Painted: [] as number[],
    day1Painted: [] as number[],
    day30Work: [] as number[],
    day1Work: [] as number[],
  };
  // Alternating, so that every run changes all of it (labels, points, rows, cards).
  for (let i = 0; i < options.runs * 2 + 2; i++) {
    const which = i % 2 === 0 ? 'day1' : 'day30';
    const report = which === 'day1' ? day1 : day30;
    await sleep(20);
    const measured = i >= 2; // one warm-up run of each
    if (measured) mark(`${which}-${i}`, 'start');
    t0 = performance.now();
    w.store.setReport(report);
    await settled(w);
    const work = performance.now() - t0;
    await nextFrame();
    const toFrame = performance.now() - t0;
    await afterFrame();
    const painted = performance.now() - t0;
    if (measured) mark(`${which}-${i}`, 'end');
    checkShown(w, report, 'activeUsers');
    if (!measured) continue;
    times[which].push(toFrame);
    times[`${which}Painted`].push(painted);
    times[`${which}Work`].push(work);
  }
  w.box.remove();
  return {
    buckets: { day30: day30.series.length, day1: day1.series.length },
    first: { toFrame: firstFrame, painted: firstPainted },
    day30: timing(times.day30),
    day1: timing(times.day1),
    day30Painted: timing(times.day30Painted),
    day1Painted: timing(times.day1Painted),
    day30Work: timing(times.day30Work),
    day1Work: timing(times.day1Work),
  };
}

export interface ClickResult {
  /** card.click() → requestAnimationFrame after the trend's updateComplete. */
  toFrame: Timing;
  /** card.click() → the task after that frame. */
  painted: Timing;
  /** card.click() → the trend's updateComplete (chart updated). */
  work: Timing;
}

async function click(options: { kitModule: string; runs: number }): Promise<ClickResult> {
  const kit = await loadKit(options.kitModule);
  const { day30 } = reports(kit);
  const w = mountWidgets(kit);
  w.store.setReport(day30);
  await settled(w);
  await afterFrame();
  const cards = [...w.overview.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
  check(cards.length === kit.METRIC_KEYS.length, 'one card per metric');
  const toFrame: number[] = [];
  const painted: number[] = [];
  const work: number[] = [];
  const total = options.runs + kit.METRIC_KEYS.length;
  for (let i = 1; i <= total; i++) {
    // Card i mod 7: a different metric every time (activeUsers, index 1, is selected at first).
    const index = (i + 1) % kit.METRIC_KEYS.length;
    const metric = kit.METRIC_KEYS[index];
    await sleep(20);
    const measured = i > kit.METRIC_KEYS.length; // warm-up: every metric once
    if (measured) mark(`click-${i}`, 'start');
    const t0 = performance.now();
    cards[index].click();
    await w.trend.updateComplete;
    const t1 = performance.now() - t0;
    await nextFrame();
    const t2 = performance.now() - t0;
    await afterFrame();
    const t3 = performance.now() - t0;
    if (measured) mark(`click-${i}`, 'end');
    check(w.store.metric === metric, `the store follows the card (${metric})`);
    checkShown(w, day30, metric);
    if (!measured) continue;
    work.push(t1);
    toFrame.push(t2);
    painted.push(t3);
  }
  w.box.remove();
  return { toFrame: timing(toFrame), painted: timing(painted), work: timing(work) };
}

/* ------------------------------------------------------------------------------------------ */
/* memory                                                                                       */

/** What the mount/unmount cycles leave behind (besides the heap, which browser.mjs reads). */
export interface MemoryState {
  /** Cycles run so far, and the median time of one (mount → report and chart shown), ms. */
  cycles: number;
  cycleMs: number;
  events: number;
  /** chart.js instances alive (`Chart.instances`), -1 before a chart was seen. */
  chartsLeft: number;
  workers: { created: number; terminated: number; alive: number };
  gcAvailable: boolean;
}

/** JS heap in use after full GCs (gc() from --js-flags=--expose-gc; precise memory info). */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await sleep(50); // queued disposals, finalizers, microtasks
    gcFn?.();
  }
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return memory?.usedJSHeapSize ?? NaN;
}

const cycling = {
  events: null as unknown[] | null,
  chart: null as { instances: Record<string, unknown> } | null,
  // Preallocated: the harness itself should not grow the heap it measures.
  times: new Float64Array(10_000),
  count: 0,
};

/** One `<ua-dashboard>` mounted over the events until its report and chart show, then removed. */
async function cycle(timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  const el = document.createElement('ua-dashboard') as UaDashboard;
  el.setAttribute('range', '7');
  el.setAttribute('end-date', END);
  el.setAttribute('time-zone', TIME_ZONE);
  el.setAttribute('lang', 'en');
  el.events = cycling.events;
  document.body.append(el);
  await el.updateComplete;
  const trend = el.shadowRoot!.querySelector('ua-trend') as UaTrend | null;
  check(trend !== null, '<ua-dashboard> has a <ua-trend>');
  await withTimeout(
    (async () => {
      while (el.store?.report.status !== 'ready' || !trend!.chart) await sleep(5);
      await trend!.updateComplete;
    })(),
    timeoutMs,
    'dashboard report',
  );
  check(trend!.chart!.data.datasets[0].data.length === 7, 'the dashboard trend draws 7 days');
  cycling.chart ??= trend!.chart!.constructor as unknown as typeof cycling.chart;
  cycling.times[cycling.count++ % cycling.times.length] = performance.now() - t0;
  el.remove();
}

/** Runs `cycles` mount/unmount cycles (the first call also loads the kit and makes the events). */
async function memoryCycles(options: {
  kitModule: string;
  cycles: number;
  timeoutMs: number;
}): Promise<MemoryState> {
  await loadKit(options.kitModule);
  cycling.events ??= events(5_000, 300);
  for (let i = 0; i < options.cycles; i++) await cycle(options.timeoutMs);
  const n = Math.min(cycling.count, cycling.times.length);
  return {
    cycles: cycling.count,
    cycleMs: median([...cycling.times.subarray(0, n)]),
    events: cycling.events.length,
    chartsLeft: cycling.chart ? Object.keys(cycling.chart.instances).length : -1,
    workers: { ...workers, alive: live.size },
    gcAvailable: typeof gcFn === 'function',
  };
}

/* ------------------------------------------------------------------------------------------ */
/* in-browser mode                                                                              */

export interface InBrowserResult {
  events: number;
  generateMs: number;
  /** From setting `events` to `report-load`, per run. */
  reportMs: Timing;
  /**
   * Main-thread tasks of 50 ms or more from setting `events` until a moment after the report,
   * over all runs, longest first: run, start (ms after setting `events`) and duration.
   */
  longTasks: Array<{ run: number; start: number; duration: number }>;
  /** The longest task of each run (0 when none reached 50 ms). */
  longestPerRun: number[];
  /** The store's User Timing measures (`ua-kit:*`) of the last run. */
  measures: Array<{ name: string; start: number; duration: number }>;
  /**
   * The store's own `ua-kit:compute` measure of each run: from the compute message (the
   * columns already loaded in the worker) to the Report back in the page, i.e. the engine in
   * the worker plus one round trip. null when a run had none.
   */
  computeMs: Timing | null;
  /**
   * The last run's `report-progress` events by phase: ms after the start of the first and the
   * last event of each phase (where the time goes: downloading, reading, computing).
   */
  phases: Record<string, { first: number; last: number; events: number }>;
  /** report-load of the last run, ms. */
  lastMs: number;
  /** Where the store computed ('worker' or 'main'). */
  computedIn: string | null;
  accepted: number | null;
  totals: Record<string, number>;
}

let generated: { count: number; events: unknown[]; ms: number } | null = null;

/** Generates the events of an in-browser run (kept for the runs that follow); returns ms. */
async function generate(options: { kitModule: string; events: number }): Promise<number> {
  await loadKit(options.kitModule);
  if (generated?.count !== options.events) {
    generated = null;
    const g0 = performance.now();
    const evs = events(options.events);
    generated = { count: options.events, events: evs, ms: performance.now() - g0 };
  }
  return generated.ms;
}

async function inBrowser(options: {
  kitModule: string;
  events: number;
  runs: number;
  timeoutMs: number;
}): Promise<InBrowserResult> {
  await generate(options);
  const evs = generated!.events;
  return timedRuns({ ...options, label: 'in-browser', accepted: evs.length }, (el) => {
    el.events = evs;
  });
}

/**
 * `<ua-source>` elements (range 30), one per run, each given its data by `start`, timed to
 * `report-load`, with the main thread's long tasks. A report is the run's when it accepted
 * `accepted` events.
 */
async function timedRuns(
  options: { runs: number; timeoutMs: number; label: string; accepted: number | null },
  start: (el: UaSource) => void,
  afterRun?: (run: number) => Promise<void>,
): Promise<InBrowserResult> {
  const times: number[] = [];
  const computes: number[] = [];
  const longTasks: InBrowserResult['longTasks'] = [];
  const longestPerRun: number[] = [];
  let last: {
    report: Report;
    el: UaSource;
    t0: number;
    phases: InBrowserResult['phases'];
  } | null = null;
  for (let run = 0; run < options.runs; run++) {
    const el = document.createElement('ua-source');
    el.setAttribute('range', '30');
    el.setAttribute('end-date', END);
    el.setAttribute('time-zone', TIME_ZONE);
    document.body.append(el);
    await sleep(200);
    // The harness's garbage out of the way, and the events settled in V8's old generation, as
    // data loaded a moment ago would be. Without this, the first allocations of the run set off
    // the scavenge that promotes the generator's youngest events: 40-45 ms of CPU, and three
    // times that on the wall clock when its helper threads wait for a core.
    gcFn?.();
    await sleep(50);

    const tasks: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
    observer.observe({ entryTypes: ['longtask'] });
    const loaded = new Promise<Report>((resolve, reject) => {
      const onLoad = (e: Event) => {
        const detail = (e as CustomEvent<Report>).detail;
        const n = detail?.diagnostics?.accepted;
        if (options.accepted !== null ? n !== options.accepted : !n) return; // an earlier report
        el.removeEventListener('report-load', onLoad);
        resolve(detail);
      };
      el.addEventListener('report-load', onLoad);
      el.addEventListener(
        'report-error',
        (e) => reject(new Error(`report-error: ${JSON.stringify((e as CustomEvent).detail)}`)),
        { once: true },
      );
    });
    const phases: InBrowserResult['phases'] = {};
    el.addEventListener('report-progress', (e) => {
      const at = performance.now() - t0;
      const p = (phases[e.detail.phase] ??= { first: at, last: at, events: 0 });
      p.last = at;
      p.events++;
    });
    mark(`${options.label}-${run}`, 'start');
    const t0 = performance.now();
    start(el);
    const report = await withTimeout(loaded, options.timeoutMs, 'report-load');
    times.push(performance.now() - t0);
    mark(`${options.label}-${run}`, 'end');
    await sleep(500); // long-task entries arrive after their task
    tasks.push(...observer.takeRecords());
    observer.disconnect();
    const mine = tasks
      .filter((t) => t.startTime + t.duration > t0)
      .map((t) => ({ run, start: t.startTime - t0, duration: t.duration }));
    longTasks.push(...mine);
    longestPerRun.push(Math.max(0, ...mine.map((t) => t.duration)));
    const compute = storeMeasures.find((m) => m.name === 'ua-kit:compute' && m.startTime >= t0);
    if (compute) computes.push(compute.duration);
    if (last) last.el.remove();
    last = { report, el, t0, phases };
    await afterRun?.(run);
  }
  const measures = storeMeasures
    .filter((m) => m.name.startsWith('ua-kit:') && m.startTime >= last!.t0 - 1)
    .map((m) => ({ name: m.name, start: m.startTime - last!.t0, duration: m.duration }));
  const computedIn = last!.el.store.computeSite;
  last!.el.remove();
  return {
    events: last!.report.diagnostics?.accepted ?? 0,
    generateMs: generated?.ms ?? 0,
    reportMs: timing(times),
    longTasks: longTasks.sort((a, b) => b.duration - a.duration),
    longestPerRun,
    measures,
    computeMs: computes.length === options.runs ? timing(computes) : null,
    phases: last!.phases,
    lastMs: times[times.length - 1],
    computedIn,
    accepted: last!.report.diagnostics?.accepted ?? null,
    totals: last!.report.totals,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* events-src                                                                                   */

/**
 * `<ua-source events-src=url>` to `report-load`, as inBrowser does for `events`; with
 * `floor`, each run is followed by a bare download of the same file (bareDownloadRuns), so
 * that the two take turns under the same load.
 */
async function eventsSrc(options: {
  kitModule: string;
  url: string;
  label: string;
  runs: number;
  timeoutMs: number;
  floor?: boolean;
}): Promise<InBrowserResult & { download: BareDownload | null }> {
  await loadKit(options.kitModule);
  generated = null; // an events array of an earlier section must not stay in the heap
  const downloads: BareAnswer[] = [];
  const r = await timedRuns(
    { ...options, accepted: null },
    (el) => el.setAttribute('events-src', options.url),
    !options.floor
      ? undefined
      : async (run) => {
          downloads.push(...(await bareDownloadRuns(options.url, 1, `bare-download-${run}`)));
        },
  );
  return { ...r, download: options.floor ? downloadSummary(downloads) : null };
}

/**
 * `source.columns = table`, the Table read from the Arrow file at `url` with tableFromIPC
 * before the clock starts (apache-arrow loads only for this section). Every column of such a
 * Table views the file's one buffer, so the kit copies them before the transfer: the same
 * Table serves every run.
 */
async function arrowColumns(options: {
  kitModule: string;
  url: string;
  label: string;
  runs: number;
  timeoutMs: number;
}): Promise<InBrowserResult & { tableMs: number }> {
  await loadKit(options.kitModule);
  generated = null;
  const { tableFromIPC } = await import('apache-arrow');
  const t0 = performance.now();
  const table = tableFromIPC(new Uint8Array(await (await fetch(options.url)).arrayBuffer()));
  const tableMs = performance.now() - t0;
  const r = await timedRuns({ ...options, accepted: null }, (el) => {
    el.columns = table;
  });
  return { ...r, tableMs };
}

/** The clock shared by the page and its workers: ms since the epoch, sub-millisecond. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Runs a bare Web Worker of `source` (a blob URL: no request for the script) `runs` times,
 * one after the other, each given the absolute `url` and answering once; returns each answer
 * with `startAt`, the shared clock (`now`) just before `new Worker`.
 */
async function bareWorkerRuns<T>(
  source: string,
  label: string,
  options: { url: string; runs: number },
): Promise<Array<T & { startAt: number }>> {
  const script = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const answers: Array<T & { startAt: number }> = [];
  for (let run = 0; run < options.runs; run++) {
    gcFn?.();
    await sleep(100);
    mark(`${label}-${run}`, 'start'); // for the CPU time in a trace (worker start included)
    const startAt = now();
    const worker = new Worker(script);
    const answer = await new Promise<T>((resolve) => {
      worker.onmessage = (e) => resolve(e.data as T);
      worker.postMessage(new URL(options.url, location.href).href);
    });
    mark(`${label}-${run}`, 'end');
    worker.terminate();
    answers.push({ ...answer, startAt });
  }
  URL.revokeObjectURL(script);
  return answers;
}

/**
 * The floor for NDJSON: a bare loop in a Web Worker that fetches `url`, decodes and splits it
 * into lines and JSON.parses each (nothing else). ms per run from the fetch call (the worker's
 * start left out), median of `runs`.
 */
async function bareNdjson(options: { url: string; runs: number; label?: string }): Promise<Timing> {
  const source = `onmessage = async (e) => {
    const t0 = performance.now();
    const res = await fetch(e.data);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let rows = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      for (let nl = pending.indexOf('\\n'); nl >= 0; nl = pending.indexOf('\\n', start)) {
        JSON.parse(pending.slice(start, nl));
        rows++;
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
    if (pending.trim() !== '') { JSON.parse(pending); rows++; }
    postMessage({ ms: performance.now() - t0, rows });
  };`;
  const label = options.label ?? 'bare-ndjson';
  const answers = await bareWorkerRuns<{ ms: number }>(source, label, options);
  return timing(answers.map((a) => a.ms));
}

export interface BareDownload {
  /** `new Worker` → the body's end (every chunk read), per run. */
  fromWorker: Timing;
  /** The fetch call in the worker → the body's end: the same without the worker's start. */
  fromFetch: Timing;
  bytes: number;
  /** Chunks read, last run. */
  chunks: number;
}

type BareAnswer = {
  startAt: number;
  fetchAt: number;
  endAt: number;
  bytes: number;
  chunks: number;
  status: number;
};

/**
 * The transfer's floor for any events file: a bare Web Worker that fetches `url` from the
 * bench's server and reads every chunk of its body, nothing else (no decoding, no copy), `runs`
 * times. Timed on the clock the page and the worker share (timeOrigin + now).
 */
function bareDownloadRuns(url: string, runs: number, label: string): Promise<BareAnswer[]> {
  const source = `onmessage = async (e) => {
    const now = () => performance.timeOrigin + performance.now();
    const fetchAt = now();
    const res = await fetch(e.data);
    const reader = res.body.getReader();
    let bytes = 0;
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks++;
    }
    postMessage({ fetchAt, endAt: now(), bytes, chunks, status: res.status });
  };`;
  return bareWorkerRuns<Omit<BareAnswer, 'startAt'>>(source, label, { url, runs });
}

function downloadSummary(answers: BareAnswer[]): BareDownload {
  const last = answers[answers.length - 1];
  check(
    answers.every((a) => a.status === 200 && a.bytes === last.bytes),
    'every bare download read the whole file',
  );
  return {
    fromWorker: timing(answers.map((a) => a.endAt - a.startAt)),
    fromFetch: timing(answers.map((a) => a.endAt - a.fetchAt)),
    bytes: last.bytes,
    chunks: last.chunks,
  };
}

(globalThis as { uaBench?: unknown }).uaBench = {
  render,
  click,
  memoryCycles,
  heapAfterGc,
  generate,
  inBrowser,
  eventsSrc,
  arrowColumns,
  bareNdjson,
};
