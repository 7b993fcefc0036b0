import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../engine/types.js';
import { MetricSelectEvent } from '../../events/metric-select.js';
import { formatCount, formatGrowth, formatMetric } from '../../i18n/format.js';
import { resolveLang } from '../../i18n/lang.js';
import { strings, type Lang, type Strings } from '../../i18n/strings.js';
import { isEmptyReport } from '../../internal/empty-report.js';
import { renderEmpty, renderError, renderLoading } from '../../internal/states.js';
import type { MetricsStore } from '../../store/metrics-store.js';
import { StoreController, type StoreHost } from '../../internal/store-controller.js';
import { stateStyles, themeStyles } from '../../styles/theme.styles.js';
import { overviewStyles } from './overview.styles.js';

/** The keys of a space-separated `metrics` attribute: known ones, first occurrence, in order. */
function parseMetrics(value: string | null): MetricKey[] {
  if (value === null) return [...METRIC_KEYS];
  const keys = value
    .split(/\s+/)
    .filter((k): k is MetricKey => METRIC_KEYS.includes(k as MetricKey));
  return [...new Set(keys)];
}

/**
 * @summary The seven User Analysis metrics as cards: value, growth badge and the comparison it
 * refers to. One card is selected; choosing another selects that metric for the whole source.
 *
 * Keyboard: the cards are one radio group with a roving tabindex (Tab enters the group on the
 * selected card). ArrowRight/ArrowDown and ArrowLeft/ArrowUp move focus to the next / previous
 * card (wrapping), Home/End to the first / last; **arrows only move focus, Enter or Space
 * selects**. Selecting changes the metric of every widget over the same source (the trend
 * re-draws), so it waits for an explicit key rather than following focus.
 *
 * @fires metric-select - A card was chosen by click, Enter or Space; `detail: { metric }`.
 *   Bubbles and is composed. The store's selected metric follows.
 *
 * @csspart group - The radio group holding the cards.
 * @csspart card - One metric card (also `selected` on the chosen one).
 * @csspart selected - The chosen card.
 * @csspart label - The metric's name.
 * @csspart value - The formatted value over the period.
 * @csspart badge - The growth badge (also `up`, `down` or `flat`).
 * @csspart comparison - What the growth compares with ("vs previous day").
 * @csspart loading - The loading state (progress bar).
 * @csspart empty - The empty and no-source states.
 * @csspart error - The error state.
 * @csspart retry - The error state's Retry button.
 *
 * @cssprop --ua-up-color - Colour of a positive growth badge.
 * @cssprop --ua-down-color - Colour of a negative growth badge.
 * @cssprop --ua-color-accent - Border and tint of the selected card, focus ring, progress bar.
 * @cssprop --ua-color-accent-soft - Background of the selected card.
 * @cssprop --ua-color-text - Text colour.
 * @cssprop --ua-color-muted - Labels, comparison text, an unchanged growth badge.
 * @cssprop --ua-color-surface - Card background.
 * @cssprop --ua-color-border - Card border.
 * @cssprop --ua-color-skeleton - Grey blocks of the loading skeleton.
 * @cssprop --ua-radius - Card corner radius.
 * @cssprop --ua-font-family - Font.
 * @cssprop --ua-font-size - Base font size.
 * @cssprop --ua-overview-gap - Gap between cards (default 12px).
 * @cssprop --ua-overview-value-size - Font size of the values (default 1.65em).
 */

@customElement('ua-overview')
export class UaOverview extends LitElement implements StoreHost {
  static override styles = [themeStyles, stateStyles, overviewStyles];

  /** A store set directly; wins over `source` and the enclosing `<ua-source>`. */
  @property({ attribute: false }) store: MetricsStore | null = null;

  /** Id of the `<ua-source>` to use when the element is not nested in it. */
  @property({ attribute: 'source' }) source: string | null = null;

  /** Language of labels and formats: `en` or `zh-CN`. Default: the nearest `lang` in the page. */
  @property({ attribute: 'lang' }) override lang = '';

  /** Space-separated metric keys to show, in this order (unknown keys are ignored). Default: all seven. */
  @property({ attribute: 'metrics' }) metrics: string | null = null;

  private readonly controller = new StoreController(this);

  /** The metric whose card is selected. */
  get selectedMetric(): MetricKey | null {
    return this.controller.store?.metric ?? null;
  }

  private get language(): Lang {
    return resolveLang(this);
  }

  // Resolved before render (not in updated()), so that the new store renders in this update.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('source')) this.controller.resolve();
  }

  protected override render(): TemplateResult {
    const s = strings(this.language);
    const store = this.controller.store;
    const state = store?.report;
    if (!store || !state || state.status === 'idle') return renderEmpty(s.noSource);
    switch (state.status) {
      case 'loading':
        return html`<div class="loading-bar">${renderLoading(state.progress, s)}</div>
          ${state.previous ? this.renderCards(state.previous, s, true) : this.renderSkeleton()}`;
      case 'error':
        return renderError(state.error, s, () => store.retry());
      case 'ready':
        return isEmptyReport(state.value)
          ? renderEmpty(s.empty)
          : this.renderCards(state.value, s, false);
    }
  }

  private renderSkeleton(): TemplateResult {
    return html`<div class="grid" aria-hidden="true">
      ${parseMetrics(this.metrics).map(
        () =>
          html`<div class="card skeleton" part="card">
            <span class="block label"></span><span class="block value"></span
            ><span class="block foot"></span>
          </div>`,
      )}
    </div>`;
  }

  private renderCards(report: Report, s: Strings, stale: boolean): TemplateResult {
    const lang = this.language;
    const keys = parseMetrics(this.metrics);
    const selected = this.selectedMetric;
    // Roving tabindex: the selected card, or the first one when the selection is not shown.
    const tabStop = selected !== null && keys.includes(selected) ? selected : keys[0];
    const comparison = s.comparison[report.range] ?? '';
    return html`<div
        class="grid ${stale ? 'stale' : ''}"
        part="group"
        role="radiogroup"
        aria-label=${s.metricCards}
        aria-busy=${stale ? 'true' : 'false'}
        @keydown=${this.onKeyDown}
      >
        ${keys.map((key) => {
          const isSelected = key === selected;
          return html`<div
            class="card"
            part=${isSelected ? 'card selected' : 'card'}
            role="radio"
            aria-checked=${isSelected ? 'true' : 'false'}
            aria-describedby="definition-${key}"
            tabindex=${key === tabStop ? '0' : '-1'}
            title=${s.definition[key]}
            data-metric=${key}
            @click=${() => this.choose(key)}
          >
            <span class="label" part="label">${s.metric[key]}</span>
            <span class="value" part="value">${formatMetric(key, report.totals[key], lang)}</span>
            <span class="foot">
              ${this.renderBadge(report.growth[key], s, lang)}
              <span class="comparison" part="comparison">${comparison}</span>
            </span>
          </div>`;
        })}
      </div>
      <div class="visually-hidden">
        ${keys.map((key) => html`<span id="definition-${key}">${s.definition[key]}</span>`)}
      </div>`;
  }

  private renderBadge(growth: number, s: Strings, lang: Lang): TemplateResult {
    const direction = growth > 0 ? 'up' : growth < 0 ? 'down' : 'flat';
    const percent = `${formatCount(Math.abs(growth), lang)}%`;
    const spoken =
      direction === 'up'
        ? s.growthUp(percent)
        : direction === 'down'
          ? s.growthDown(percent)
          : s.growthFlat;
    return html`<span class="badge ${direction}" part="badge ${direction}">
      <span aria-hidden="true"
        >${
          direction === 'flat'
            ? nothing
            : html`<span class="arrow">${direction === 'up' ? '▲' : '▼'}</span>`
        }${formatGrowth(growth, lang)}</span
      ><span class="visually-hidden">${spoken}</span>
    </span>`;
  }

  /** The cards in the order shown. */
  private cards(): HTMLElement[] {
    return [...(this.renderRoot as ShadowRoot).querySelectorAll<HTMLElement>('[role="radio"]')];
  }

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    const cards = this.cards();
    const i = cards.indexOf(e.target as HTMLElement);
    if (i < 0) return;
    const n = cards.length;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = (i + 1) % n;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = (i - 1 + n) % n;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.choose(cards[i].dataset.metric as MetricKey);
        return;
      default:
        return;
    }
    e.preventDefault();
    cards[next].focus();
  };

  private choose(metric: MetricKey): void {
    this.controller.store?.setMetric(metric);
    const event = new MetricSelectEvent(metric); // a named value, so the manifest lists only @fires
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-overview': UaOverview;
  }
}
