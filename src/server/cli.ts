/// <reference types="node" />
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clickhouseBackend, safeUrl } from './clickhouse/client.js';
import { clickhouseDDL } from './clickhouse/ddl.js';
import { ChdbEngine, ClickHouseEngine } from './clickhouse/engine.js';
import { DuckDBEngine } from './duckdb/engine.js';
import type { AppEntry, ReportEngine } from './engine.js';
import { createReportHandler } from './handler.js';
import {
  EVENTS_FORMATS,
  loadEventsFile,
  readAppsFile,
  type EventsFormat,
  type LoadTarget,
} from './load.js';

const USAGE = `Usage: ua-kit serve --events PATH [--events-format F] [--apps PATH] [--port 8787] [--host 127.0.0.1]
                     [--db PATH] [--engine duckdb|chdb] [--cors ORIGIN] [--ingest-token TOKEN]
       ua-kit serve --clickhouse URL [--database ua_kit] [--table events] [--timeout-ms 30000]
                     [--apps PATH] [--port 8787] [--host 127.0.0.1] [--cors ORIGIN]
       ua-kit sql clickhouse [--database ua_kit] [--table events] [--cluster NAME]`;

export interface ServeFlags {
  events?: string;
  /** ndjson, json, csv, parquet or arrow; default by the file's extension, else its first bytes. */
  eventsFormat?: EventsFormat;
  apps?: string;
  port: number;
  host: string;
  db?: string;
  /** 'duckdb' or 'chdb'; ignored with `clickhouse`. */
  engine: string;
  cors?: string;
  ingestToken?: string;
  /** `--clickhouse URL`: reports from that ClickHouse server (credentials as clickhouseBackend takes them). */
  clickhouse?: string;
  database?: string;
  table?: string;
  timeoutMs?: number;
}

const ENGINES = ['duckdb', 'chdb'];
/** The flags that only mean something with --clickhouse, and those that mean nothing with it. */
const CLICKHOUSE_ONLY = ['database', 'table', 'timeout-ms'] as const;
const NOT_WITH_CLICKHOUSE: Record<string, string> = {
  events: 'the events are in ClickHouse',
  'events-format': 'the events are in ClickHouse',
  db: 'the events are in ClickHouse',
  engine: '--clickhouse is the engine',
  'ingest-token':
    'ClickHouse has its own ingestion (INSERT … FORMAT JSONEachRow, the Kafka engine)',
};

/** Throws unless `values` pairs the ClickHouse flags sensibly. */
function checkClickHouseFlags(values: Record<string, unknown>): void {
  if (values.clickhouse === undefined) {
    for (const name of CLICKHOUSE_ONLY)
      if (values[name] !== undefined) throw new Error(`--${name}: only with --clickhouse URL`);
    return;
  }
  for (const [name, why] of Object.entries(NOT_WITH_CLICKHOUSE))
    if (values[name] !== undefined) throw new Error(`--${name}: not with --clickhouse (${why})`);
  try {
    new URL(String(values.clickhouse));
  } catch {
    throw new Error(
      `--clickhouse: expected a URL such as http://localhost:8123, got ${String(values.clickhouse)}`,
    );
  }
}

/** Flags of `ua-kit serve`; throws an Error with the usage on a bad one. */
export function parseServeFlags(argv: string[]): ServeFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      'events-format': { type: 'string' },
      apps: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      engine: { type: 'string' },
      cors: { type: 'string' },
      'ingest-token': { type: 'string' },
      clickhouse: { type: 'string' },
      database: { type: 'string' },
      table: { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected a port number, got ${values.port}`);
  checkClickHouseFlags(values);
  const engine = values.engine ?? 'duckdb';
  if (!ENGINES.includes(engine))
    throw new Error(`--engine: expected duckdb or chdb, got '${engine}'`);
  if (engine === 'chdb' && values.db !== undefined)
    throw new Error('--db: not with --engine chdb (chDB keeps the events of --events in memory)');
  if (values.clickhouse === undefined && values.events === undefined && values.db === undefined)
    throw new Error('--events PATH (or --db PATH, or --clickhouse URL) is required');
  if (engine === 'chdb' && values.events === undefined)
    throw new Error('--events PATH is required with --engine chdb');
  const eventsFormat = values['events-format'];
  if (eventsFormat !== undefined && !(EVENTS_FORMATS as readonly string[]).includes(eventsFormat))
    throw new Error(
      `--events-format: expected ${EVENTS_FORMATS.join(', ')}, got '${eventsFormat}'`,
    );
  if (eventsFormat !== undefined && values.events === undefined)
    throw new Error('--events-format: only with --events PATH');
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    throw new Error(
      `--timeout-ms: expected a positive number of milliseconds, got ${values['timeout-ms']}`,
    );
  return {
    events: values.events,
    eventsFormat: eventsFormat as EventsFormat | undefined,
    apps: values.apps,
    port,
    host: values.host!,
    db: values.db,
    engine,
    cors: values.cors,
    ingestToken: values['ingest-token'],
    clickhouse: values.clickhouse,
    database: values.database,
    table: values.table,
    timeoutMs,
  };
}

/** `ua-kit sql clickhouse [--database D] [--table T] [--cluster C]`: the DDL to run. */
export function sqlCommand(argv: string[]): string {
  const [dialect, ...rest] = argv;
  if (dialect !== 'clickhouse')
    throw new Error(`ua-kit sql: expected the dialect clickhouse, got '${dialect ?? ''}'`);
  const { values } = parseArgs({
    args: rest,
    options: {
      database: { type: 'string' },
      table: { type: 'string' },
      cluster: { type: 'string' },
    },
    strict: true,
  });
  return clickhouseDDL(values);
}

/** The kit bundled for the browser beside this module (dist/server/dashboard/), if it is there. */
function dashboardDir(): string | undefined {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'dashboard');
  return existsSync(join(dir, 'ua-kit.js')) ? dir : undefined;
}

function describe(reasons: Record<string, number>): string {
  const parts = Object.entries(reasons).map(([k, v]) => `${k} ${v}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** Loads `--events` into the engine, in batches, logging what was rejected and why. */
async function loadEvents(
  engine: LoadTarget & { prepare?(): Promise<void> },
  flags: ServeFlags,
  log: (s: string) => void,
): Promise<void> {
  const path = flags.events!;
  const started = performance.now();
  const { accepted, rejected, reasons } = await loadEventsFile(engine, path, flags.eventsFormat);
  const loaded = performance.now();
  await engine.prepare?.();
  const seconds = (to: number, from: number) => `${((to - from) / 1000).toFixed(2)} s`;
  const prepared = engine.prepare ? `, sessionized in ${seconds(performance.now(), loaded)}` : '';
  log(
    `loaded ${path}: ${accepted} events accepted, ${rejected} rejected${describe(reasons)} in ${seconds(loaded, started)}${prepared}`,
  );
}

/** DuckDB, with --events loaded unless --db holds events already. */
async function openDuckDB(
  flags: ServeFlags,
  apps: AppEntry[] | undefined,
  log: (s: string) => void,
): Promise<ReportEngine> {
  const engine = await DuckDBEngine.open({ db: flags.db, apps });
  const kept = await engine.eventCount();
  if (flags.events !== undefined && kept === 0) await loadEvents(engine, flags, log);
  else {
    if (flags.events !== undefined)
      log(`--db ${flags.db} holds ${kept} events: --events is not loaded again`);
    await engine.prepare();
  }
  return engine;
}

/**
 * The ClickHouse server of --clickhouse, asked for its apps once: a ClickHouse that is down or
 * slow now is logged (the server answers 503/504 until it is back); any other failure (a wrong
 * password, no such table) ends the start.
 */
async function openClickHouse(
  flags: ServeFlags,
  apps: AppEntry[] | undefined,
  log: (s: string) => void,
): Promise<ReportEngine> {
  const backend = clickhouseBackend({
    url: flags.clickhouse!,
    database: flags.database,
    table: flags.table,
    timeoutMs: flags.timeoutMs,
  });
  const { database, table } = backend.target;
  const where = `ClickHouse ${safeUrl(flags.clickhouse!)}, table ${database}.${table}`;
  try {
    const ids = await backend.apps();
    log(`${where}: ${ids.length} apps`);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status !== 503 && status !== 504) {
      await backend.close();
      throw new Error(`${where}: ${String((error as Error).message).split('\n')[0]}`);
    }
    log(`${where}: ${(error as Error).message} (answering ${status} until it is back)`);
  }
  return new ClickHouseEngine(backend, apps ?? null);
}

/** The engine the flags ask for, with its events loaded. */
async function openEngine(
  flags: ServeFlags,
  apps: AppEntry[] | undefined,
  log: (s: string) => void,
): Promise<ReportEngine> {
  if (flags.clickhouse !== undefined) return openClickHouse(flags, apps, log);
  if (flags.engine !== 'chdb') return openDuckDB(flags, apps, log);
  const engine = ChdbEngine.open({ apps });
  try {
    await loadEvents(engine, flags, log);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return engine;
}

/** Starts `ua-kit serve`; resolves with the listening server once its URL is printed. */
export async function serve(
  flags: ServeFlags,
  log: (s: string) => void = console.log,
): Promise<Server> {
  const apps = flags.apps === undefined ? undefined : await readAppsFile(flags.apps);
  const engine = await openEngine(flags, apps, log);
  const dashboard = dashboardDir();
  const handler = createReportHandler({
    engine,
    cors: flags.cors,
    ingestToken: flags.ingestToken,
    dashboard,
    log,
  });
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(flags.port, flags.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : flags.port;
  const host = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
  log(
    `ua-kit serve: http://${host}:${port}/ (API under /api${dashboard ? '' : '; no dashboard: run npm run build'})`,
  );
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing`);
    server.close(() => {
      engine.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeAllConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}

/** `ua-kit <command> …` */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'sql') {
    try {
      process.stdout.write(sqlCommand(rest));
    } catch (error) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      process.exitCode = 2;
    }
    return;
  }
  if (command !== 'serve') {
    console.error(
      command === undefined || command === '--help'
        ? USAGE
        : `unknown command '${command}'\n${USAGE}`,
    );
    process.exitCode = command === '--help' ? 0 : 2;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let flags: ServeFlags;
  try {
    flags = parseServeFlags(rest);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    await serve(flags);
  } catch (error) {
    console.error(`ua-kit serve: ${(error as Error).message}`);
    process.exit(1);
  }
}
