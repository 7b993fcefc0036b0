import { html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { METRIC_KEYS, type Report, type SeriesPoint } from '../../engine/types.js';
import {
  formatBucket,
  formatDate,
  formatMetric,
  formatPeriod,
  strings,
  type Lang,
} from '../../i18n/index.js';
import { localISO, localISODateTime, offsetName } from '../../internal/local-iso.js';
import { renderReportView, reportView } from '../../internal/report-view.js';
import { StoreWidget } from '../../internal/store-widget.js';
import { lastValue } from '../../store/types.js';
import { stateStyles, themeStyles } from '../../styles/theme.styles.js';
import { detailTableStyles } from './detail-table.styles.js';

export type SortOrder = 'asc' | 'desc';

/** CSV line end: CRLF as RFC 4180 writes it, after every record including the last. */
const CRLF = '\r\n';

/** One CSV field, quoted (RFC 4180) only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A file-name-safe piece: letters, digits, '.', '_' and '-' stay; any other run becomes '_'. */
function fileSafe(value: string): string {
  return value.replace(/[^\p{L}\p{N}._-]+/gu, '_');
}

/**
 * @summary One row per bucket of the Report (hours for 1 day, days for 7 and 30) with all
 * seven metrics, sortable by time, with a CSV download.
 *
 * The table scrolls inside its own box under a sticky header; the box is focusable so that
 * keyboard users can scroll it. Data comes from the enclosing `<ua-source>`, the one named by
 * `source`, or the `store` property.
 *
 * CSV (`toCSV()` and the Download button): a header row of metric keys
 * (`time,newUsers,activeUsers,…`), then one row per bucket in the current sort order; `time`
 * is the local ISO date (`2026-11-27`) for days and the local date-time with its offset
 * (`2026-11-27T09:00:00+08:00`) for hours, in the Report's time zone; values are raw numbers
 * (durations in seconds, averages unrounded). Records end with CRLF, the last one included.
 *
 * @csspart toolbar - The row above the table: the title and the Download button.
 * @csspart title - The visible title (the table's caption; hidden from assistive technology,
 *   which reads the caption itself).
 * @csspart download - The Download CSV button.
 * @csspart scroll - The scroll box around the table (focusable, `role="region"`).
 * @csspart scroll-hint - "Scroll sideways for more columns", shown while the table is wider
 *   than its box (the box's right edge is then shaded too).
 * @csspart table - The `<table>`.
 * @csspart header - The `<thead>`.
 * @csspart header-cell - Each column header.
 * @csspart sort-button - The button in the Time header that reverses the order.
 * @csspart row - Each body row.
 * @csspart time-cell - The time of a row (a row header).
 * @csspart cell - Each metric value.
 * @csspart loading - The loading state (with `role="progressbar"`).
 * @csspart error - The error state.
 * @csspart retry - The Retry button of the error state.
 * @csspart empty - The empty or no-source state.
 * @csspart skeleton - The grey block shown while the first report loads.
 *
 * @cssprop --ua-table-max-height - Height after which the table scrolls (360px).
 * @cssprop --ua-table-stripe - Background of every other row (a light tint of the text colour).
 * @cssprop --ua-table-header-background - Background of the sticky header (the surface colour).
 * @cssprop --ua-color-text - Text colour.
 * @cssprop --ua-color-muted - Secondary text colour.
 * @cssprop --ua-color-surface - Background.
 * @cssprop --ua-color-border - Row rules.
 * @cssprop --ua-color-accent - Buttons and focus rings.
 */
@customElement('ua-detail-table')
export class UaDetailTable extends StoreWidget {
  static override styles = [themeStyles, stateStyles, detailTableStyles];
  /** Order of the rows by time: 'asc' (oldest first, default) or 'desc'. */
  @property({ attribute: 'sort', reflect: true }) sort: SortOrder = 'asc';
  /**
   * Accessible name of the table's scroll region; default its caption ("User metrics by day,
   * …"). A page that shows several tables over the same data gives each its own, so that the
   * regions differ.
   */
  @property({ attribute: 'label' }) label: string | null = null;

  /** The table is wider than its box: the hint and the edge shade say it scrolls sideways. */
  @state() private overflowing = false;
  @query('.scroll') private box!: HTMLElement | null;
  private readonly resize = new ResizeObserver(() => this.measureSoon());
  private frame = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  protected override updated(): void {
    this.measureSoon();
  }

  /** Measures in the next frame: the hint it may add changes the layout, never inside one. */
  private measureSoon(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.measureOverflow());
  }

  private measureOverflow(): void {
    const box = this.box;
    const overflowing = box !== null && box.scrollWidth > box.clientWidth + 1;
    if (overflowing !== this.overflowing) this.overflowing = overflowing;
  }

  /** The Report shown: the ready one, else the previous one kept while loading or after an error. */
  get report(): Report | null {
    return lastValue(this.activeStore?.report) ?? null;
  }

  /** The shown Report as CSV (see the class notes), or '' when there is none. */
  toCSV(): string {
    const report = this.report;
    if (!report) return '';
    const lines = [['time', ...METRIC_KEYS].join(',')];
    for (const point of this.rows(report)) {
      const time = localISO(point.start, report.granularity, report.timeZone);
      lines.push([time, ...METRIC_KEYS.map((k) => String(point[k]))].map(csvField).join(','));
    }
    return lines.map((line) => line + CRLF).join('');
  }

  /** File name of the download: `ua-report-<app>-<end>-<range>d.csv` (`all` for all apps). */
  get fileName(): string {
    const report = this.report;
    if (!report) return 'ua-report.csv';
    return `ua-report-${fileSafe(report.app ?? 'all')}-${report.end}-${report.range}d.csv`;
  }

  /** Saves `toCSV()` as a file. */
  download(): void {
    if (!this.report) return;
    const blob = new Blob([this.toCSV()], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = this.fileName;
    a.hidden = true;
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private get descending(): boolean {
    return this.sort === 'desc';
  }

  private rows(report: Report): SeriesPoint[] {
    return this.descending ? [...report.series].reverse() : report.series;
  }

  override render() {
    const lang = this.language;
    // Its rows are the period's buckets only: empty when the period has no activity.
    return renderReportView(reportView(this.activeStore, 'period'), strings(lang), this.retry, {
      ready: (report, stale) => this.renderTable(report, lang, stale),
      skeleton: () => html`<div class="skeleton" part="skeleton" aria-hidden="true"></div>`,
      shared: this.sharedStates,
      keepOnError: true,
    });
  }

  private renderTable(report: Report, lang: Lang, stale: boolean) {
    const s = strings(lang);
    const caption = s.tableCaption(report.granularity, this.periodLabel(report, lang));
    const labels = this.timeLabels(report, lang);
    const desc = this.descending;
    return html`<div class="toolbar" part="toolbar">
        <span class="title" part="title" aria-hidden="true">${caption}</span>
        <button
          class="download"
          part="download"
          type="button"
          ?disabled=${stale}
          @click=${this.download}
        >
          ${s.download}
        </button>
      </div>
      ${
        this.overflowing
          ? html`<p class="scroll-hint" part="scroll-hint">${s.scrollHint}</p>`
          : nothing
      }
      <div class="scroll-frame ${this.overflowing ? 'overflowing' : ''}">
        <div
          class="scroll ${stale ? 'stale' : ''}"
          part="scroll"
          tabindex="0"
          role="region"
          aria-label=${this.label || caption}
          aria-busy=${stale ? 'true' : 'false'}
        >
          <table part="table">
            <caption class="visually-hidden">
              ${caption}
            </caption>
            <thead part="header">
              <tr>
                <th scope="col" part="header-cell" aria-sort=${desc ? 'descending' : 'ascending'}>
                  <button
                    class="sort"
                    part="sort-button"
                    type="button"
                    title=${desc ? s.sortAscending : s.sortDescending}
                    @click=${this.toggleSort}
                  >
                    ${s.time}<span class="arrow" aria-hidden="true">${desc ? '↓' : '↑'}</span>
                  </button>
                </th>
                ${METRIC_KEYS.map((k) => html`<th scope="col" part="header-cell">${s.metric[k]}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${repeat(
                this.rows(report),
                (p) => p.start,
                (p) =>
                  html`<tr part="row">
                    <th scope="row" part="time-cell">
                      <time datetime=${localISODateTime(p.start, report.timeZone)}
                        >${labels.get(p.start)}</time
                      >
                    </th>
                    ${METRIC_KEYS.map(
                      (k) => html`<td part="cell">${formatMetric(k, p[k], lang)}</td>`,
                    )}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>`;
  }

  /** The period as people read it (formatPeriod: the chart's and the dashboard's format). */
  private periodLabel(report: Report, lang: Lang): string {
    return formatPeriod(report.period, report.timeZone, lang);
  }

  /**
   * Row labels by bucket start: `09:00` for hours (with the UTC offset added where a clock
   * change repeats an hour, `01:00 GMT-7` / `01:00 GMT-8`), the date for days (without the
   * year, which the caption gives, when the period lies in one year).
   */
  private timeLabels(report: Report, lang: Lang): Map<number, string> {
    const labels = new Map<number, string>();
    const tz = report.timeZone;
    if (report.granularity === 'day') {
      // The year once, in the caption, when the whole period lies in one year.
      const oneYear =
        formatDate(report.period.start, tz, 'en').slice(-4) ===
        formatDate(report.period.end - 1, tz, 'en').slice(-4);
      for (const p of report.series) {
        labels.set(
          p.start,
          oneYear ? formatBucket(p.start, 'day', tz, lang) : formatDate(p.start, tz, lang),
        );
      }
      return labels;
    }
    const seen = new Map<string, number>();
    for (const p of report.series) {
      const label = formatBucket(p.start, 'hour', tz, lang);
      labels.set(p.start, label);
      seen.set(label, (seen.get(label) ?? 0) + 1);
    }
    for (const [start, label] of labels) {
      if (seen.get(label)! > 1) labels.set(start, `${label} ${offsetName(start, tz, lang)}`);
    }
    return labels;
  }

  private toggleSort(): void {
    this.sort = this.descending ? 'asc' : 'desc';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-detail-table': UaDetailTable;
  }
}
