import { checkTimeZone } from '../engine/periods.js';
import { validateReport } from '../engine/validate.js';
import type { Range, Report } from '../engine/types.js';
import { LoadError } from './errors.js';
import { getJson } from './http.js';
import type { AppInfo, AppKind } from './types.js';

const APP_KINDS: readonly string[] = ['mini-program', 'h5', 'mini-game'];

/** The page's address, to resolve a relative endpoint; none in a worker or Node. */
function baseUrl(): string | undefined {
  return (globalThis as { location?: { href?: string } }).location?.href;
}

/**
 * `{endpoint}/{path}?params`: the path is appended to the endpoint's own path (a trailing
 * slash or not), a query the endpoint already has is kept, and unset params are left out.
 */
export function endpointUrl(
  endpoint: string,
  path: 'apps' | 'report',
  params: Record<string, string | number | null | undefined> = {},
): string {
  const url = new URL(endpoint, baseUrl());
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  return url.href;
}

/** What a report request asks for (docs/SPEC.md §7). */
export interface ReportQuery {
  app: string | null;
  range: Range;
  /** Null: the server's T+1 default. */
  end: string | null;
  timeZone: string;
}

export function reportUrl(endpoint: string, q: ReportQuery): string {
  return endpointUrl(endpoint, 'report', {
    app: q.app,
    range: q.range,
    end: q.end,
    tz: q.timeZone,
  });
}

/** Largest epoch ms a Date holds (±100 000 000 days); labels of a later time cannot be formatted. */
const DATE_LIMIT = 8.64e15;

/** A string from the answer, quoted for an error message, cut short when long. */
function quoted(s: string): string {
  return `'${s.length > 60 ? `${s.slice(0, 60)}…` : s}'`;
}

/**
 * What the widgets need of a Report beyond its shape (validateReport): a time zone this browser
 * knows, since every date and hour label is formatted in it, and times a Date can hold. Returns
 * null, or a sentence naming the bad field. (Without it, a Report with `timeZone: 'Mars/Base'`
 * passed validation and threw a RangeError in the render of the trend and the table.)
 */
export function checkRenderable(report: Report): string | null {
  try {
    checkTimeZone(report.timeZone);
  } catch {
    return `timeZone ${quoted(report.timeZone)} is not a time zone this browser knows`;
  }
  const times: Array<[string, number]> = [
    ['period.start', report.period.start],
    ['period.end', report.period.end],
    ['previous.start', report.previous.start],
    ['previous.end', report.previous.end],
  ];
  for (const [name, series] of [
    ['series', report.series],
    ['previousSeries', report.previousSeries ?? []],
  ] as const) {
    series.forEach((point, i) => times.push([`${name}[${i}].start`, point.start]));
  }
  for (const [name, t] of times) {
    if (Math.abs(t) > DATE_LIMIT) return `${name} is not a date (epoch ms within ±8.64e15)`;
  }
  return null;
}

/** `GET {endpoint}/report?…` → a validated Report. */
export async function fetchReport(
  endpoint: string,
  q: ReportQuery,
  timeout: number,
  signal: AbortSignal,
): Promise<Report> {
  const value = await getJson(reportUrl(endpoint, q), timeout, signal);
  const problem = validateReport(value) ?? checkRenderable(value as Report);
  if (problem !== null) throw new LoadError(`The report is malformed: ${problem}`);
  return value as Report;
}

/**
 * Checks the shape of a `/apps` answer: `{ apps: [{ id, name, kind? }] }`. Returns the apps
 * (only those three fields; a `kind` this version does not know is left out) or a sentence
 * naming the first bad field.
 */
export function parseApps(value: unknown): AppInfo[] | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'the answer must be a JSON object { apps: [...] }';
  }
  const list = (value as { apps?: unknown }).apps;
  if (!Array.isArray(list)) return 'apps must be an array';
  const apps: AppInfo[] = [];
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return `apps[${i}] must be an object { id, name }`;
    }
    const { id, name, kind } = item as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return `apps[${i}].id must be a non-empty string`;
    if (typeof name !== 'string') return `apps[${i}].name must be a string`;
    if (kind !== undefined && kind !== null && typeof kind !== 'string') {
      return `apps[${i}].kind must be a string`;
    }
    const app: AppInfo = { id, name };
    if (typeof kind === 'string' && APP_KINDS.includes(kind)) app.kind = kind as AppKind;
    apps.push(app);
  }
  return apps;
}

/** `GET {endpoint}/apps` → the validated app list. */
export async function fetchApps(
  endpoint: string,
  timeout: number,
  signal: AbortSignal,
): Promise<AppInfo[]> {
  const value = await getJson(endpointUrl(endpoint, 'apps'), timeout, signal);
  const apps = parseApps(value);
  if (typeof apps === 'string') throw new LoadError(`The app list is malformed: ${apps}`);
  return apps;
}
