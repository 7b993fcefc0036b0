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

/** The phase of `progress` named for a person (downloading, reading, computing), or "Loading…". */
function phaseLabel(progress: Progress | null, s: Strings): string {
  return progress === null ? s.loading : s.phase[progress.phase];
}

/** A progress bar (`role="progressbar"`), determinate when the total is known. */
export function renderProgressBar(progress: Progress | null, s: Strings): TemplateResult {
  const fraction = fractionOf(progress);
  const known = fraction !== null;
  const percent = known ? Math.min(100, Math.round(fraction * 100)) : 0;
  const label = phaseLabel(progress, s);
  return html`<div
    class="progress ${known ? '' : 'indeterminate'}"
    role="progressbar"
    aria-label=${s.loading}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${ifDefined(known ? percent : undefined)}
    aria-valuetext=${known ? `${label} ${percent}%` : label}
  >
    <div style=${styleProps({ width: known ? `${percent}%` : null })}></div>
  </div>`;
}

/** A loading state: the progress bar and the phase named beside it. */
export function renderLoading(progress: Progress | null, s: Strings): TemplateResult {
  return html`<div class="state" part="loading">
    ${renderProgressBar(progress, s)}
    <span>${phaseLabel(progress, s)}</span>
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
