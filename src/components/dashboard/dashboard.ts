import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { MetricKey, Range, Report } from '../../engine/types.js';
import { MetricSelectEvent } from '../../events/metric-select.js';
import { formatDate, resolveLang, strings, type Lang } from '../../i18n/index.js';
import type { MetricsStore } from '../../store/metrics-store.js';
import { themeStyles } from '../../styles/theme.styles.js';
import '../source/source.js';
import type { UaSource } from '../source/source.js';
import '../app-select/app-select.js';
import '../range-select/range-select.js';
import '../overview/overview.js';
import '../trend/trend.js';
import '../detail-table/detail-table.js';
import { dashboardStyles } from './dashboard.styles.js';

/**
 * @summary The whole User Analysis page in one tag: app and range pickers, the seven metric
 * cards, the trend chart and the detail table over one internal `<ua-source>`.
 *
 * Data attributes (`endpoint`, `events-src`, `app`, `range`, `end-date`, `time-zone`,
 * `merge-gap`, `timeout`) and the `events` property pass through to the internal source; `lang`
 * passes to every widget.
 *
 * @fires metric-select - A metric card was chosen; re-fired from the dashboard itself
 *   (`detail: { metric }`).
 * @fires report-load - The internal source has a Report (`detail`: the Report).
 * @fires report-error - Loading failed (`detail: { reason }`).
 * @fires report-progress - Loading progress (`detail: { phase, done, total }`).
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
  /** App id. */
  @property({ attribute: 'app' }) app: string | null = null;
  /** 1, 7 or 30 days. */
  @property({ attribute: 'range', type: Number }) range: Range = 7;
  /** Last day of the period, 'YYYY-MM-DD'; default yesterday (T+1). */
  @property({ attribute: 'end-date' }) endDate: string | null = null;
  /** IANA time zone; default the browser's. */
  @property({ attribute: 'time-zone' }) timeZone: string | null = null;
  /** Open merge gap in seconds (default 30). */
  @property({ attribute: 'merge-gap', type: Number }) mergeGap: number | null = null;
  /** Endpoint timeout in ms (default 15000). */
  @property({ attribute: 'timeout', type: Number }) timeout: number | null = null;
  /** Selected metric. */
  @property({ attribute: 'metric' }) metric: MetricKey | null = null;
  /** Language of labels and formats: 'en' or 'zh-CN'; default the page's. */
  @property({ attribute: 'lang' }) override lang = '';

  @state() private report: Report | null = null;
  @query('ua-source') private source!: UaSource | null;

  /** The internal source's store (null before the first render). */
  get store(): MetricsStore | null {
    return this.source?.store ?? null;
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
      metric=${ifDefined(this.metric ?? undefined)}
      .events=${this.events}
      @report-load=${this.onReportLoad}
      @metric-select=${this.onMetricSelect}
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

  private renderMeta(language: Lang) {
    const r = this.report;
    if (!r) return nothing;
    const s = strings(language);
    const lastDay = formatDate(r.period.end - 1, r.timeZone, language);
    return html`<span class="meta" part="meta"
      >${s.dataUpTo(lastDay)} · ${s.timeZone}: ${r.timeZone}</span
    >`;
  }

  private onReportLoad(e: CustomEvent<Report>) {
    this.report = e.detail;
  }

  /** Re-fires a card choice from the dashboard itself, once. */
  private onMetricSelect(e: MetricSelectEvent) {
    e.stopPropagation();
    this.metric = e.detail.metric;
    const event = new MetricSelectEvent(e.detail.metric);
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-dashboard': UaDashboard;
  }
}
