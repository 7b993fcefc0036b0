import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../engine/types.js';
import { MetricSelectEvent } from '../../events/metric-select.js';
import { formatCount, formatGrowth, formatMetric } from '../../i18n/format.js';
import { strings, type Lang, type Strings } from '../../i18n/strings.js';
import { renderReportView } from '../../internal/report-view.js';
import { StoreWidget } from '../../internal/store-widget.js';
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
 * @fires {MetricSelectEvent} metric-select - A card was chosen by click, Enter or Space; `detail: { metric }`.
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
export class UaOverview extends StoreWidget {
  static override styles = [themeStyles, stateStyles, overviewStyles];

  /** Space-separated metric keys to show, in this order (unknown keys are ignored). Default: all seven. */
  @property({ attribute: 'metrics' }) metrics: string | null = null;

  /** The metric whose card is selected. */
  get selectedMetric(): MetricKey | null {
    return this.activeStore?.metric ?? null;
  }

  protected override render(): TemplateResult {
    const s = strings(this.language);
    return renderReportView(this.view, s, this.retry, {
      ready: (report, stale) => this.renderCards(report, s, stale),
      skeleton: () => this.renderSkeleton(),
      shared: this.sharedStates,
    });
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
    this.activeStore?.setMetric(metric);
    const event = new MetricSelectEvent(metric); // a named value, so the manifest lists only @fires
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-overview': UaOverview;
  }
}
