import { METRIC_KEYS, type MetricKey, type Report } from '../engine/types.js';

/**
 * No activity at all: every total, previous total and bucket of both windows is 0. The
 * overview and the trend then show their empty state instead of zeros.
 */
export function isEmptyReport(report: Report): boolean {
  const zero = (m: Record<MetricKey, number>) => METRIC_KEYS.every((k) => !m[k]);
  return (
    zero(report.totals) &&
    zero(report.previousTotals) &&
    report.series.every(zero) &&
    (report.previousSeries ?? []).every(zero)
  );
}
