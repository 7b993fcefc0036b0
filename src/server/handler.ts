/// <reference types="node" />
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';
import { defaultTimeZone } from '../engine/index.js';
import { dataUpTo, planOf, resolveQuery, type ReportEngine, type ReportQuery } from './engine.js';
import { parseNdjson } from './load.js';

export interface ReportHandlerOptions {
  engine: ReportEngine;
  /** Path prefix of the API. Default '/api'. */
  base?: string;
  /** Access-Control-Allow-Origin for the API; no CORS headers without it. */
  cors?: string;
  /** Enables `POST {base}/events` with `Authorization: Bearer TOKEN`. */
  ingestToken?: string;
  /** Largest request body, bytes. Default 16 MiB. */
  bodyLimit?: number;
  /** Folder of the kit bundled for the browser (dist/server/dashboard/) to serve the dashboard at '/' from; none without it. */
  dashboard?: string;
  /** Time zone of a report without `tz`. Default: the server's. */
  timeZone?: string;
  /** The clock (T+1 default end, which reports are final). Default Date.now. */
  now?: () => number;
  /** One line per request. Default: none. */
  log?: (line: string) => void;
}

/** Answer of a route: status, JSON body or raw text, extra headers. */
interface Answer {
  status: number;
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
}

/** A request error answered as `{ "error": message }` with `status`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body: JSON.stringify(value),
  headers,
});

interface Cached {
  /** UTF-8, encoded once. */
  body: Buffer;
  etag: string;
  /** The end of the report's period: an ingested event at or after it cannot change it. */
  end: number;
  timeZone: string;
  /** The body as last sent, with its `dataUpTo` day (which moves on with the data and the clock). */
  sent?: { day: string | null; body: Buffer; etag: string };
}

/** A Report's JSON with `dataUpTo` added (none when `day` is null). */
function withDataUpTo(body: string, day: string | null): string {
  return day === null ? body : `${body.slice(0, -1)},"dataUpTo":"${day}"}`;
}

/** What to send of a cached report when the data is up to `day`: built once per day. */
function sentOf(hit: Cached, day: string | null): { body: Buffer; etag: string } {
  if (hit.sent === undefined || hit.sent.day !== day) {
    const body = day === null ? hit.body : Buffer.from(withDataUpTo(hit.body.toString(), day));
    const etag = day === null ? hit.etag : `${hit.etag.slice(0, -1)}.${day}"`;
    hit.sent = { day, body, etag };
  }
  return hit.sent;
}

/** 400 for an engine's RangeError, 503/504 for a backend error that carries it, else 500. */
function statusOf(error: unknown): number {
  if (error instanceof RangeError) return 400;
  const status = (error as { status?: unknown } | null)?.status;
  return status === 503 || status === 504 ? status : 500;
}

/** Compares a bearer token in constant time. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/**
 * The request body as text, or a 413 when it passes `limit` bytes. The rest of a body that
 * is too big is read and dropped before the 413 (a client still sending would see its
 * connection reset instead of the answer), up to 4 × the limit; a body declared bigger than
 * that is answered at once.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooBig = () => new HttpError(413, `body: larger than the limit of ${limit} bytes`);
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > 4 * limit) {
      reject(tooBig());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 4 * limit) {
        req.destroy();
        reject(tooBig());
      }
    });
    req.on('end', () => {
      if (size > limit) reject(tooBig());
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** NDJSON or a JSON array of events. */
function parseEventsBody(text: string): { rows: unknown[]; badJson: number } {
  if (text.trimStart().startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value)) return { rows: value, badJson: 0 };
    } catch {
      // not one JSON array: fall through to the error
    }
    throw new HttpError(400, 'body: expected NDJSON or a JSON array of events');
  }
  return parseNdjson(text);
}

const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>User Analysis</title>
<script type="module" src="./ua-kit.js"></script>
<style>body { margin: 0; padding: 16px; font-family: system-ui, sans-serif; }</style>
</head>
<body>
<ua-dashboard endpoint="__BASE__"></ua-dashboard>
</body>
</html>
`;

/**
 * The `ua-kit serve` API (SPEC §7, §9) as one `(req, res)` function for node:http, Express
 * (`app.use(handler)`; requests it does not serve go to `next`) or Fastify (with the raw
 * request and response). Reports of periods that ended are final: cached, with ETag.
 */
export function createReportHandler(
  options: ReportHandlerOptions,
): (req: IncomingMessage, res: ServerResponse, next?: () => void) => void {
  const { engine } = options;
  const base = (options.base ?? '/api').replace(/\/$/, '');
  const limit = options.bodyLimit ?? 16 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const zone = options.timeZone ?? defaultTimeZone();
  const cache = new Map<string, Cached>();
  const running = new Map<string, Promise<string>>();
  /** Ingestions so far. */
  let ingested = 0;
  /** The engine's latest event time, asked at most once a minute and again after an ingestion. */
  let lastEvent: { at: number; time: Promise<number | null> } | null = null;

  /** The `dataUpTo` day of a report in `timeZone` (see dataUpTo in ./engine.ts). */
  async function dataUpToIn(timeZone: string): Promise<string | null> {
    if (engine.lastEventTime === undefined) return null;
    const t = now();
    if (lastEvent === null || t - lastEvent.at >= 60_000) {
      const time = engine.lastEventTime().catch(() => null);
      lastEvent = { at: t, time };
    }
    return dataUpTo(await lastEvent.time, t, timeZone);
  }

  /**
   * Final reports by the query string that asked for them, when it names its end day (without
   * one, the same URL means another day tomorrow): a hit skips parsing and planning.
   * Bounded, as any string can be a key.
   */
  const byUrl = new Map<string, Cached>();
  const BY_URL_MAX = 10_000;

  async function cachedAnswer(hit: Cached, req: IncomingMessage): Promise<Answer> {
    // With ingestion a late event can still change a past day: revalidate each time.
    const cacheControl = options.ingestToken ? 'no-cache' : 'public, max-age=86400, immutable';
    const sent = sentOf(hit, await dataUpToIn(hit.timeZone));
    const headers = { ETag: sent.etag, 'Cache-Control': cacheControl };
    if (req.headers['if-none-match'] === sent.etag) return { status: 304, body: '', headers };
    return { status: 200, body: sent.body, headers };
  }

  /** The report of a checked query: from the cache, or computed once for concurrent askers. */
  async function finalOrFresh(query: ReportQuery): Promise<Cached | string> {
    const key = JSON.stringify(query);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (query.app !== null && !(await engine.apps()).some((a) => a.id === query.app)) {
      throw new HttpError(400, `app: unknown app ${JSON.stringify(query.app)}`);
    }
    const periodEnd = planOf(query).period.end;
    const generation = ingested;
    let pending = running.get(key);
    if (pending === undefined) {
      pending = engine.report(query).then((r) => JSON.stringify(r));
      running.set(key, pending);
      pending.finally(() => running.delete(key)).catch(() => undefined);
    }
    const body = await pending;
    if (periodEnd > now()) return body; // the period includes today: not final
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const entry = { body: Buffer.from(body), etag, end: periodEnd, timeZone: query.timeZone };
    // Rows ingested meanwhile may or may not be in this answer: send it, do not keep it.
    if (generation === ingested) cache.set(key, entry);
    return entry;
  }

  async function report(url: URL, req: IncomingMessage): Promise<Answer> {
    const p = url.searchParams;
    const raw = p.get('end') ? url.search : null;
    const known = raw === null ? undefined : byUrl.get(raw);
    if (known !== undefined) return cachedAnswer(known, req);
    let query: ReportQuery;
    try {
      query = resolveQuery(
        { range: p.get('range'), end: p.get('end'), tz: p.get('tz'), app: p.get('app') },
        now(),
        zone,
      );
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const result = await finalOrFresh(query);
    if (typeof result === 'string') {
      const body = withDataUpTo(result, await dataUpToIn(query.timeZone));
      return { status: 200, body, headers: { 'Cache-Control': 'no-store' } };
    }
    if (raw !== null && cache.get(JSON.stringify(query)) === result) {
      if (byUrl.size >= BY_URL_MAX) byUrl.clear();
      byUrl.set(raw, result);
    }
    return cachedAnswer(result, req);
  }

  async function ingest(req: IncomingMessage): Promise<Answer> {
    if (!tokenMatches(req.headers.authorization, options.ingestToken!)) {
      req.resume();
      return json(
        401,
        { error: 'authorization: expected Bearer and the ingest token' },
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    }
    const { rows, badJson } = parseEventsBody(await readBody(req, limit));
    const result = await engine.ingest(rows);
    ingested++;
    lastEvent = null; // a later event may have come
    running.clear(); // a report computing now may predate these rows
    if (result.earliest !== null) {
      for (const map of [cache, byUrl]) {
        for (const [key, entry] of map) if (entry.end > result.earliest) map.delete(key);
      }
    }
    const reasons = { ...result.reasons };
    if (badJson > 0) reasons['bad-json'] = badJson;
    return json(200, { accepted: result.accepted, rejected: result.rejected + badJson, reasons });
  }

  async function dashboard(path: string): Promise<Answer | null> {
    if (options.dashboard === undefined) return null;
    if (path === '/' || path === '/index.html') {
      return {
        status: 200,
        body: DASHBOARD_PAGE.replace('__BASE__', base),
        type: 'text/html; charset=utf-8',
      };
    }
    // The kit's browser modules only: .js files inside the dashboard folder.
    const file = normalize(join(options.dashboard, path));
    if (
      !/^\/[\w./-]+\.js$/.test(path) ||
      path.includes('..') ||
      !file.startsWith(normalize(options.dashboard))
    ) {
      return null;
    }
    try {
      return {
        status: 200,
        body: await readFile(file, 'utf8'),
        type: 'text/javascript; charset=utf-8',
      };
    } catch {
      return null;
    }
  }

  async function route(req: IncomingMessage, url: URL): Promise<Answer | null> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith(base + '/') || path === base) {
      const name = path.slice(base.length);
      if (method === 'OPTIONS' && options.cors) return { status: 204, body: '' };
      if (name === '/apps' || name === '/report') {
        if (method !== 'GET' && method !== 'HEAD')
          throw new HttpError(405, `method: ${method} is not allowed here`);
        return name === '/apps' ? json(200, { apps: await engine.apps() }) : report(url, req);
      }
      if (name === '/events' && options.ingestToken) {
        if (method !== 'POST') throw new HttpError(405, `method: ${method} is not allowed here`);
        return ingest(req);
      }
      throw new HttpError(404, `no such path: ${path}`);
    }
    if (method === 'GET' || method === 'HEAD') return dashboard(path);
    return null;
  }

  function send(req: IncomingMessage, res: ServerResponse, answer: Answer, started: number): void {
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.status !== 304 && answer.status !== 204) {
      headers['Content-Type'] = answer.type ?? 'application/json; charset=utf-8';
    }
    if (options.cors && (req.url ?? '').startsWith(base)) {
      headers['Access-Control-Allow-Origin'] = options.cors;
      headers['Access-Control-Allow-Headers'] = 'Authorization, Content-Type, If-None-Match';
      headers['Access-Control-Allow-Methods'] = 'GET, POST, OPTIONS';
      headers['Access-Control-Expose-Headers'] = 'ETag';
      if (options.cors !== '*') headers.Vary = 'Origin';
    }
    // After a 413 the client may keep sending: close the connection.
    if (answer.status === 413) headers.Connection = 'close';
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
    options.log?.(
      `${req.method} ${req.url} ${answer.status} ${(performance.now() - started).toFixed(1)} ms`,
    );
  }

  return (req, res, next) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(req, url)
      .then((answer) => {
        if (answer !== null) send(req, res, answer, started);
        else if (next) next();
        else send(req, res, json(404, { error: `no such path: ${url.pathname}` }), started);
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError) {
          send(req, res, json(error.status, { error: error.message }), started);
          return;
        }
        // An engine's RangeError names a parameter; a backend that is down or slow says so
        // (503/504, as ClickHouse's errors carry); anything else is ours: a message, no stack.
        const text = String((error as Error)?.message ?? error).split('\n')[0];
        const status = statusOf(error);
        const message = status === 500 ? `internal error: ${text}` : text;
        if (status >= 500) options.log?.(`error: ${text}`);
        send(req, res, json(status, { error: message }), started);
      });
  };
}
