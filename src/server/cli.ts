/// <reference types="node" />
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBEngine } from './duckdb/engine.js';
import { createReportHandler } from './handler.js';
import { readAppsFile, readEventsFile } from './load.js';

const USAGE = `Usage: ua-kit serve --events PATH [--apps PATH] [--port 8787] [--host 127.0.0.1]
                     [--db PATH] [--engine duckdb] [--cors ORIGIN] [--ingest-token TOKEN]`;

export interface ServeFlags {
  events?: string;
  apps?: string;
  port: number;
  host: string;
  db?: string;
  engine: string;
  cors?: string;
  ingestToken?: string;
}

/** Flags of `ua-kit serve`; throws an Error with the usage on a bad one. */
export function parseServeFlags(argv: string[]): ServeFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      apps: { type: 'string' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      engine: { type: 'string', default: 'duckdb' },
      cors: { type: 'string' },
      'ingest-token': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: expected a port number, got ${values.port}`);
  if (values.engine !== 'duckdb')
    throw new Error(`--engine: only 'duckdb' is available, got '${values.engine}'`);
  if (values.events === undefined && values.db === undefined)
    throw new Error('--events PATH (or --db PATH) is required');
  return {
    events: values.events,
    apps: values.apps,
    port,
    host: values.host!,
    db: values.db,
    engine: values.engine,
    cors: values.cors,
    ingestToken: values['ingest-token'],
  };
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
  engine: DuckDBEngine,
  path: string,
  log: (s: string) => void,
): Promise<void> {
  const started = performance.now();
  let accepted = 0;
  let rejected = 0;
  const reasons: Record<string, number> = {};
  for await (const batch of readEventsFile(path)) {
    const result = await engine.ingest(batch.rows);
    accepted += result.accepted;
    rejected += result.rejected + batch.badJson;
    for (const [k, v] of Object.entries(result.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
    if (batch.badJson > 0) reasons['bad-json'] = (reasons['bad-json'] ?? 0) + batch.badJson;
  }
  await engine.prepare();
  const seconds = (performance.now() - started) / 1000;
  log(
    `loaded ${path}: ${accepted} events accepted, ${rejected} rejected${describe(reasons)} in ${seconds.toFixed(1)} s`,
  );
}

/** Starts `ua-kit serve`; resolves with the listening server once its URL is printed. */
export async function serve(
  flags: ServeFlags,
  log: (s: string) => void = console.log,
): Promise<Server> {
  const apps = flags.apps === undefined ? undefined : await readAppsFile(flags.apps);
  const engine = await DuckDBEngine.open({ db: flags.db, apps });
  const kept = await engine.eventCount();
  if (flags.events !== undefined && kept === 0) await loadEvents(engine, flags.events, log);
  else {
    if (flags.events !== undefined)
      log(`--db ${flags.db} holds ${kept} events: --events is not loaded again`);
    await engine.prepare();
  }
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
