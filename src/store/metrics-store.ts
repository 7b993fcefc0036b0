import { resolveOptions } from '../engine/options.js';
import { defaultTimeZone, parseCivil } from '../engine/periods.js';
import { METRIC_KEYS, type MetricKey, type Report, type ReportOptions } from '../engine/types.js';
import {
  MainThreadBackend,
  WorkerBackend,
  WorkerStartError,
  type ComputeBackend,
  type LoadedData,
} from './worker/compute-backend.js';
import { fetchApps, fetchReport, reportUrl, type ReportQuery } from './endpoint.js';
import { isAbort, reasonOf, throwIfAborted } from './errors.js';
import { EVENTS_FORMATS, parseArray, type EventsFormat } from './events-loader.js';
import { overallProgress } from './progress.js';
import { yieldToMain } from './slicing.js';
import { warnWorkerFallback } from './worker-url.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_METRIC,
  lastValue,
  type AppInfo,
  type ColumnsInput,
  type DataSpan,
  type LoadState,
  type Progress,
  type StoreConfig,
} from './types.js';

/** Events a store dispatches on itself. */
export interface StoreEventMap {
  /** Any state change: config, metric, apps or report. */
  change: Event;
  'report-load': CustomEvent<Report>;
  'report-error': CustomEvent<{ reason: string }>;
  'report-progress': CustomEvent<Progress>;
}

/** Where the data comes from; `events` wins over `events-src` over `endpoint` (docs/SPEC.md §8). */
export type SourceMode = 'events' | 'events-src' | 'endpoint';

/** The mode a configuration selects, or null when it names no data. */
export function modeOf(c: StoreConfig): SourceMode | null {
  if (c.events !== null && c.events !== undefined) return 'events';
  if (c.columns) return 'events';
  if (c.eventsSrc) return 'events-src';
  if (c.endpoint) return 'endpoint';
  return null;
}

/**
 * An events-src load as one string (so that equal loads compare equal): the absolute URL,
 * after the format and a space when `events-format` names one (an absolute URL has no space).
 */
function eventsSrcOf(c: StoreConfig): string {
  const url = absoluteUrl(c.eventsSrc!);
  return c.eventsFormat !== null && EVENTS_FORMATS.includes(c.eventsFormat)
    ? `${c.eventsFormat} ${url}`
    : url;
}

function urlAndFormat(source: string): [string, EventsFormat | null] {
  const space = source.indexOf(' ');
  if (space < 0) return [source, null];
  return [source.slice(space + 1), source.slice(0, space) as EventsFormat];
}

/** What one Report request is: equal requests are not made twice. */
interface Request {
  mode: SourceMode;
  /** The events array, the absolute events URL, or the endpoint. */
  source: unknown;
  /** The options, serialised. */
  key: string;
}

/** In-browser mode: the columns a backend holds, loaded once per data source. */
interface DataLoad {
  mode: 'events' | 'events-src';
  source: unknown;
  controller: AbortController;
  promise: Promise<LoadedData & { backend: ComputeBackend }>;
}

/** The page's address, to resolve a relative URL; none in a worker or Node. */
function absoluteUrl(url: string): string {
  try {
    return new URL(url, (globalThis as { location?: { href?: string } }).location?.href).href;
  } catch {
    return url;
  }
}

/**
 * A User Timing measure for benchmarks (`ua-kit:parse`, `ua-kit:compute`, …), delivered to
 * PerformanceObservers and not kept in the buffer; never throws.
 */
function measure(name: string, start: number): void {
  try {
    performance.measure(`ua-kit:${name}`, { start, end: performance.now() });
    // Observers (PerformanceObserver 'measure') still get the entry; the page's buffer must not
    // grow with every load in a long-lived portal.
    performance.clearMeasures(`ua-kit:${name}`);
  } catch {
    // no User Timing here
  }
}

/**
 * The shared, DOM-free state behind a `<ua-source>`: configuration, selected metric, and the
 * load state of the app list and the Report. Widgets subscribe and re-render on `change`.
 *
 * - Endpoint mode: `GET {endpoint}/apps` and `GET {endpoint}/report?…` with a timeout; a new
 *   configuration aborts the request in flight, and a late answer never replaces a newer one.
 *   Identical concurrent requests, from this store or another, share one fetch.
 * - In-browser mode: `events` are parsed on the main thread in slices of about 8 ms and
 *   handed to a Web Worker by transfer; `eventsSrc` is fetched and parsed inside the worker.
 *   The worker keeps the columns, so a new range, day, app, time zone or merge gap only
 *   recomputes. Without a working Worker, everything runs on the main thread.
 *
 * `dispose()` stops all work (aborts requests, ends the worker) and suspends the store;
 * `resume()` picks up again. Configuration set meanwhile is kept.
 */
export class MetricsStore extends EventTarget {
  #config: StoreConfig = { ...DEFAULT_CONFIG };
  #metric: MetricKey = DEFAULT_METRIC;
  #report: LoadState<Report> = { status: 'idle' };
  #apps: LoadState<AppInfo[]> = { status: 'idle' };
  #scheduled = false;
  #forced = false;
  #fixed = false;
  #suspended = false;

  /** Bumped by every Report load: an answer for an older generation is dropped. */
  #generation = 0;
  #request: Request | null = null;
  #reportAbort: AbortController | null = null;
  #appsEndpoint: string | null = null;
  #appsAbort: AbortController | null = null;
  #data: DataLoad | null = null;
  #backend: ComputeBackend | null = null;
  /** Set once a worker failed to start: this store computes on the main thread from then on. */
  #noWorker = false;
  /** In-browser mode: the span of the loaded events, and their distinct app ids. */
  #span: DataSpan | null = null;
  #appIds: readonly string[] | null = null;
  /** Names and kinds for in-browser mode's app ids (`setAppNames`). */
  #appNames: readonly AppInfo[] = [];

  constructor(config?: Partial<StoreConfig>) {
    super();
    if (config) this.configure(config);
  }

  get config(): Readonly<StoreConfig> {
    return this.#config;
  }

  get metric(): MetricKey {
    return this.#metric;
  }

  get report(): LoadState<Report> {
    return this.#report;
  }

  get apps(): LoadState<AppInfo[]> {
    return this.#apps;
  }

  /**
   * In-browser mode: the first and last event time of the loaded events (null before they
   * load, without events, and in endpoint mode).
   */
  get dataSpan(): DataSpan | null {
    return this.#span;
  }

  /**
   * Names and kinds of apps for in-browser mode, whose events carry only ids: the app list
   * shows each id under its name here (an id not listed shows as itself).
   */
  setAppNames(apps: readonly AppInfo[] | null): void {
    this.#appNames = apps ?? [];
    if (this.#appIds !== null && this.#apps.status === 'ready') {
      this.#setAppsState({ status: 'ready', value: this.#namedApps(this.#appIds) });
    }
  }

  /** In-browser mode's app list, in order of first appearance: each id under its given name. */
  #namedApps(ids: readonly string[]): AppInfo[] {
    return ids.map((id) => this.#appNames.find((a) => a.id === id) ?? { id, name: id });
  }

  /** The data source the configuration selects, or null. */
  get mode(): SourceMode | null {
    return modeOf(this.#config);
  }

  /** Where in-browser mode computes: 'worker', 'main' (no Worker could start), or null. */
  get computeSite(): 'worker' | 'main' | null {
    return this.#backend?.kind ?? null;
  }

  /** Changes the configuration; a (re)load follows in a microtask, once per batch of changes. */
  configure(patch: Partial<StoreConfig>): void {
    this.#config = { ...this.#config, ...patch };
    this.#fixed = false;
    this.#changed();
    this.#scheduleLoad(false);
  }

  /** Selects the metric that widgets without their own `metric` show. */
  setMetric(metric: MetricKey): void {
    if (!METRIC_KEYS.includes(metric)) {
      throw new RangeError(`metric: expected one of ${METRIC_KEYS.join(', ')}, got ${metric}`);
    }
    if (metric === this.#metric) return;
    this.#metric = metric;
    this.#changed();
  }

  /** Shows a ready Report (and optionally an app list) without loading anything. */
  setReport(report: Report, apps?: AppInfo[]): void {
    this.#fixed = true;
    this.#scheduled = false;
    this.#stopReport();
    this.#request = null;
    this.#report = { status: 'ready', value: report };
    if (apps) {
      this.#stopApps();
      this.#apps = { status: 'ready', value: apps };
    }
    this.#changed();
    this.dispatchEvent(new CustomEvent('report-load', { detail: report }));
  }

  /**
   * Loads again: the Report (in-browser mode: events are fetched and parsed again, in a new
   * worker if the old one crashed) and an app list that failed.
   */
  retry(): void {
    if (this.#fixed) return;
    this.#scheduleLoad(true);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.addEventListener('change', listener);
    return () => this.removeEventListener('change', listener);
  }

  /**
   * Stops all pending work: aborts requests, ends the worker, lets go of parsed events.
   * States stay as they are and no event follows. The store is suspended until `resume()`.
   */
  dispose(): void {
    this.#suspended = true;
    this.#scheduled = false;
    if (this.#report.status === 'loading') this.#request = null;
    if (this.#apps.status === 'loading') this.#appsEndpoint = null;
    this.#stopReport();
    this.#stopApps();
    this.#releaseData();
  }

  /** Loads what `dispose()` interrupted, and whatever the configuration now asks for. */
  resume(): void {
    if (!this.#suspended) return;
    this.#suspended = false;
    this.#scheduleLoad(false);
  }

  override addEventListener<K extends keyof StoreEventMap>(
    type: K,
    listener: ((event: StoreEventMap[K]) => void) | EventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, listener, options);
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  #scheduleLoad(force: boolean): void {
    this.#forced ||= force;
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      if (!this.#scheduled) return;
      this.#scheduled = false;
      const forced = this.#forced;
      this.#forced = false;
      this.#load(forced);
    });
  }

  #setReportState(state: LoadState<Report>): void {
    this.#report = state;
    this.#changed();
  }

  #setAppsState(state: LoadState<AppInfo[]>): void {
    this.#apps = state;
    this.#changed();
  }

  #stopReport(): void {
    this.#generation++;
    this.#reportAbort?.abort();
    this.#reportAbort = null;
  }

  #stopApps(): void {
    this.#appsAbort?.abort();
    this.#appsAbort = null;
  }

  #dropData(): void {
    this.#data?.controller.abort();
    this.#data = null;
    this.#span = null;
    this.#appIds = null;
  }

  /** Out of in-browser mode: end the worker and let go of the events. */
  #releaseData(): void {
    this.#dropData();
    this.#backend?.dispose();
    this.#backend = null;
  }

  /** Progress of the current load, passed on to widgets and as a 'report-progress' event. */
  readonly #onProgress = (progress: Progress): void => {
    const state = this.#report;
    if (state.status !== 'loading') return;
    const mode = this.#request?.mode ?? 'events-src';
    const overall = overallProgress(mode, progress, state.progress?.overall);
    this.#setReportState({ ...state, progress: { ...progress, overall } });
    this.dispatchEvent(new CustomEvent('report-progress', { detail: progress }));
  };

  /**
   * The engine options of the configuration; throws a RangeError naming a bad one. Endpoint
   * mode checks them all here, before anything is fetched. In-browser mode checks all but the
   * time zone, and leaves an unset zone to the engine where it computes: checking a zone needs
   * Intl, whose first use costs ~40 ms of ICU start-up that a worker should pay, not the page.
   */
  #options(c: StoreConfig, mode: SourceMode): ReportOptions {
    const mergeGap = c.mergeGap;
    if (mergeGap !== null && !(typeof mergeGap === 'number' && mergeGap >= 0 && mergeGap < 1e9)) {
      throw new RangeError(
        `merge-gap: expected a number of seconds ≥ 0, got ${String(mergeGap as unknown)}`,
      );
    }
    const options: ReportOptions = {
      range: c.range,
      end: c.end ?? undefined,
      timeZone: c.timeZone ?? undefined,
      app: c.app ?? undefined,
      mergeGapMs: mergeGap === null ? undefined : mergeGap * 1000,
    };
    if (mode === 'endpoint') {
      options.timeZone ??= defaultTimeZone();
      resolveOptions(options);
    } else {
      if (options.range !== 1 && options.range !== 7 && options.range !== 30) {
        throw new RangeError(`range: expected 1, 7 or 30, got ${String(options.range)}`);
      }
      if (options.end !== undefined) parseCivil(options.end);
    }
    return options;
  }

  #load(force: boolean): void {
    if (this.#fixed || this.#suspended) return;
    const c = this.#config;
    const mode = modeOf(c);
    this.#loadApps(mode, force);
    if (mode !== 'events' && mode !== 'events-src') this.#releaseData();
    if (mode === null) {
      this.#stopReport();
      this.#request = null;
      if (this.#report.status !== 'idle') this.#setReportState({ status: 'idle' });
      return;
    }

    let options: ReportOptions;
    try {
      if (mode === 'events' && !Array.isArray(c.events ?? [])) {
        throw new TypeError('events: expected an array of events');
      }
      options = this.#options(c, mode);
    } catch (e) {
      this.#stopReport();
      this.#request = null;
      this.#fail(reasonOf(e));
      return;
    }
    const source =
      mode === 'events'
        ? (c.events ?? c.columns)
        : mode === 'events-src'
          ? eventsSrcOf(c)
          : c.endpoint;
    // Endpoint mode: the URL is the request (merge-gap does not reach the server).
    const key =
      mode === 'endpoint'
        ? `${c.timeout} ${reportUrl(c.endpoint!, this.#query(c, options))}`
        : JSON.stringify(options);
    const current = this.#request;
    const status = this.#report.status;
    if (
      !force &&
      current !== null &&
      current.mode === mode &&
      current.source === source &&
      current.key === key &&
      (status === 'loading' || status === 'ready')
    ) {
      return; // the same request is in flight or done
    }

    this.#stopReport();
    const gen = this.#generation;
    const controller = new AbortController();
    this.#reportAbort = controller;
    this.#request = { mode, source, key };
    this.#setReportState({ status: 'loading', progress: null, previous: lastValue(this.#report) });

    const run =
      mode === 'endpoint'
        ? this.#fetchEndpointReport(c, options, controller.signal)
        : this.#computeInBrowser(mode, source, c.timeout, options, controller.signal, force);
    run.then(
      (report) => {
        if (gen !== this.#generation) return;
        this.#reportAbort = null;
        this.#setReportState({ status: 'ready', value: report });
        this.dispatchEvent(new CustomEvent('report-load', { detail: report }));
      },
      (e: unknown) => {
        if (gen !== this.#generation || isAbort(e)) return;
        this.#reportAbort = null;
        this.#fail(reasonOf(e));
      },
    );
  }

  #fail(reason: string): void {
    this.#setReportState({ status: 'error', error: reason, previous: lastValue(this.#report) });
    this.dispatchEvent(new CustomEvent('report-error', { detail: { reason } }));
  }

  #query(c: StoreConfig, options: ReportOptions): ReportQuery {
    const timeZone = options.timeZone ?? defaultTimeZone();
    return { app: c.app || null, range: c.range, end: c.end || null, timeZone };
  }

  async #fetchEndpointReport(
    c: StoreConfig,
    options: ReportOptions,
    signal: AbortSignal,
  ): Promise<Report> {
    const start = performance.now();
    const report = await fetchReport(c.endpoint!, this.#query(c, options), c.timeout, signal);
    measure('fetch', start);
    return report;
  }

  /** Endpoint mode: loads `/apps` once per endpoint (again on Retry after a failure). */
  #loadApps(mode: SourceMode | null, force: boolean): void {
    if (mode !== 'endpoint') {
      if (this.#appsEndpoint !== null) {
        this.#stopApps();
        this.#appsEndpoint = null;
      }
      if (mode === null && this.#apps.status !== 'idle') this.#setAppsState({ status: 'idle' });
      return;
    }
    const c = this.#config;
    const endpoint = `${c.timeout} ${c.endpoint}`;
    if (endpoint === this.#appsEndpoint && !(force && this.#apps.status === 'error')) return;
    this.#stopApps();
    this.#appsEndpoint = endpoint;
    const controller = new AbortController();
    this.#appsAbort = controller;
    this.#setAppsState({ status: 'loading', progress: null, previous: lastValue(this.#apps) });
    fetchApps(c.endpoint!, c.timeout, controller.signal).then(
      (apps) => {
        if (controller.signal.aborted) return;
        this.#appsAbort = null;
        this.#setAppsState({ status: 'ready', value: apps });
      },
      (e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        this.#appsAbort = null;
        this.#setAppsState({
          status: 'error',
          error: reasonOf(e),
          previous: lastValue(this.#apps),
        });
      },
    );
  }

  async #computeInBrowser(
    mode: 'events' | 'events-src',
    source: unknown,
    timeout: number,
    options: ReportOptions,
    signal: AbortSignal,
    force: boolean,
  ): Promise<Report> {
    const data = await this.#ensureData(mode, source, timeout, force);
    throwIfAborted(signal);
    const start = performance.now();
    const report = await data.backend.compute(
      data.id,
      { ...options, now: Date.now() },
      this.#onProgress,
      signal,
    );
    measure('compute', start);
    return report;
  }

  /** The loaded columns for this source: the ones already held, or a new load. */
  #ensureData(
    mode: 'events' | 'events-src',
    source: unknown,
    timeout: number,
    force: boolean,
  ): DataLoad['promise'] {
    const held = this.#data;
    if (!force && held !== null && held.mode === mode && held.source === source) {
      return held.promise;
    }
    this.#dropData();
    const controller = new AbortController();
    const load: DataLoad = {
      mode,
      source,
      controller,
      promise: this.#loadData(mode, source, timeout, controller.signal),
    };
    this.#data = load;
    this.#setAppsState({ status: 'loading', progress: null, previous: lastValue(this.#apps) });
    load.promise.then(
      ({ apps, span }) => {
        if (this.#data !== load) return;
        this.#span = span;
        this.#appIds = apps;
        this.#setAppsState({ status: 'ready', value: this.#namedApps(apps) });
      },
      (e: unknown) => {
        if (this.#data !== load) return;
        this.#data = null; // load again next time
        if (isAbort(e)) return;
        this.#setAppsState({
          status: 'error',
          error: reasonOf(e),
          previous: lastValue(this.#apps),
        });
      },
    );
    return load.promise;
  }

  /** A backend that works: the worker if one can start, else the main thread. */
  #currentBackend(force: boolean): ComputeBackend {
    if (this.#backend !== null && !this.#backend.broken && !force) return this.#backend;
    this.#backend?.dispose();
    this.#backend = null;
    if (!this.#noWorker) {
      try {
        this.#backend = new WorkerBackend();
      } catch (e) {
        // no Worker constructor, or a CSP that forbids it
        warnWorkerFallback(`no Web Worker could start here (${String(e)})`);
      }
    }
    this.#backend ??= new MainThreadBackend();
    return this.#backend;
  }

  async #loadData(
    mode: 'events' | 'events-src',
    source: unknown,
    timeout: number,
    signal: AbortSignal,
  ): Promise<LoadedData & { backend: ComputeBackend }> {
    // Start (or keep) the worker first: it boots while the events are parsed.
    let backend = this.#currentBackend(false);
    const parsed =
      mode === 'events' && Array.isArray(source)
        ? await this.#parseOnMainThread(source, signal)
        : null;
    for (;;) {
      const start = performance.now();
      try {
        const loaded =
          parsed !== null
            ? await backend.loadColumns(parsed, signal)
            : mode === 'events'
              ? await backend.loadBatch(source as ColumnsInput, signal)
              : await backend.loadUrl(
                  ...urlAndFormat(source as string),
                  timeout,
                  this.#onProgress,
                  signal,
                );
        measure(parsed !== null ? 'transfer' : 'load', start);
        return { ...loaded, backend };
      } catch (e) {
        if (!(e instanceof WorkerStartError)) throw e;
        warnWorkerFallback(e.message);
        this.#noWorker = true;
        backend = this.#currentBackend(true);
      }
    }
  }

  async #parseOnMainThread(events: unknown[], signal: AbortSignal) {
    const start = performance.now();
    const cols = await parseArray(events, {
      signal,
      onProgress: this.#onProgress,
      yieldFn: yieldToMain,
    });
    measure('parse', start);
    return cols;
  }
}
