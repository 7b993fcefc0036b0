/**
 * The endpoint fuzz's judge of a Report's shape (SPEC §5), written apart from
 * src/engine/validate.ts so that a wrong validateReport cannot also be a wrong oracle. Returns
 * every field that breaks the contract (empty: a Report), named as a path such as `totals.opens`
 * or `series[3].start`; the store's reason must name one of them.
 */
// The seven names written out again on purpose: nothing here is imported from src/engine.
const METRICS = [
  'newUsers',
  'activeUsers',
  'opens',
  'pageVisits',
  'avgDurationPerOpen',
  'avgDurationPerUser',
  'avgOpensPerUser',
] as const;

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** 'YYYY-MM-DD' as ASCII digits; the calendar is not checked (nor is it by the contract). */
function isDateString(v: unknown): boolean {
  if (typeof v !== 'string' || v.length !== 10 || v[4] !== '-' || v[7] !== '-') return false;
  return [...v.slice(0, 4), ...v.slice(5, 7), ...v.slice(8)].every((c) => c >= '0' && c <= '9');
}

/** A half-open window [start, end) of epoch ms. */
function windowProblems(v: unknown, name: string): string[] {
  if (!isPlainObject(v)) return [name];
  if (!isNumber(v.start)) return [`${name}.start`];
  if (!isNumber(v.end)) return [`${name}.end`];
  return v.end > v.start ? [] : [name];
}

function metricProblems(v: unknown, name: string, signed: boolean): string[] {
  if (!isPlainObject(v)) return [name];
  return METRICS.filter((k) => !isNumber(v[k]) || (!signed && (v[k] as number) < 0)).map(
    (k) => `${name}.${k}`,
  );
}

/** One point per bucket: `points` of them, ascending, from the window's start, inside it. */
function seriesProblems(
  v: unknown,
  name: string,
  window: unknown,
  points: [number, number],
): string[] {
  if (!Array.isArray(v)) return [name];
  if (v.length < points[0] || v.length > points[1]) return [name];
  const out: string[] = [];
  const starts: number[] = [];
  v.forEach((point: unknown, i) => {
    out.push(...metricProblems(point, `${name}[${i}]`, false));
    const start = isPlainObject(point) ? point.start : undefined;
    if (isNumber(start)) starts.push(start);
    else out.push(`${name}[${i}].start`);
  });
  if (out.length > 0 || !isPlainObject(window)) return out;
  const { start: from, end: to } = window as { start: number; end: number };
  starts.forEach((t, i) => {
    const inside = t >= from && t < to;
    const ascending = i === 0 ? t === from : t > starts[i - 1];
    if (!inside || !ascending) out.push(`${name}[${i}].start`);
  });
  return out;
}

export function reportProblems(value: unknown): string[] {
  if (!isPlainObject(value)) return ['JSON object'];
  const r = value;
  const out: string[] = [];
  if (!(r.app === null || typeof r.app === 'string')) out.push('app');
  const range = r.range === 1 || r.range === 7 || r.range === 30 ? r.range : null;
  if (range === null) out.push('range');
  if (!isDateString(r.end)) out.push('end');
  if (typeof r.timeZone !== 'string' || r.timeZone.length === 0) out.push('timeZone');
  if (range !== null && r.granularity !== (range === 1 ? 'hour' : 'day')) out.push('granularity');
  const windows = [
    ...windowProblems(r.period, 'period'),
    ...windowProblems(r.previous, 'previous'),
  ];
  out.push(...windows);
  out.push(...metricProblems(r.totals, 'totals', false));
  out.push(...metricProblems(r.previousTotals, 'previousTotals', false));
  out.push(...metricProblems(r.growth, 'growth', true));
  if (windows.length === 0) {
    const period = r.period as { start: number };
    const previous = r.previous as { end: number };
    if (previous.end > period.start) out.push('previous');
  }
  if (range !== null && windows.length === 0) {
    // A day of hours has 23 to 25 (daylight saving); days are `range`.
    const points: [number, number] = range === 1 ? [23, 25] : [range, range];
    out.push(...seriesProblems(r.series, 'series', r.period, points));
    if (r.previousSeries !== undefined) {
      out.push(...seriesProblems(r.previousSeries, 'previousSeries', r.previous, points));
    }
  }
  if (r.diagnostics !== undefined && !isPlainObject(r.diagnostics)) out.push('diagnostics');
  return out;
}
