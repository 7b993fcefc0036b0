import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { METRIC_KEYS, type MetricKey, type Range, type Report } from '../../engine/types.js';
import {
  numberFrom,
  optionalNumberAttribute,
  optionalNumberFrom,
  type NumberInput,
  type RangeInput,
} from '../../internal/coerce.js';
import { ReportErrorEvent } from '../../events/report-error.js';
import { ReportLoadEvent } from '../../events/report-load.js';
import { ReportProgressEvent } from '../../events/report-progress.js';
import type { EventsFormat } from '../../store/events-loader.js';
import { MetricsStore } from '../../store/metrics-store.js';
import { SOURCE_CONNECTED } from '../../internal/store-controller.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_METRIC,
  type AppInfo,
  type ColumnsInput,
  type StoreConfig,
} from '../../store/types.js';

/**
 * Set one data source: the `events` property, `events-src` or `endpoint`; if several are set,
 * `events` wins over `events-src` over `endpoint`. Widgets nested inside use it, and so do
 * widgets elsewhere that name its id in their `source` attribute; they share one request and
 * one computation. Removed from the page it stops its work; put back, it resumes.
 *
 * @summary Holds the shared metrics store that widgets show: loads Reports from an endpoint, or
 * computes them in the browser from events. No UI of its own; its children render as usual.
 *
 * @fires {ReportLoadEvent} report-load - A Report is ready; `detail` is the Report.
 * @fires {ReportErrorEvent} report-error - Loading or computing failed; `detail.reason` says why, readably.
 * @fires {ReportProgressEvent} report-progress - Long work advanced; `detail` is `{ phase, done, total }` (`total`
 *   null when unknown).
 *
 * @slot - Widgets placed inside use this source.
 */
@customElement('ua-source')
export class UaSource extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    :host([hidden]) {
      display: none;
    }
  `;

  /** Base URL of the report endpoint: `GET {endpoint}/apps`, `GET {endpoint}/report?…`. */
  @property() endpoint: string | null = null;

  /** URL of events: NDJSON, a JSON array, Arrow IPC or Parquet; fetched and read in a Web Worker. */
  @property({ attribute: 'events-src' }) eventsSrc: string | null = null;

  /**
   * Format of the `events-src` file: `json`, `ndjson`, `arrow` (Arrow IPC) or `parquet`;
   * unset: from its media type, its extension, or its first bytes.
   */
  @property({ attribute: 'events-format' }) eventsFormat: EventsFormat | null = null;

  /** Events given directly; parsed in slices, computed in a Web Worker. Set a new array to recompute. */
  @property({ attribute: false }) events: readonly unknown[] | null = null;

  /**
   * Events as columns, for a page that holds them already: `{ length, user, time, type, app }`,
   * each column an array of values or `{ codes, dictionary }` (a code per event into an array
   * of values; a negative code is null); `time` in epoch ms (NaN: no time). Or an apache-arrow
   * `Table` with columns `user`, `time`, `type` and optional `app`, typed as in an Arrow file
   * (the kit reads its Data without importing apache-arrow). Read in the Web Worker; typed
   * arrays are transferred, not copied (detached in the page afterwards); a Table's column
   * that views part of a larger buffer (as after `tableFromIPC`) is copied instead. After
   * `events`, before `events-src`.
   */
  @property({ attribute: false }) columns: ColumnsInput | null = null;

  /** App id; unset: all apps. Follows `<ua-app-select>`. */
  @property() app: string | null = null;

  /** Days in the period: 1, 7 or 30. Follows `<ua-range-select>`. */
  @property({ type: Number }) range: RangeInput = 7;

  /** Last day of the period, 'YYYY-MM-DD'; unset: yesterday (data is T+1). Follows `<ua-range-select>`. */
  @property({ attribute: 'end-date' }) endDate: string | null = null;

  /** IANA time zone of days and hours; unset: the browser's. */
  @property({ attribute: 'time-zone' }) timeZone: string | null = null;

  /** Opens closer than this many seconds to the previous one's end merge; unset: 30. */
  @property({ attribute: 'merge-gap', converter: optionalNumberAttribute })
  mergeGap: NumberInput | null = null;

  /**
   * Names and kinds of the apps in in-browser mode (`[{ id, name, kind }]`), whose events carry
   * only ids; the app picker shows these names, sorted. Ids not listed show as themselves.
   */
  @property({ attribute: false }) apps: readonly AppInfo[] | null = null;

  /** Endpoint and events-src timeout in ms. */
  @property({ type: Number }) timeout: NumberInput = DEFAULT_CONFIG.timeout;

  private readonly _store = new MetricsStore();
  private disposeQueued = false;

  constructor() {
    super();
    const store = this._store;
    store.addEventListener('report-load', (e) => this.dispatchEvent(new ReportLoadEvent(e.detail)));
    store.addEventListener('report-error', (e) =>
      this.dispatchEvent(new ReportErrorEvent(e.detail.reason)),
    );
    store.addEventListener('report-progress', (e) =>
      this.dispatchEvent(new ReportProgressEvent(e.detail)),
    );
    store.subscribe(() => {
      if (store.metric !== this._metric) {
        const old = this._metric;
        this._metric = store.metric;
        this.requestUpdate('metric', old);
      }
      this.adoptConfig();
    });
  }

  /** The store's configuration last seen, to tell changes made elsewhere from our own. */
  private seenConfig: Readonly<StoreConfig> = this._store.config;

  /**
   * A picker (or any store user) changed the app, range or day on the store: the matching
   * properties follow, so that they read true and setting them back works. Nothing reloads:
   * `willUpdate` leaves out values the store already has.
   */
  private adoptConfig(): void {
    const c = this._store.config;
    const seen = this.seenConfig;
    if (c === seen) return;
    this.seenConfig = c;
    if (c.app !== seen.app && c.app !== (this.app || null)) this.app = c.app;
    if (c.range !== seen.range && c.range !== this.range) this.range = c.range;
    if (c.end !== seen.end && c.end !== (this.endDate || null)) this.endDate = c.end;
  }

  /** The shared store (read-only): widgets find it through this property. */
  get store(): MetricsStore {
    return this._store;
  }

  /** The ready Report, or null while loading, after an error, or without data. */
  get report(): Report | null {
    const state = this._store.report;
    return state.status === 'ready' ? state.value : null;
  }

  private _metric: MetricKey = DEFAULT_METRIC;

  /** The selected metric key (widgets without their own `metric` show it); default activeUsers. */
  @property({ noAccessor: true })
  get metric(): MetricKey {
    return this._metric;
  }

  set metric(value: MetricKey) {
    if (!METRIC_KEYS.includes(value) || value === this._metric) return;
    const old = this._metric;
    this._metric = value;
    this._store.setMetric(value);
    this.requestUpdate('metric', old);
  }

  /** Loads again (after an error, or to fetch fresh data). */
  retry(): void {
    this._store.retry();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.disposeQueued = false;
    this._store.resume();
    document.dispatchEvent(new Event(SOURCE_CONNECTED));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move (removed and inserted again in one task) keeps the work; a removal stops it.
    this.disposeQueued = true;
    queueMicrotask(() => {
      if (this.disposeQueued && !this.isConnected) this._store.dispose();
      this.disposeQueued = false;
    });
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const patch: Partial<StoreConfig> = {};
    if (changed.has('endpoint')) patch.endpoint = this.endpoint || null;
    if (changed.has('eventsSrc')) patch.eventsSrc = this.eventsSrc || null;
    if (changed.has('eventsFormat')) patch.eventsFormat = this.eventsFormat || null;
    if (changed.has('events')) patch.events = this.events ?? null;
    if (changed.has('columns')) patch.columns = this.columns ?? null;
    // Values the store has already (adopted from a picker) are not configured again.
    const c = this._store.config;
    if (changed.has('app') && (this.app || null) !== c.app) patch.app = this.app || null;
    const range = numberFrom(this.range) as Range;
    if (changed.has('range') && range !== c.range) patch.range = range;
    if (changed.has('endDate') && (this.endDate || null) !== c.end)
      patch.end = this.endDate || null;
    if (changed.has('timeZone')) patch.timeZone = this.timeZone || null;
    if (changed.has('mergeGap'))
      patch.mergeGap = optionalNumberFrom(this.mergeGap) as number | null;
    if (changed.has('timeout')) {
      const t = numberFrom(this.timeout);
      patch.timeout = typeof t === 'number' && t > 0 ? t : DEFAULT_CONFIG.timeout;
    }
    if (changed.has('apps')) this._store.setAppNames(this.apps);
    if (Object.keys(patch).length > 0) this._store.configure(patch);
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-source': UaSource;
  }
}
