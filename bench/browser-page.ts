/**
 * The page side of the browser bench (bench/browser.html, driven by bench/browser.mjs):
 * generates events, hands them to a `<ua-source>` through its `events` property and times the
 * Report, watching the main thread's long tasks.
 */
import { generateEvents } from '../demo/synthetic.js';

export interface BrowserBenchOptions {
  /** Events to generate (approximately). */
  events: number;
  /** Module that defines `<ua-source>`, as a URL path the server knows. */
  sourceModule: string;
  /** Give up after this long, ms. */
  timeoutMs: number;
}

export interface BrowserBenchResult {
  events: number;
  generateMs: number;
  /** From setting `events` to `report-load`. */
  reportMs: number;
  /**
   * Main-thread tasks of 50 ms or more between setting `events` and a moment after the report,
   * longest first: start (ms after setting `events`) and duration.
   */
  longTasks: Array<{ start: number; duration: number }>;
  /** The store's User Timing measures (`ua-kit:*`) of this run: start (ms after setting `events`) and duration. */
  measures: Array<{ name: string; start: number; duration: number }>;
  /** Where the store computed ('worker' or 'main'), when it says. */
  computedIn: string | null;
  accepted: number | null;
  totals: Record<string, number>;
}

type SourceElement = HTMLElement & { events: unknown; store?: { computeSite?: unknown } };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

async function run(options: BrowserBenchOptions): Promise<BrowserBenchResult> {
  await import(/* @vite-ignore */ options.sourceModule);
  await withTimeout(customElements.whenDefined('ua-source'), 10_000, '<ua-source> definition');

  const g0 = performance.now();
  const events = generateEvents({
    users: 20_000,
    days: 70,
    end: '2026-03-31',
    timeZone: 'Asia/Shanghai',
    seed: 42,
    targetEvents: options.events,
  });
  const generateMs = performance.now() - g0;

  const el = document.createElement('ua-source') as SourceElement;
  el.setAttribute('range', '30');
  el.setAttribute('end-date', '2026-03-31');
  el.setAttribute('time-zone', 'Asia/Shanghai');
  document.body.append(el);
  await sleep(200); // the generator's garbage and the element's first render, out of the way

  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ entryTypes: ['longtask'] });
  const loaded = new Promise<CustomEvent>((resolve, reject) => {
    const onLoad = (e: Event) => {
      const detail = (e as CustomEvent).detail as { diagnostics?: { accepted: number } };
      const accepted = detail?.diagnostics?.accepted;
      if (accepted !== undefined && accepted !== events.length) return; // an earlier report
      el.removeEventListener('report-load', onLoad);
      resolve(e as CustomEvent);
    };
    el.addEventListener('report-load', onLoad);
    el.addEventListener(
      'report-error',
      (e) => reject(new Error(`report-error: ${JSON.stringify((e as CustomEvent).detail)}`)),
      { once: true },
    );
  });

  const t0 = performance.now();
  el.events = events;
  const event = await withTimeout(loaded, options.timeoutMs, 'report-load');
  const reportMs = performance.now() - t0;

  await sleep(500); // long-task entries arrive after their task
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  const longTasks = tasks
    .filter((t) => t.startTime + t.duration > t0)
    .map((t) => ({ start: t.startTime - t0, duration: t.duration }))
    .sort((a, b) => b.duration - a.duration);
  const measures = performance
    .getEntriesByType('measure')
    .filter((m) => m.name.startsWith('ua-kit:') && m.startTime >= t0 - 1)
    .map((m) => ({ name: m.name, start: m.startTime - t0, duration: m.duration }));
  const report = event.detail as {
    totals: Record<string, number>;
    diagnostics?: { accepted: number };
  };
  const mode = el.store?.computeSite;
  return {
    events: events.length,
    generateMs,
    reportMs,
    longTasks,
    measures,
    computedIn: typeof mode === 'string' ? mode : null,
    accepted: report.diagnostics?.accepted ?? null,
    totals: report.totals,
  };
}

(globalThis as { uaBench?: unknown }).uaBench = { run };
