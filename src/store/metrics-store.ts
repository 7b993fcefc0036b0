import { computeReport } from '../engine/compute.js';
import type { MetricKey, Report } from '../engine/types.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_METRIC,
  type AppInfo,
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

/**
 * The shared, DOM-free state behind a `<ua-source>`: configuration, selected metric, and the
 * load state of the app list and the Report. Widgets subscribe and re-render on `change`.
 *
 * SKELETON: in-browser mode computes on the main thread and endpoint mode is not wired yet;
 * the store issue replaces `load()` with the endpoint client and the worker bridge.
 */
export class MetricsStore extends EventTarget {
  private _config: StoreConfig = { ...DEFAULT_CONFIG };
  private _metric: MetricKey = DEFAULT_METRIC;
  private _report: LoadState<Report> = { status: 'idle' };
  private _apps: LoadState<AppInfo[]> = { status: 'idle' };
  private scheduled = false;
  private fixed = false;

  get config(): Readonly<StoreConfig> {
    return this._config;
  }

  get metric(): MetricKey {
    return this._metric;
  }

  get report(): LoadState<Report> {
    return this._report;
  }

  get apps(): LoadState<AppInfo[]> {
    return this._apps;
  }

  /** Changes the configuration; a (re)load follows in a microtask, once per batch of changes. */
  configure(patch: Partial<StoreConfig>): void {
    this._config = { ...this._config, ...patch };
    this.fixed = false;
    this.changed();
    this.scheduleLoad();
  }

  /** Selects the metric that widgets without their own `metric` show. */
  setMetric(metric: MetricKey): void {
    if (metric === this._metric) return;
    this._metric = metric;
    this.changed();
  }

  /** Shows a ready Report (and optionally an app list) without loading anything. */
  setReport(report: Report, apps?: AppInfo[]): void {
    this.fixed = true;
    this._report = { status: 'ready', value: report };
    if (apps) this._apps = { status: 'ready', value: apps };
    this.changed();
  }

  /** Loads again after an error (or at any time). */
  retry(): void {
    this.scheduleLoad();
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.addEventListener('change', listener);
    return () => this.removeEventListener('change', listener);
  }

  /** Stops all pending work. */
  dispose(): void {
    this.scheduled = false;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  private scheduleLoad(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      if (!this.scheduled) return;
      this.scheduled = false;
      if (!this.fixed) this.load();
    });
  }

  private load(): void {
    const c = this._config;
    if (c.events === null) return;
    try {
      const report = computeReport(c.events, {
        range: c.range,
        end: c.end ?? undefined,
        timeZone: c.timeZone ?? undefined,
        app: c.app ?? undefined,
        mergeGapMs: c.mergeGap === null ? undefined : c.mergeGap * 1000,
      });
      this._report = { status: 'ready', value: report };
      this.changed();
      this.dispatchEvent(new CustomEvent('report-load', { detail: report }));
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this._report = { status: 'error', error: reason };
      this.changed();
      this.dispatchEvent(new CustomEvent('report-error', { detail: { reason } }));
    }
  }
}
