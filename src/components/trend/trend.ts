import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Chart, ChartDataset, ChartOptions, Plugin } from 'chart.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../engine/types.js';
import { formatBucket, formatMetric, formatPeriod } from '../../i18n/format.js';
import { strings, type Lang, type Strings } from '../../i18n/strings.js';
import { renderReportView } from '../../internal/report-view.js';
import { StoreWidget } from '../../internal/store-widget.js';
import { styleProps } from '../../internal/style-props.js';
import { observeAncestors } from '../../internal/ancestor-observer.js';
import { DEFAULT_METRIC } from '../../store/types.js';
import { stateStyles, themeStyles } from '../../styles/theme.styles.js';
import { trendStyles } from './trend.styles.js';

type Point = number | null;

/** Attributes whose change on the element or an ancestor may change the chart's colours. */
const THEME_ATTRIBUTES = ['class', 'style', 'theme', 'data-theme'];
/** The chart this element draws: a line chart over category labels. */
export type TrendChart = Chart<'line', Point[], string>;
type LineDataset = ChartDataset<'line', Point[]>;

/** Colours and font of the chart, read from the element's custom properties. */
interface Theme {
  line: string;
  fill: string;
  compare: string;
  grid: string;
  text: string;
  font: string;
}

/** The bucket under the pointer or the keyboard's marker: its index and its point in the frame, CSS px. */
interface Hover {
  index: number;
  x: number;
  /** The tooltip goes left of the point (the point is in the right half). */
  flip: boolean;
  /** The point is in the upper half: the tooltip goes to the bottom, off the line. */
  low: boolean;
  /** Chosen with the arrow keys (then read out), not by the pointer. */
  keyboard?: boolean;
}

/** What hoverAt reads of a chart: where its points and its area are. */
interface ChartGeometry {
  width: number;
  chartArea: { top: number; bottom: number };
  getDatasetMeta(index: number): { data: ArrayLike<{ x: number; y: number }> };
}

/** Metrics whose axis starts at 0 (counts); averages and durations get bounds around the data. */
const COUNTS: readonly MetricKey[] = ['newUsers', 'activeUsers', 'opens', 'pageVisits'];

/** What the chart was last given; an update with the same inputs leaves it alone. */
interface Applied {
  chart: TrendChart;
  report: Report | undefined;
  metric: MetricKey;
  lang: Lang;
  compare: boolean;
  theme: string;
}

/**
 * @summary A chart.js line chart of one metric across the buckets of the period: hours for a
 * 1-day range, days for 7 and 30. Optionally overlays the comparison period.
 *
 * chart.js is loaded lazily, after the element's first paint. The chart is created once per
 * connection and updated in place (`update('none')`) when the metric, range, language or
 * colours change; it is destroyed on disconnect and re-created on reconnect. The legend (shown
 * with the comparison overlay) and the tooltip are HTML, themed like the rest of the element.
 *
 * Accessibility: the canvas is an image whose label summarises the metric, period, minimum,
 * maximum and total; a visually hidden table of the points is its text alternative. The
 * tooltip repeats a row of that table for the pointer and is hidden from assistive technology.
 *
 * @csspart chart - The chart and its text alternative (hidden when there is nothing to draw).
 * @csspart title - The metric and period above the chart (hide it with `display: none`).
 * @csspart frame - The positioned box around the canvas; its height is `--ua-trend-height`.
 * @csspart canvas - The canvas.
 * @csspart legend - The legend below the chart, shown with the comparison overlay.
 * @csspart tooltip - The values of the bucket under the pointer.
 * @csspart skeleton - The grey block shown while the first report loads.
 * @csspart loading - The loading state (progress bar).
 * @csspart empty - The empty and no-source states.
 * @csspart error - The error state.
 * @csspart retry - The error state's Retry button.
 *
 * @cssprop --ua-trend-height - Height of the chart (default 280px).
 * @cssprop --ua-color-accent - Colour of the line of the period.
 * @cssprop --ua-color-accent-soft - Fill under the line of the period.
 * @cssprop --ua-trend-compare-color - Colour of the dashed comparison line (default: muted).
 * @cssprop --ua-trend-grid-color - Grid lines (default: the border colour).
 * @cssprop --ua-color-muted - Axis labels and legend text.
 * @cssprop --ua-color-border - Grid lines, when --ua-trend-grid-color is not set; tooltip border.
 * @cssprop --ua-color-surface - Tooltip background.
 * @cssprop --ua-color-skeleton - The loading skeleton.
 * @cssprop --ua-color-text - Text of the states.
 * @cssprop --ua-font-family - Font of the axes, legend and tooltip.
 * @cssprop --ua-font-size - Base font size.
 */
@customElement('ua-trend')
export class UaTrend extends StoreWidget {
  static override styles = [themeStyles, stateStyles, trendStyles];

  /** The metric to draw. Default (or an unknown key): the source's selected metric. */
  @property({ attribute: 'metric' }) metric: string | null = null;

  /** Overlays the comparison period as a dashed line (when the Report has `previousSeries`). */
  @property({ type: Boolean, attribute: 'compare' }) compare = false;

  @query('canvas') private canvas!: HTMLCanvasElement;

  private _chart: TrendChart | null = null;
  private creating: Promise<void> | null = null;
  private scheme: MediaQueryList | null = null;
  private forced: MediaQueryList | null = null;
  private themeObserver: MutationObserver | null = null;
  private themeFrame = 0;
  private readonly current: LineDataset = { data: [] };
  private readonly previous: LineDataset = { data: [] };
  private applied: Applied | null = null;

  /** The bucket under the pointer, set by the chart's events (`hoverPlugin`). */
  @state() private hover: Hover | null = null;

  /** The chart.js instance, or null before it exists (chart.js loads lazily) and after disconnect. */
  get chart(): TrendChart | null {
    return this._chart;
  }

  /** The metric drawn: the `metric` attribute if it names one, else the store's. */
  get shownMetric(): MetricKey {
    if (this.metric && METRIC_KEYS.includes(this.metric as MetricKey)) {
      return this.metric as MetricKey;
    }
    return this.activeStore?.metric ?? DEFAULT_METRIC;
  }

  /** The chart as a PNG data URL, or '' before the chart exists and while nothing is drawn. */
  toPNG(): string {
    return this._chart && this.shownReport ? this._chart.toBase64Image('image/png') : '';
  }

  /** The Report to draw (the last good one while reloading); null if none, or after an error. */
  private get shownReport(): { report: Report; stale: boolean } | null {
    const { report, stale, state } = this.view;
    return report && state !== 'error' ? { report, stale } : null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheme = window.matchMedia('(prefers-color-scheme: dark)');
    this.scheme.addEventListener('change', this.onSchemeChange);
    this.forced = window.matchMedia('(forced-colors: active)');
    this.forced.addEventListener?.('change', this.onSchemeChange);
    // A class, attribute or inline custom property on the element or an ancestor may change
    // the colours: the chart re-reads them in the next frame.
    this.themeObserver = observeAncestors(this, THEME_ATTRIBUTES, this.onThemeMutation);
    // chart.js cannot see a shadow root being detached: the chart is ours to destroy and re-create.
    if (this.hasUpdated) void this.createChart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scheme?.removeEventListener('change', this.onSchemeChange);
    this.scheme = null;
    this.forced?.removeEventListener?.('change', this.onSchemeChange);
    this.forced = null;
    this.themeObserver?.disconnect();
    this.themeObserver = null;
    cancelAnimationFrame(this.themeFrame);
    this._chart?.destroy();
    this._chart = null;
    this.applied = null;
    this.hover = null;
  }

  /** Also waits for chart.js and the chart, so that tests can `await el.updateComplete`. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const result = await super.getUpdateComplete();
    if (this.creating) await this.creating;
    return result;
  }

  // Resolved before render (not in updated()), so that the new store renders in this update.
  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Other points than the tooltip's: drop it until the pointer moves.
    const last = this.applied;
    if (
      this.hover &&
      last &&
      (last.report !== this.shownReport?.report || last.metric !== this.shownMetric)
    ) {
      this.hover = null;
    }
  }

  protected override firstUpdated(): void {
    void this.createChart();
  }

  protected override updated(): void {
    this.syncChart();
  }

  protected override render(): TemplateResult {
    const s = strings(this.language);
    const shown = this.shownReport;
    // The chart below is always in the tree (chart.js keeps its canvas): no content here.
    const top = renderReportView(this.view, s, this.retry, {
      ready: () => html``,
      skeleton: () => html`<div class="skeleton" part="skeleton" aria-hidden="true"></div>`,
      shared: this.sharedStates,
    });
    return html`${top}
      <div class="chart ${shown?.stale ? 'stale' : ''}" part="chart" ?hidden=${!shown}>
        ${shown ? this.renderTitle(shown.report, s) : nothing}
        <div
          class="frame"
          part="frame"
          tabindex=${shown ? '0' : '-1'}
          role="group"
          aria-label=${s.chartKeys}
          @keydown=${this.onKeyDown}
          @blur=${this.onFrameBlur}
        >
          <canvas
            part="canvas"
            role="img"
            aria-label=${shown ? this.summary(shown.report, s) : ''}
          ></canvas>
          ${shown ? this.renderTooltip(shown.report, s) : nothing}
        </div>
        <div class="visually-hidden" aria-live="polite">${this.readout(shown?.report)}</div>
        ${shown ? this.renderLegend(shown.report, s) : nothing}
        ${shown ? this.renderTable(shown.report, s) : nothing}
      </div>`;
  }

  /** The comparison series when it is overlaid, else undefined. */
  private overlaid(report: Report): Report['previousSeries'] {
    return this.compare ? report.previousSeries : undefined;
  }

  /** With the comparison overlay: which line is which, with the periods' dates. */
  private renderLegend(report: Report, s: Strings): TemplateResult | typeof nothing {
    if (!this.overlaid(report)) return nothing;
    const period = (p: Report['period']) => formatPeriod(p, report.timeZone, this.language);
    return html`<ul class="legend" part="legend">
      <li><span class="swatch"></span>${s.withPeriod(s.current, period(report.period))}</li>
      <li>
        <span class="swatch compare"></span>${s.withPeriod(s.previous, period(report.previous))}
      </li>
    </ul>`;
  }

  /** The values of the bucket under the pointer, beside its point, formatted like the cards. */
  private renderTooltip(report: Report, s: Strings): TemplateResult | typeof nothing {
    const hover = this.hover;
    const point = hover ? report.series[hover.index] : undefined;
    if (!hover || !point) return nothing;
    const metric = this.shownMetric;
    const lang = this.language;
    const previous = this.overlaid(report);
    const q = previous?.[hover.index];
    const f = (v: number) => formatMetric(metric, v, lang);
    return html`<div
      class="tooltip ${hover.flip ? 'flip' : ''} ${hover.low ? 'low' : ''}"
      part="tooltip"
      aria-hidden="true"
      style=${styleProps({ left: `${hover.x}px` })}
    >
      <div class="tooltip-title">
        ${formatBucket(point.start, report.granularity, report.timeZone, lang)}
      </div>
      <div><span class="swatch"></span>${`${s.current}: ${f(point[metric])}`}</div>
      ${
        previous
          ? html`<div>
              <span class="swatch compare"></span
              >${`${this.previousLabel(hover.index)}: ${q ? f(q[metric]) : '–'}`}
            </div>`
          : nothing
      }
    </div>`;
  }

  /** What is drawn, in words above the chart: "Active users  Nov 21 – 27, 2026". */
  private renderTitle(report: Report, s: Strings): TemplateResult {
    return html`<div class="title" part="title">
      <span class="metric">${s.metric[this.shownMetric]}</span>
      <span class="period">${formatPeriod(report.period, report.timeZone, this.language)}</span>
    </div>`;
  }

  /** The canvas' label: metric, period, min, max and total (strings.trendLabel). */
  private summary(report: Report, s: Strings): string {
    const metric = this.shownMetric;
    const lang = this.language;
    const values = report.series.map((p) => p[metric]);
    const f = (v: number) => formatMetric(metric, v, lang);
    return s.trendLabel(
      s.metric[metric],
      formatPeriod(report.period, report.timeZone, lang),
      f(values.length ? Math.min(...values) : 0),
      f(values.length ? Math.max(...values) : 0),
      f(report.totals[metric]),
    );
  }

  /** The text alternative: one row per bucket, with the comparison bucket when overlaid. */
  private renderTable(report: Report, s: Strings): TemplateResult {
    const metric = this.shownMetric;
    const lang = this.language;
    const previous = this.compare ? report.previousSeries : undefined;
    const f = (v: number) => formatMetric(metric, v, lang);
    const bucket = (t: number) => formatBucket(t, report.granularity, report.timeZone, lang);
    return html`<table class="visually-hidden">
      <caption>
        ${s.trendTable(s.metric[metric], formatPeriod(report.period, report.timeZone, lang))}
      </caption>
      <thead>
        <tr>
          <th scope="col">${s.time}</th>
          <th scope="col">${s.current}</th>
          ${previous ? html`<th scope="col">${s.previous}</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${report.series.map((p, i) => {
          const q = previous?.[i];
          return html`<tr>
            <th scope="row">${bucket(p.start)}</th>
            <td>${f(p[metric])}</td>
            ${previous ? html`<td>${q ? `${bucket(q.start)}: ${f(q[metric])}` : ''}</td>` : nothing}
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  /** Loads chart.js (once) and creates the chart on this element's canvas. */
  private createChart(): Promise<void> {
    if (this._chart) return Promise.resolve();
    this.creating ??= import('./chart.js')
      .then(({ Chart, areaFill }) => {
        if (!this.isConnected || this._chart || !this.canvas) return;
        this._chart = new Chart<'line', Point[], string>(this.canvas, {
          type: 'line',
          data: { labels: [], datasets: [this.current] },
          options: this.options(this.readTheme()),
          plugins: [areaFill, this.hoverPlugin],
        });
        this.syncChart();
      })
      .catch((e: unknown) => {
        console.error('ua-trend: could not load chart.js', e);
      })
      .finally(() => {
        this.creating = null;
      });
    return this.creating;
  }

  private readonly onSchemeChange = (): void => this.syncChart();

  /** Colours may have changed: read them once in the next frame (mutations come in bursts). */
  private readonly onThemeMutation = (): void => {
    cancelAnimationFrame(this.themeFrame);
    this.themeFrame = requestAnimationFrame(() => this.syncChart());
  };

  /** After chart.js handled a pointer event: the bucket it made active, for the tooltip. */
  private readonly hoverPlugin: Plugin<'line'> = {
    id: 'uaHover',
    afterEvent: (chart) => {
      const first = chart.getActiveElements()[0];
      const now = this.hover;
      if (now?.keyboard && first?.index === now.index) return;
      const next = first ? this.hoverAt(chart, first.index) : null;
      if (next?.index !== now?.index || next?.x !== now?.x) this.hover = next;
    },
  };

  /** The hover state of bucket `index`: where its point is, and where its tooltip goes. */
  private hoverAt(chart: ChartGeometry, index: number, keyboard = false): Hover | null {
    const point = chart.getDatasetMeta(0).data[index];
    if (!point) return null;
    const area = chart.chartArea;
    return {
      index,
      x: point.x,
      flip: point.x > chart.width / 2,
      low: point.y < (area.top + area.bottom) / 2,
      keyboard,
    };
  }

  /**
   * Arrow keys on the focused chart move a marker from point to point (Home / End: first /
   * last); the tooltip shows at the marker and a live region reads the point out.
   */
  private readonly onKeyDown = (e: KeyboardEvent): void => {
    const chart = this._chart;
    const n = this.shownReport?.report.series.length ?? 0;
    if (!chart || n === 0) return;
    const at = this.hover?.index;
    let index: number;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp')
      index = at === undefined ? 0 : Math.min(n - 1, at + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown')
      index = at === undefined ? n - 1 : Math.max(0, at - 1);
    else if (e.key === 'Home') index = 0;
    else if (e.key === 'End') index = n - 1;
    else if (e.key === 'Escape') {
      this.onFrameBlur();
      return;
    } else return;
    e.preventDefault();
    const datasets = chart.data.datasets.map((_, datasetIndex) => ({ datasetIndex, index }));
    chart.setActiveElements(datasets);
    chart.update('none');
    this.hover = this.hoverAt(chart, index, true);
  };

  private readonly onFrameBlur = (): void => {
    if (!this.hover?.keyboard) return;
    this.hover = null;
    this._chart?.setActiveElements([]);
    this._chart?.update('none');
  };

  /** What the keyboard's marker points at, in words: "Nov 24: 3,200". */
  private readout(report: Report | undefined): string {
    const hover = this.hover;
    const point = hover?.keyboard ? report?.series[hover.index] : undefined;
    if (!report || !point) return '';
    const s = strings(this.language);
    const metric = this.shownMetric;
    const f = (v: number) => formatMetric(metric, v, this.language);
    const when = formatBucket(point.start, report.granularity, report.timeZone, this.language);
    const q = this.overlaid(report)?.[hover!.index];
    const base = s.labelled(when, f(point[metric]));
    return q ? `${base}; ${s.labelled(this.previousLabel(hover!.index), f(q[metric]))}` : base;
  }

  private readTheme(): Theme {
    const cs = getComputedStyle(this);
    const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    return {
      line: v('--_accent', '#1f6feb'),
      fill: v('--_accent-soft', 'rgba(31, 111, 235, 0.1)'),
      compare: v('--_compare', '#5c6470'),
      grid: v('--_grid', '#dde1e6'),
      text: v('--_muted', '#5c6470'),
      font: v('--_font', 'sans-serif'),
    };
  }

  /**
   * Puts the shown report, metric, language and colours into the chart: never re-creates it.
   * Does nothing when none of them changed (an update for the tooltip alone, say).
   */
  private syncChart(): void {
    const chart = this._chart;
    if (!chart) return;
    const shown = this.shownReport;
    const metric = this.shownMetric;
    const lang = this.language;
    const theme = this.readTheme();
    const report = shown?.report;
    const applied: Applied = {
      chart,
      report,
      metric,
      lang,
      compare: this.compare,
      theme: Object.values(theme).join('|'),
    };
    const last = this.applied;
    if (
      last &&
      (Object.keys(applied) as Array<keyof Applied>).every((k) => last[k] === applied[k])
    ) {
      return;
    }
    this.applied = applied;
    // Other points: the old hover highlight would be wrong until the pointer moves (willUpdate
    // drops the tooltip).
    if (last && (last.report !== report || last.metric !== metric)) chart.setActiveElements([]);
    const s = strings(lang);
    const series = report?.series ?? [];

    chart.data.labels = report
      ? series.map((p) => formatBucket(p.start, report.granularity, report.timeZone, lang))
      : [];
    Object.assign(this.current, {
      label: report
        ? s.withPeriod(s.current, formatPeriod(report.period, report.timeZone, lang))
        : '',
      data: series.map((p) => p[metric]),
      borderColor: theme.line,
      backgroundColor: theme.fill,
      pointBackgroundColor: theme.line,
    } satisfies Partial<LineDataset>);
    const datasets = [this.current];
    const previousSeries = this.compare ? report?.previousSeries : undefined;
    if (report && previousSeries) {
      // Bucket i of the comparison window with bucket i of the period; null where it has none.
      Object.assign(this.previous, {
        label: s.withPeriod(s.previous, formatPeriod(report.previous, report.timeZone, lang)),
        data: series.map((_, i) => previousSeries[i]?.[metric] ?? null),
        borderColor: theme.compare,
        backgroundColor: theme.compare,
        pointBackgroundColor: theme.compare,
        borderDash: [6, 4],
      } satisfies Partial<LineDataset>);
      datasets.push(this.previous);
    }
    chart.data.datasets = datasets;
    chart.options = this.options(theme);
    chart.update('none');
  }

  private options(theme: Theme): ChartOptions<'line'> {
    const font = { family: theme.font, size: 12 };
    const format = (v: number | string) => formatMetric(this.shownMetric, Number(v), this.language);
    // Counts and whole seconds: no fractional ticks (they would round to repeated labels).
    const whole = this.shownMetric !== 'avgOpensPerUser';
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      elements: {
        // Monotone: the curve never goes beyond its neighbouring points.
        line: { borderWidth: 2, cubicInterpolationMode: 'monotone' },
        point: { radius: 2, hoverRadius: 4 },
      },
      scales: {
        x: {
          type: 'category',
          grid: { color: theme.grid, drawTicks: false },
          border: { color: theme.grid },
          ticks: {
            color: theme.text,
            font,
            maxRotation: 0,
            padding: 6,
            // Every k-th label counted back from the last, so that the last day is labelled.
            autoSkip: false,
            callback(_value, index, ticks) {
              const fit = Math.max(2, Math.floor(this.chart.width / 72));
              const every = Math.ceil(ticks.length / fit);
              return (ticks.length - 1 - index) % every === 0 ? this.getLabelForValue(index) : '';
            },
          },
        },
        y: {
          type: 'linear',
          // Counts from 0; averages and durations on nice bounds around the data.
          beginAtZero: COUNTS.includes(this.shownMetric),
          grace: '5%', // a flat or peaking line does not hug the top edge
          grid: { color: theme.grid, drawTicks: false },
          border: { display: false },
          ticks: {
            color: theme.text,
            font,
            padding: 8,
            precision: whole ? 0 : undefined,
            callback: (v) => format(v),
          },
        },
      },
    };
  }

  /** "Comparison period · 09:00" / "… · Nov 14": which bucket of the comparison window. */
  private previousLabel(index: number): string {
    const s = strings(this.language);
    const report = this.shownReport?.report;
    const q = report?.previousSeries?.[index];
    if (!report || !q) return s.previous;
    return `${s.previous} · ${formatBucket(q.start, report.granularity, report.timeZone, this.language)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-trend': UaTrend;
  }
}
