/**
 * The report over a ClickHouse server or cluster, through `@clickhouse/client` (HTTP): the
 * same SQL text as chDB runs, with the values as query parameters. Credentials come from
 * CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, or from the URL (`http://user:password@host:8123`).
 * A ClickHouse that is down answers BackendUnavailableError (503), one that is slow
 * BackendTimeoutError (504); the client is kept, so the next request works once it is back.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Report, ReportOptions } from '../../engine/types.js';
import { checkIdentifier } from './ddl.js';
import { BackendTimeoutError, BackendUnavailableError } from './errors.js';
import {
  clickhouseApps,
  clickhouseLastEventTime,
  clickhouseReport,
  type ClickHouseTarget,
  type QueryParams,
  type Row,
  type RunQuery,
} from './report.js';

export interface ClickHouseConnection {
  /** `http(s)://[user:password@]host:port`. */
  url: string;
  /** Default 'ua_kit'. */
  database?: string;
  /** Default 'events'. */
  table?: string;
  /** A cluster of `remote_servers` (see ddl.ts): the report is computed shard-local. */
  cluster?: string;
  /** A query that takes longer is a BackendTimeoutError. Default 30 000 ms. */
  timeoutMs?: number;
  /** Default process.env. */
  env?: Record<string, string | undefined>;
}

/** A ClickHouse backend: its runner, its apps and reports, and a way to close it. */
export interface ClickHouseBackend {
  readonly run: RunQuery;
  readonly target: ClickHouseTarget;
  apps(): Promise<string[]>;
  report(options: ReportOptions): Promise<Report>;
  /** The time (epoch ms) of the latest event, or null without events. */
  lastEventTime(): Promise<number | null>;
  close(): Promise<void>;
}

const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);
/** ClickHouse's own codes for "too slow" (TIMEOUT_EXCEEDED, TOO_SLOW) and "too busy". */
const SLOW_CLICKHOUSE_CODES = new Set(['159', '160']);
const BUSY_CLICKHOUSE_CODES = new Set(['202', '203']);

/** A client error as the HTTP layer should see it: 503, 504, or the error as it is. */
export function classifyClickHouseError(err: unknown, where: string): Error {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = String(e?.code ?? e?.cause?.code ?? '');
  const message = String(e?.message ?? err);
  if (DOWN_CODES.has(code) || /ECONNREFUSED|socket hang up|ECONNRESET/.test(message)) {
    return new BackendUnavailableError(`ClickHouse at ${where} is unreachable`, { cause: err });
  }
  if (/timeout/i.test(message) || SLOW_CLICKHOUSE_CODES.has(code)) {
    return new BackendTimeoutError(`ClickHouse at ${where} did not answer in time`, { cause: err });
  }
  if (BUSY_CLICKHOUSE_CODES.has(code)) {
    return new BackendUnavailableError(`ClickHouse at ${where} is overloaded`, { cause: err });
  }
  return err instanceof Error ? err : new Error(message);
}

/** `url` without its credentials, to name it in messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured URL';
  }
}

/** A runner over a @clickhouse/client: JSONEachRow rows, errors classified. */
export function clientRunner(client: ClickHouseClient, where: string): RunQuery {
  return async (sql: string, params: QueryParams): Promise<Row[]> => {
    try {
      const result = await client.query({
        query: sql,
        query_params: params,
        format: 'JSONEachRow',
      });
      return await result.json<Row>();
    } catch (err) {
      throw classifyClickHouseError(err, where);
    }
  };
}

/** `ua-kit serve --clickhouse URL [--database D] [--table T]`: the backend over that server. */
export function clickhouseBackend(connection: ClickHouseConnection): ClickHouseBackend {
  const env = connection.env ?? process.env;
  const target: ClickHouseTarget = {
    database: checkIdentifier(connection.database ?? 'ua_kit', 'database'),
    table: checkIdentifier(connection.table ?? 'events', 'table'),
  };
  if (connection.cluster !== undefined)
    target.cluster = checkIdentifier(connection.cluster, 'cluster');
  const url = new URL(connection.url);
  const username =
    env.CLICKHOUSE_USER ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password =
    env.CLICKHOUSE_PASSWORD ?? (url.password ? decodeURIComponent(url.password) : undefined);
  url.username = '';
  url.password = '';
  const client = createClient({
    url: url.toString(),
    username,
    password,
    request_timeout: connection.timeoutMs ?? 30_000,
    compression: { request: false, response: false },
    // Errors reach the caller classified (503/504/500); the server logs them itself.
    log: { level: ClickHouseLogLevel.OFF },
  });
  const run = clientRunner(client, safeUrl(connection.url));
  return {
    run,
    target,
    apps: () => clickhouseApps(run, target),
    report: (options) => clickhouseReport(run, options, target),
    lastEventTime: () => clickhouseLastEventTime(run, target),
    close: () => client.close(),
  };
}
