import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { parseCivil } from '../../engine/periods.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../engine/types.js';
import type { AppChangeEvent } from '../../events/app-change.js';
import { MetricSelectEvent } from '../../events/metric-select.js';
import type { RangeChangeEvent } from '../../events/range-change.js';
import {
  optionalNumberAttribute,
  type NumberInput,
  type RangeInput,
} from '../../internal/coerce.js';
import { formatDate, resolveLang, strings, type Lang } from '../../i18n/index.js';
import type { MetricsStore } from '../../store/metrics-store.js';
import { DEFAULT_METRIC } from '../../store/types.js';
import { themeStyles } from '../../styles/theme.styles.js';
import '../source/source.js';
import type { UaSource } from '../source/source.js';
import '../app-select/app-select.js';
import '../range-select/range-select.js';
import '../overview/overview.js';
import '../trend/trend.js';
import '../detail-table/detail-table.js';
import { dashboardStyles } from './dashboard.styles.js';

/** A 'YYYY-MM-DD' day as people read it, or null when it is not one. */
function formatDay(day: string, lang: Lang): string | null {
  try {
    const { y, m, d } = parseCivil(day);
    return formatDate(Date.UTC(y, m - 1, d), 'UTC', lang);
  } catch {
    return null;
  }
}

/**
 * @summary The whole User Analysis page in one tag: app and range pickers, the seven metric
 * cards, the trend chart and the detail table over one internal `<ua-source>`.
 *
 * Data attributes (`endpoint`, `events-src`, `app`, `range`, `end-date`, `time-zone`,
 * `merge-gap`, `timeout`, `metric`) and the `events` property pass through to the internal
 * source; `lang` (attribute or property) passes to every widget. What a person picks in the
 * dashboard flows back: choosing an app or a range updates `app`, `range` and `endDate`, and
 * `metric` always reads the selected metric. The line above the cards names the last day of
 * the Report shown ("Data up to Mar 10, 2026 (T+1)") and its time zone.
 *
 * @fires {MetricSelectEvent} metric-select - A metric card was chosen; re-fired once from the dashboard itself
 *   (`detail: { metric }`).
 * @fires {AppChangeEvent} app-change - An app was chosen in the picker (`detail: { app }`, null for all apps).
 * @fires {RangeChangeEvent} range-change - A range or day was chosen (`detail: { range, end }`).
 * @fires {ReportLoadEvent} report-load - The internal source has a Report (`detail`: the Report).
 * @fires {ReportErrorEvent} report-error - Loading failed (`detail: { reason }`).
 * @fires {ReportProgressEvent} report-progress - Loading progress (`detail: { phase, done, total }`).
 *
 * @csspart header - The row with the pickers and the data note.
 * @csspart meta - "Data up to … (T+1)" and the time zone.
 * @csspart overview - The `<ua-overview>`.
 * @csspart trend - The `<ua-trend>`'s panel.
 * @csspart table - The `<ua-detail-table>`'s panel.
 *
 * @cssprop --ua-dashboard-gap - Space between the sections (16px).
 * @cssprop --ua-color-surface - Panel background.
 * @cssprop --ua-color-border - Panel border.
 * @cssprop --ua-radius - Panel corner radius.
 */
@customElement('ua-dashboard')
export class UaDashboard extends LitElement {
  static override styles = [themeStyles, dashboardStyles];

  /** Base URL of the report endpoint (SPEC §7). */
  @property({ attribute: 'endpoint' }) endpoint: string | null = null;
  /** URL of a JSON array or NDJSON of events, computed in the browser. */
  @property({ attribute: 'events-src' }) eventsSrc: string | null = null;
  /** Events computed in the browser; wins over `events-src` and `endpoint`. */
  @property({ attribute: false }) events: readonly unknown[] | null = null;
  /** App id; unset: all apps. Follows the app picker. */
  @property({ attribute: 'app' }) app: string | null = null;
  /** 1, 7 or 30 days. Follows the range picker. */
  @property({ attribute: 'range', type: Number }) range: RangeInput = 7;
  /** Last day of the period, 'YYYY-MM-DD'; default yesterday (T+1). Follows the range picker. */
  @property({ attribute: 'end-date' }) endDate: string | null = null;
  /** IANA time zone; default the browser's. */
  @property({ attribute: 'time-zone' }) timeZone: string | null = null;
  /** Open merge gap in seconds (default 30). */
  @property({ attribute: 'merge-gap', converter: optionalNumberAttribute })
  mergeGap: NumberInput | null = null;
  /** Endpoint timeout in ms (default 15000). */
  @property({ attribute: 'timeout', converter: optionalNumberAttribute })
  timeout: NumberInput | null = null;
  /** Language of labels and formats: 'en' or 'zh-CN'; default the page's. */
  @property({ attribute: 'lang' }) override lang = '';

  @state() private report: Report | null = null;
  @query('ua-source') private source!: UaSource | null;

  /** The metric asked for by attribute or property, until the source exists. */
  private requestedMetric: MetricKey | null = null;

  /**
   * The selected metric (default `activeUsers`): the trend shows it and its card is selected.
   * Reads the source's selection, so it follows the cards; setting it selects that metric.
   */
  @property({ attribute: 'metric', noAccessor: true })
  get metric(): MetricKey {
    return this.source?.metric ?? this.requestedMetric ?? DEFAULT_METRIC;
  }

  set metric(value: MetricKey) {
    if (!METRIC_KEYS.includes(value)) return;
    const old = this.metric;
    this.requestedMetric = value;
    // Straight to the source: the selection may have moved since the last time it was set here.
    if (this.source) this.source.metric = value;
    this.requestUpdate('metric', old);
  }

  /** The internal source's store (null before the first render). */
  get store(): MetricsStore | null {
    return this.source?.store ?? null;
  }

  protected override firstUpdated(): void {
    if (this.requestedMetric && this.source) this.source.metric = this.requestedMetric;
  }

  override render() {
    const language: Lang = resolveLang(this);
    return html`<ua-source
      endpoint=${ifDefined(this.endpoint ?? undefined)}
      events-src=${ifDefined(this.eventsSrc ?? undefined)}
      app=${ifDefined(this.app ?? undefined)}
      range=${this.range}
      end-date=${ifDefined(this.endDate ?? undefined)}
      time-zone=${ifDefined(this.timeZone ?? undefined)}
      merge-gap=${ifDefined(this.mergeGap ?? undefined)}
      timeout=${ifDefined(this.timeout ?? undefined)}
      .events=${this.events}
      @report-load=${this.onReportLoad}
      @metric-select=${this.onMetricSelect}
      @app-change=${this.onAppChange}
      @range-change=${this.onRangeChange}
    >
      <div class="layout">
        <header part="header">
          <ua-app-select lang=${language}></ua-app-select>
          <ua-range-select lang=${language}></ua-range-select>
          ${this.renderMeta(language)}
        </header>
        <section class="cards">
          <ua-overview part="overview" lang=${language}></ua-overview>
        </section>
        <section part="trend"><ua-trend compare lang=${language}></ua-trend></section>
        <section part="table"><ua-detail-table lang=${language}></ua-detail-table></section>
      </div>
    </ua-source>`;
  }

  /** "Data up to <the Report's last day> (T+1) · Time zone: <its zone>". */
  private renderMeta(language: Lang) {
    const r = this.report;
    const lastDay = r && formatDay(r.end, language);
    if (!r || !lastDay) return nothing;
    const s = strings(language);
    return html`<span class="meta" part="meta"
      >${s.dataUpTo(lastDay)} · ${s.labelled(s.timeZone, r.timeZone)}</span
    >`;
  }

  private onReportLoad(e: CustomEvent<Report>) {
    this.report = e.detail;
  }

  /** Re-fires a card choice from the dashboard itself, once. */
  private onMetricSelect(e: MetricSelectEvent) {
    e.stopPropagation();
    const event = new MetricSelectEvent(e.detail.metric);
    this.dispatchEvent(event);
  }

  /** The picker changed the store; the dashboard's own `app` follows (the event goes on). */
  private onAppChange(e: AppChangeEvent) {
    this.app = e.detail.app;
  }

  private onRangeChange(e: RangeChangeEvent) {
    this.range = e.detail.range;
    this.endDate = e.detail.end;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-dashboard': UaDashboard;
  }
}
