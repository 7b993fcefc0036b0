import { METRIC_KEYS, type Report } from './types.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Check = string | null;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return Number.isFinite(v);
}

function checkWindow(v: unknown, name: string): Check {
  if (!isObject(v)) return `${name} must be an object { start, end }`;
  if (!isFiniteNumber(v.start)) return `${name}.start must be a number (epoch ms)`;
  if (!isFiniteNumber(v.end)) return `${name}.end must be a number (epoch ms)`;
  if (!(v.start < v.end)) return `${name}.start must be before ${name}.end`;
  return null;
}

/** Totals and series values are counts and durations: ≥ 0. Growth may be negative. */
function checkMetrics(v: unknown, name: string, allowNegative = false): Check {
  if (!isObject(v)) return `${name} must be an object of the seven metrics`;
  for (const key of METRIC_KEYS) {
    const x = v[key];
    if (!isFiniteNumber(x)) return `${name}.${key} must be a number`;
    if (!allowNegative && x < 0) return `${name}.${key} must not be negative`;
  }
  return null;
}

function checkSeries(
  v: unknown,
  name: string,
  window: { start: number; end: number },
  report: Record<string, unknown>,
): Check {
  if (!Array.isArray(v)) return `${name} must be an array`;
  const expected = report.granularity === 'day' ? (report.range as number) : null;
  if (expected !== null && v.length !== expected) {
    return `${name} must have ${expected} daily points, has ${v.length}`;
  }
  if (expected === null && (v.length < 23 || v.length > 25)) {
    return `${name} must have 23 to 25 hourly points, has ${v.length}`;
  }
  let last = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const point = v[i];
    const problem = checkMetrics(point, `${name}[${i}]`);
    if (problem !== null) return problem;
    const start = (point as Record<string, unknown>).start;
    if (!isFiniteNumber(start)) return `${name}[${i}].start must be a number (epoch ms)`;
    if (start <= last) return `${name}[${i}].start must be after the point before it`;
    if (start < window.start || start >= window.end)
      return `${name}[${i}].start is outside its window`;
    last = start;
  }
  // Never empty here: a day or hour count was checked above.
  if ((v[0] as { start: number }).start !== window.start) {
    return `${name}[0].start must be the start of its window`;
  }
  return null;
}

/**
 * Checks that a value has the shape of a Report (docs/SPEC.md §5). Returns null when it does, else a
 * sentence naming the first bad field.
 */
export function validateReport(value: unknown): string | null {
  if (!isObject(value)) return 'the report must be a JSON object';
  const r = value;
  if (r.app !== null && typeof r.app !== 'string') return 'app must be a string or null';
  if (r.range !== 1 && r.range !== 7 && r.range !== 30) return 'range must be 1, 7 or 30';
  if (typeof r.end !== 'string' || !DATE.test(r.end)) return "end must be a date 'YYYY-MM-DD'";
  if (typeof r.timeZone !== 'string' || r.timeZone === '')
    return 'timeZone must be a time zone name';
  const granularity = r.range === 1 ? 'hour' : 'day';
  if (r.granularity !== granularity)
    return `granularity must be '${granularity}' for range ${r.range}`;
  const problem =
    checkWindow(r.period, 'period') ??
    checkWindow(r.previous, 'previous') ??
    checkMetrics(r.totals, 'totals') ??
    checkMetrics(r.previousTotals, 'previousTotals') ??
    checkMetrics(r.growth, 'growth', true);
  if (problem !== null) return problem;
  const period = r.period as { start: number; end: number };
  const previous = r.previous as { start: number; end: number };
  if (previous.end > period.start) return 'previous must end before period starts';
  const series = checkSeries(r.series, 'series', period, r);
  if (series !== null) return series;
  if (r.previousSeries !== undefined) {
    const prev = checkSeries(r.previousSeries, 'previousSeries', previous, r);
    if (prev !== null) return prev;
  }
  if (r.diagnostics !== undefined && !isObject(r.diagnostics))
    return 'diagnostics must be an object';
  return null;
}

/** Narrowing form of validateReport. */
export function isReport(value: unknown): value is Report {
  return validateReport(value) === null;
}
