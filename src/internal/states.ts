import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Progress } from '../store/types.js';
import { styleProps } from './style-props.js';
import type { Strings } from '../i18n/strings.js';

/** A progress bar (`role="progressbar"`), determinate when `total` is known. */
export function renderProgressBar(progress: Progress | null, s: Strings): TemplateResult {
  const known = progress !== null && progress.total !== null && progress.total > 0;
  const percent = known ? Math.min(100, Math.round((progress.done / progress.total!) * 100)) : 0;
  return html`<div
    class="progress ${known ? '' : 'indeterminate'}"
    role="progressbar"
    aria-label=${s.loading}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${ifDefined(known ? percent : undefined)}
  >
    <div style=${styleProps({ width: known ? `${percent}%` : null })}></div>
  </div>`;
}

/** A loading state: the progress bar and "Loading…". */
export function renderLoading(progress: Progress | null, s: Strings): TemplateResult {
  return html`<div class="state" part="loading">
    ${renderProgressBar(progress, s)}
    <span>${s.loading}</span>
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
