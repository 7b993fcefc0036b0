import { html, nothing, type TemplateResult } from 'lit';
import { METRIC_KEYS, type MetricKey, type Report } from '../engine/types.js';
import type { Strings } from '../i18n/strings.js';
import type { MetricsStore } from '../store/metrics-store.js';
import type { Progress } from '../store/types.js';
import { renderEmpty, renderError, renderLoading } from './states.js';

/**
 * Which activity makes a Report worth showing: `'both'` — any in the period or its comparison
 * window (cards and chart: 0 against last week's 12 is news); `'period'` — any in the period
 * itself (the table, whose rows are the period's buckets only).
 */
export type EmptyScope = 'both' | 'period';

const zero = (m: Record<MetricKey, number>) => METRIC_KEYS.every((k) => !m[k]);

/** No activity in the scope's windows: every total and bucket there is 0. */
export function isEmptyReport(report: Report, scope: EmptyScope = 'both'): boolean {
  const period = zero(report.totals) && report.series.every(zero);
  if (scope === 'period' || !period) return period;
  return zero(report.previousTotals) && (report.previousSeries ?? []).every(zero);
}

/** Which state a widget over a store is in. */
export type ViewState = 'no-source' | 'loading' | 'error' | 'empty' | 'ready';

/** What a widget shows of its store's Report: one answer for every widget. */
export interface ReportView {
  state: ViewState;
  /**
   * The Report to draw: the ready one, else the last good one kept while a reload is pending
   * or after it failed (then `stale`); null when there is none or it has no activity.
   */
  report: Report | null;
  /** `report` is an older one than the store is loading or failed to load. */
  stale: boolean;
  progress: Progress | null;
  /** The reason of the error state, as text. */
  error: string | null;
  /** Empty for this widget only (its scope is `'period'` and the comparison window has data). */
  ownEmpty: boolean;
}

/** The view of a store's Report (no store, or an idle one: `no-source`). */
export function reportView(store: MetricsStore | null, scope: EmptyScope = 'both'): ReportView {
  const r = store?.report;
  const shown = (report: Report | undefined) =>
    report !== undefined && !isEmptyReport(report, scope) ? report : null;
  const base = { report: null, stale: false, progress: null, error: null, ownEmpty: false };
  if (!r || r.status === 'idle') return { ...base, state: 'no-source' };
  switch (r.status) {
    case 'loading': {
      const report = shown(r.previous);
      return { ...base, state: 'loading', report, stale: report !== null, progress: r.progress };
    }
    case 'error': {
      const report = shown(r.previous);
      return { ...base, state: 'error', report, stale: report !== null, error: r.error };
    }
    case 'ready': {
      const report = shown(r.value);
      const ownEmpty = report === null && !isEmptyReport(r.value, 'both');
      return { ...base, state: report ? 'ready' : 'empty', report, ownEmpty };
    }
  }
}

/** How a widget renders its states around its own content. */
export interface StateOptions {
  /** The widget's content for a Report (`stale`: an older one, shown dimmed). */
  ready: (report: Report, stale: boolean) => TemplateResult;
  /** What fills the widget's place while the first Report loads (default nothing). */
  skeleton?: () => TemplateResult;
  /**
   * The page shows one loading, error and empty state for several widgets (as `<ua-dashboard>`
   * does): this widget shows none of its own, only its content or skeleton.
   */
  shared?: boolean;
  /**
   * After a failed reload, keep the last Report dimmed under the error (the table: rows a
   * person may still be reading or exporting). Otherwise the error stands alone, so that old
   * numbers are not read as the answer. With `shared`, the page's one error stands alone.
   */
  keepOnError?: boolean;
}

/**
 * One widget's loading / empty / error / ready rendering: the state line (progress bar, the
 * error with its reason and Retry, the empty or no-source text) above the content, the content
 * kept dimmed while a newer Report loads or after loading it failed.
 */
export function renderReportView(
  view: ReportView,
  s: Strings,
  retry: () => void,
  options: StateOptions,
): TemplateResult {
  const dropped = view.state === 'error' && (!options.keepOnError || options.shared);
  const content =
    view.report && !dropped
      ? options.ready(view.report, view.stale)
      : view.state === 'loading' && options.skeleton
        ? options.skeleton()
        : nothing;
  // Shared: the page shows loading, errors and a Report empty in both windows once for all.
  if (options.shared && !view.ownEmpty) return html`${content}`;
  let state: TemplateResult | typeof nothing = nothing;
  if (view.state === 'no-source') state = renderEmpty(s.noSource);
  else if (view.state === 'empty') state = renderEmpty(s.empty);
  else if (view.state === 'error') state = renderError(view.error ?? '', s, retry);
  else if (view.state === 'loading') {
    state = html`<div class="loading-bar">${renderLoading(view.progress, s)}</div>`;
  }
  return html`${state}${content}`;
}
