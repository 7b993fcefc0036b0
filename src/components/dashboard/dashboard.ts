import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { defaultEnd } from '../../engine/periods.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../engine/types.js';
import type { AppChangeEvent } from '../../events/app-change.js';
import { MetricSelectEvent } from '../../events/metric-select.js';
import type { RangeChangeEvent } from '../../events/range-change.js';
import {
  optionalNumberAttribute,
  type NumberInput,
  type RangeInput,
} from '../../internal/coerce.js';
import { formatDay, formatPeriod, strings, type Lang, type Strings } from '../../i18n/index.js';
import { LangController } from '../../internal/lang-controller.js';
import { localISODate } from '../../internal/local-iso.js';
import { reportView, type ReportView } from '../../internal/report-view.js';
import { renderEmpty, renderError, renderProgressBar } from '../../internal/states.js';
import type { MetricsStore } from '../../store/metrics-store.js';
import { DEFAULT_METRIC, type AppInfo } from '../../store/types.js';
import { stateStyles, themeStyles, type Theme } from '../../styles/theme.styles.js';
import '../source/source.js';
import type { UaSource } from '../source/source.js';
import '../app-select/app-select.js';
import '../range-select/range-select.js';
import '../overview/overview.js';
import '../trend/trend.js';
import '../detail-table/detail-table.js';
import { dashboardStyles } from './dashboard.styles.js';

/** An endpoint's own word on freshness: a `dataUpTo` day in its Report, if it sends one. */
function endpointDataUpTo(report: Report): string | null {
  const value = (report as { dataUpTo?: unknown }).dataUpTo;
  return typeof value === 'string' ? value : null;
}

/**
 * @summary The whole User Analysis page in one tag: app and range pickers, the seven metric
 * cards, the trend chart and the detail table over one internal `<ua-source>`.
 *
 * Data attributes (`endpoint`, `events-src`, `app`, `range`, `end-date`, `time-zone`,
 * `merge-gap`, `timeout`, `metric`) and the `events` property pass through to the internal
 * source; `lang` (attribute or property) passes to every widget. What a person picks in the
 * dashboard flows back: choosing an app or a range updates `app`, `range` and `endDate`, and
 * `metric` always reads the selected metric.
 *
 * States are shown once for the whole page: a thin progress bar above the cards (in a strip
 * that keeps its height, so nothing moves when a Report loads over the last one, which stays
 * dimmed), one error with its reason and one Retry, one empty message saying which days the
 * data covers. The line beside the pickers says how fresh the data is apart from the period
 * shown: "Data up to Mar 10, 2026 (T+1) · Period: Mar 4 – 10, 2026 · Time zone: UTC" (the
 * latest complete day: the last day with events up to yesterday in in-browser mode, an
 * endpoint's `dataUpTo` when its Report has one).
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
 * @csspart meta - "Data up to … (T+1)", the period and the time zone.
 * @csspart status - The one state line: progress bar, error (with Retry) or empty message.
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
  static override styles = [themeStyles, stateStyles, dashboardStyles];

  /** Base URL of the report endpoint (docs/SPEC.md §7). */
  @property({ attribute: 'endpoint' }) endpoint: string | null = null;
  /** URL of events (NDJSON, a JSON array, Arrow IPC or Parquet, told apart as `<ua-source>` does), fetched and read in a Web Worker. */
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
  /**
   * Colour defaults of the whole page: `light` (default), `dark`, or `auto` (dark when the
   * system prefers it). Custom properties set by the page win over either.
   */
  @property({ reflect: true }) theme: Theme = 'light';
  /** Names and kinds of the apps in in-browser mode (`[{ id, name, kind }]`); see `<ua-source>`. */
  @property({ attribute: false }) apps: readonly AppInfo[] | null = null;
  /** Language of labels and formats: 'en' or 'zh-CN'; default the page's, followed when it changes. */
  @property({ attribute: 'lang' }) override lang = '';

  @query('ua-source') private source!: UaSource | null;

  private readonly langController = new LangController(this);
  private unsubscribe: (() => void) | null = null;

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

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.watchStore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  protected override firstUpdated(): void {
    if (this.requestedMetric && this.source) this.source.metric = this.requestedMetric;
    this.watchStore();
  }

  /** Re-renders the one state line and the data note on every change of the store. */
  private watchStore(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.store?.subscribe(() => this.requestUpdate()) ?? null;
  }

  override render() {
    const language: Lang = this.langController.lang;
    const view = reportView(this.store);
    // An error or nothing to show: the one message stands alone, no empty panels under it.
    const bare = view.state === 'error' || view.state === 'empty';
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
      .apps=${this.apps}
      @metric-select=${this.onMetricSelect}
      @app-change=${this.onAppChange}
      @range-change=${this.onRangeChange}
    >
      <div class="layout">
        <header part="header">
          <ua-app-select theme=${this.theme} lang=${language}></ua-app-select>
          <ua-range-select theme=${this.theme} lang=${language}></ua-range-select>
          ${this.renderMeta(view, language)}
        </header>
        ${this.renderState(view, language)}
        <section class="cards" ?hidden=${bare}>
          <ua-overview
            theme=${this.theme}
            part="overview"
            lang=${language}
            shared-states
          ></ua-overview>
        </section>
        <section part="trend" ?hidden=${bare}>
          <ua-trend theme=${this.theme} compare lang=${language} shared-states></ua-trend>
        </section>
        <section part="table" ?hidden=${bare}>
          <ua-detail-table theme=${this.theme} lang=${language} shared-states></ua-detail-table>
        </section>
      </div>
    </ua-source>`;
  }

  /**
   * The one loading, error and empty state of every widget: a thin progress bar in a strip of
   * its own height (nothing moves when a Report loads over the last one), the error with its
   * reason and one Retry, the empty message with where the data lies.
   */
  private renderState(view: ReportView, lang: Lang): TemplateResult {
    const s = strings(lang);
    const store = this.store;
    let message: TemplateResult | typeof nothing = nothing;
    if (view.state === 'error') message = renderError(view.error ?? '', s, () => store?.retry());
    else if (view.state === 'empty') message = renderEmpty(this.emptyText(s, lang));
    return html`<div class="status" part="status">
      <div class="strip">
        ${view.state === 'loading' ? renderProgressBar(view.progress, s) : nothing}
      </div>
      ${message}
    </div>`;
  }

  /** "No data for this period.", with the first and last day of the data when it is known. */
  private emptyText(s: Strings, lang: Lang): string {
    const span = this.store?.dataSpan;
    const report = this.readyReport();
    if (!span || !report) return s.empty;
    const days = { start: span.first, end: span.last + 1 };
    return s.emptyDataCovers(formatPeriod(days, report.timeZone, lang));
  }

  /**
   * How fresh the data is and what is shown, apart: "Data up to <the latest complete day>
   * (T+1) · Period: <the chosen days> · Time zone: <zone>". The latest complete day is the
   * last day with events, up to yesterday, in in-browser mode; an endpoint may send it as
   * `dataUpTo`; else that part is left out. Nothing while there is no Report or it failed.
   */
  private renderMeta(view: ReportView, lang: Lang) {
    const r = view.report ?? (view.state === 'empty' ? this.readyReport() : null);
    if (!r || view.state === 'error') return nothing;
    const s = strings(lang);
    const upTo = this.latestCompleteDay(r);
    const upToDay = upTo ? formatDay(upTo, lang) : null;
    const parts = [
      upToDay ? s.dataUpTo(upToDay) : null,
      s.labelled(s.period, formatPeriod(r.period, r.timeZone, lang)),
      s.labelled(s.timeZone, r.timeZone),
    ];
    return html`<span class="meta ${view.stale ? 'stale' : ''}" part="meta"
      >${parts.filter((p) => p !== null).join(' · ')}</span
    >`;
  }

  private readyReport(): Report | null {
    const r = this.store?.report;
    return r?.status === 'ready' ? r.value : null;
  }

  /** 'YYYY-MM-DD' of the latest day whose data is complete, or null when unknown. */
  private latestCompleteDay(report: Report): string | null {
    const span = this.store?.dataSpan;
    if (!span) return endpointDataUpTo(report);
    const last = localISODate(span.last, report.timeZone);
    const yesterday = defaultEnd(Date.now(), report.timeZone);
    return last < yesterday ? last : yesterday;
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
