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

/** What a report request asks for (SPEC §7). */
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

/** `GET {endpoint}/report?…` → a validated Report. */
export async function fetchReport(
  endpoint: string,
  q: ReportQuery,
  timeout: number,
  signal: AbortSignal,
): Promise<Report> {
  const value = await getJson(reportUrl(endpoint, q), timeout, signal);
  const problem = validateReport(value);
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
