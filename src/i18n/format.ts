import type { Granularity, MetricKey } from '../engine/types.js';
import { parseCivil } from '../engine/periods.js';
import type { Lang } from './strings.js';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

/** One Intl.DateTimeFormat per language and options, made once (the kit's one cache of them). */
export function dateFormat(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

/** A count with grouping: 12,345. */
export function formatCount(n: number, lang: Lang): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(n);
}

/** A ratio with 2 decimals: 1.25. */
export function formatRatio(n: number, lang: Lang): string {
  return numberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/**
 * A duration in seconds, rounded to whole seconds: `45s`, `1m 05s`, `1h 02m` (en);
 * `45秒`, `1分05秒`, `1小时02分` (zh-CN).
 */
export function formatDuration(seconds: number, lang: Lang): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const hours = formatCount(h, lang);
  if (lang === 'zh-CN') {
    if (h > 0) return `${hours}小时${two(m)}分`;
    if (m > 0) return `${m}分${two(s)}秒`;
    return `${s}秒`;
  }
  if (h > 0) return `${hours}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(s)}s`;
  return `${s}s`;
}

/** Whether a metric is a duration in seconds. */
export function isDuration(key: MetricKey): boolean {
  return key === 'avgDurationPerOpen' || key === 'avgDurationPerUser';
}

/** A metric value as a person reads it. */
export function formatMetric(key: MetricKey, value: number, lang: Lang): string {
  if (isDuration(key)) return formatDuration(value, lang);
  if (key === 'avgOpensPerUser') return formatRatio(value, lang);
  return formatCount(value, lang);
}

/** An integer growth percentage with its sign: `+12%`, `−5%` (U+2212), `0%`. */
export function formatGrowth(percent: number, lang: Lang): string {
  const n = formatCount(Math.abs(percent), lang);
  if (percent > 0) return `+${n}%`;
  if (percent < 0) return `\u2212${n}%`;
  return '0%';
}

/** A bucket's label: `09:00` for hours, a short date for days, local to `timeZone`. */
export function formatBucket(
  start: number,
  granularity: Granularity,
  timeZone: string,
  lang: Lang,
): string {
  if (granularity === 'hour') {
    return dateFormat(lang, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(start);
  }
  return dateFormat(lang, { timeZone, month: 'short', day: 'numeric' }).format(start);
}

/** A full local date: 'Nov 27, 2026' / '2026年11月27日'. */
export function formatDate(start: number, timeZone: string, lang: Lang): string {
  return dateFormat(lang, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(
    start,
  );
}

/** The end of a zh-CN range after its start: what differs from the start ('27日', '12月3日'). */
function zhTail(start: number, last: number, timeZone: string): string {
  const parts = (t: number) =>
    dateFormat('zh-CN', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(t)
      .reduce<Record<string, string>>((o, p) => ({ ...o, [p.type]: p.value }), {});
  const a = parts(start);
  const b = parts(last);
  if (a.year !== b.year) return formatDate(last, timeZone, 'zh-CN');
  return a.month === b.month ? `${b.day}日` : `${b.month}月${b.day}日`;
}

/** A 'YYYY-MM-DD' day as people read it ('Nov 27, 2026'), or null when it is not one. */
export function formatDay(day: string, lang: Lang): string | null {
  try {
    const { y, m, d } = parseCivil(day);
    return formatDate(Date.UTC(y, m - 1, d), 'UTC', lang);
  } catch {
    return null;
  }
}

/**
 * A period of local days, as a localised range, the year written once when both ends share
 * it: 'Nov 21 – 27, 2026', '2026年11月21日 – 27日' ('2026年11月21日 – 12月3日' across months);
 * a single day as formatDate does. `window` is half-open [start, end). The one range format
 * of the chart, the table and the dashboard.
 */
export function formatPeriod(
  window: { start: number; end: number },
  timeZone: string,
  lang: Lang,
): string {
  const first = formatDate(window.start, timeZone, lang);
  const last = formatDate(window.end - 1, timeZone, lang);
  if (first === last) return first;
  if (lang === 'zh-CN') return `${first} – ${zhTail(window.start, window.end - 1, timeZone)}`;
  return dateFormat(lang, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  }).formatRange(window.start, window.end - 1);
}
