import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Progress } from '../store/types.js';
import { styleProps } from './style-props.js';
import type { Strings } from '../i18n/strings.js';

/** The bar's fraction (0–1) of `progress`, or null: indeterminate. */
function fractionOf(progress: Progress | null): number | null {
  if (progress === null) return null;
  // The store's position of the whole load, when it set one (it never goes back).
  if (progress.overall !== undefined) return progress.overall;
  const { done, total } = progress;
  return total !== null && total > 0 ? done / total : null;
}

/**
 * A loading state with a progress bar (`role="progressbar"`), determinate when the total is
 * known, and the phase named beside it (downloading, reading, computing).
 */
export function renderLoading(progress: Progress | null, s: Strings): TemplateResult {
  const fraction = fractionOf(progress);
  const known = fraction !== null;
  const percent = known ? Math.min(100, Math.round(fraction * 100)) : 0;
  const label = progress === null ? s.loading : s.phase[progress.phase];
  return html`<div class="state" part="loading">
    <div
      class="progress ${known ? '' : 'indeterminate'}"
      role="progressbar"
      aria-label=${s.loading}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${ifDefined(known ? percent : undefined)}
      aria-valuetext=${known ? `${label} ${percent}%` : label}
    >
      <div style=${styleProps({ width: known ? `${percent}%` : null })}></div>
    </div>
    <span>${label}</span>
  </div>`;
}

/** An error state: the reason as text and a Retry button. */
export function renderError(reason: string, s: Strings, retry: () => void): TemplateResult {
  return html`<div class="state" part="error" role="alert">
    <strong>${s.errorTitle}</strong>
    <span class="reason">${reason}</span>
    <button class="retry" part="retry" type="button" @click=${retry}>${s.retry}</button>
  </div>`;
}

/** An empty state. */
export function renderEmpty(text: string): TemplateResult {
  return html`<div class="state" part="empty">${text}</div>`;
}
