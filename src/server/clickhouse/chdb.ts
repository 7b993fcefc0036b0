/**
 * ClickHouse in-process (chDB): the events of a file judged row by row by the engine's own
 * parser (SPEC §6: the same rows rejected, for the same reasons), loaded into a MergeTree table
 * created by clickhouseDDL, and queried with exactly the SQL a ClickHouse server gets.
 *
 * `chdb` (ClickHouse 26.x, about 550 MB) is optional: it is loaded from the project's
 * dependencies if a user installed it, else from the folder in UA_KIT_CHDB_DIR, else from
 * .cache/chdb (where scripts/install-chdb.sh puts it for the tests and the bench).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EventParser } from '../../engine/parse.js';
import type { Diagnostics, EventColumns, ReportOptions, Report } from '../../engine/types.js';
import { checkIdentifier, ddlStatements } from './ddl.js';
import {
  clickhouseApps,
  clickhouseReport,
  type QueryParams,
  type Row,
  type RunQuery,
} from './report.js';
import { FAR } from './sql.js';

/** The chdb release the kit is tested with (scripts/install-chdb.sh installs the same). */
export const CHDB_VERSION = '3.4.0';

/** The part of chdb's Session this module uses. */
export interface ChdbSession {
  query(sql: string, format?: string): string;
  queryBindAsync(
    sql: string,
    params: object,
    opts?: { format?: string },
  ): Promise<{ text(): string }>;
  insert(params: { table: string; values: string; format: 'JSONEachRow' }): Promise<unknown>;
  close(): void;
}

interface ChdbModule {
  Session: new (path?: string) => ChdbSession;
}

/** Thrown when chdb is not installed; the message says how to install it. */
export class ChdbMissingError extends Error {
  constructor(tried: string[]) {
    super(
      `chDB is not installed: run \`npm install chdb@${CHDB_VERSION}\` (about 550 MB) to use --engine chdb, ` +
        `or scripts/install-chdb.sh for the tests (looked in: ${tried.join(', ')})`,
    );
    this.name = 'ChdbMissingError';
  }
}

/** Loads the chdb module (see the header for where it is looked for). */
export function loadChdb(root = process.cwd()): ChdbModule {
  const folders = [
    root,
    ...(process.env.UA_KIT_CHDB_DIR ? [resolve(process.env.UA_KIT_CHDB_DIR)] : []),
    join(root, '.cache', 'chdb'),
  ];
  for (const folder of folders) {
    const require = createRequire(join(folder, 'package.json'));
    let path: string;
    try {
      path = require.resolve('chdb');
    } catch {
      continue;
    }
    if (existsSync(path)) return require(path) as ChdbModule;
  }
  throw new ChdbMissingError(folders);
}

/** A runner over a chDB session: JSONEachRow rows of a query with bound parameters. */
export function chdbRunner(session: ChdbSession): RunQuery {
  return async (sql: string, params: QueryParams): Promise<Row[]> => {
    const answer = await session.queryBindAsync(sql, params, { format: 'JSONEachRow' });
    return parseJsonEachRow(answer.text());
  };
}

/** Rows of a JSONEachRow text. */
export function parseJsonEachRow(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) if (line.trim() !== '') rows.push(JSON.parse(line) as Row);
  return rows;
}

const KIND_NAMES = ['hide', 'open', 'page'];
const ROWS_PER_INSERT = 500_000;

/**
 * Inserts the columns' events (or those of indices `rows`) into `into` in JSONEachRow batches.
 * Times are clamped to ±2^62 ms (far outside every window, so nothing a report shows changes).
 */
export async function insertColumns(
  session: ChdbSession,
  cols: EventColumns,
  into: string,
  rows: ArrayLike<number> | null,
): Promise<void> {
  const users = cols.users.map((u) => JSON.stringify(u));
  const apps = ['""', ...cols.apps.map((a) => JSON.stringify(a))];
  const count = rows === null ? cols.length : rows.length;
  for (let from = 0; from < count; from += ROWS_PER_INSERT) {
    const lines: string[] = [];
    for (let j = from; j < Math.min(count, from + ROWS_PER_INSERT); j++) {
      const i = rows === null ? j : rows[j];
      const time = Math.max(-FAR, Math.min(FAR, cols.time[i]));
      lines.push(
        `{"app":${apps[cols.app[i]]},"user":${users[cols.user[i]]},"time":${time},"type":"${KIND_NAMES[cols.kind[i]]}"}`,
      );
    }
    await session.insert({
      table: into,
      values: lines.join('\n'),
      format: 'JSONEachRow',
    });
  }
}

/**
 * Parses rows of NDJSON or a JSON array with the engine's parser; an NDJSON line that is not
 * JSON is rejected as 'bad-json', as the in-browser loader counts it.
 */
export function parseEventText(text: string): EventColumns {
  const parser = new EventParser();
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const rows: unknown = JSON.parse(trimmed);
    if (!Array.isArray(rows)) throw new Error('The events file must be a JSON array or NDJSON');
    parser.addRange(rows);
    return parser.finish();
  }
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    parser.add(row);
  }
  const cols = parser.finish();
  if (badLines > 0) {
    cols.diagnostics.rejected += badLines;
    cols.diagnostics.reasons['bad-json'] = badLines;
  }
  return cols;
}

/** A chDB database holding one file's events, and the reports over it. */
export interface ChdbEvents {
  readonly run: RunQuery;
  readonly database: string;
  readonly table: string;
  readonly diagnostics: Diagnostics;
  apps(): Promise<string[]>;
  report(options: ReportOptions): Promise<Report>;
  close(): void;
}

/**
 * `database.table` created afresh by clickhouseDDL (dropped first if it is there) and filled
 * with the columns' events (or those of indices `rows`).
 */
export async function loadColumns(
  session: ChdbSession,
  cols: EventColumns,
  database: string,
  table: string,
  rows: ArrayLike<number> | null = null,
): Promise<void> {
  const statements = ddlStatements({ database, table });
  session.query(
    `DROP TABLE IF EXISTS ${checkIdentifier(database, 'database')}.${checkIdentifier(table, 'table')}`,
  );
  for (const statement of statements) session.query(statement);
  await insertColumns(session, cols, `${database}.${table}`, rows);
}

/** Loads parsed columns into a fresh chDB session (temporary folder). */
export async function chdbFromColumns(
  cols: EventColumns,
  {
    database = 'ua_kit',
    table = 'events',
    root,
  }: { database?: string; table?: string; root?: string } = {},
): Promise<ChdbEvents> {
  const { Session } = loadChdb(root);
  const session = new Session();
  await loadColumns(session, cols, database, table);
  const run = chdbRunner(session);
  const target = { database, table };
  const diagnostics = cols.diagnostics;
  return {
    run,
    database,
    table,
    diagnostics,
    apps: () => clickhouseApps(run, target),
    report: (options) => clickhouseReport(run, options, target, { diagnostics }),
    close: () => session.close(),
  };
}

/** `ua-kit serve --events FILE --engine chdb`: the file's events (NDJSON or JSON) in chDB. */
export async function chdbFromFile(
  file: string,
  options: { database?: string; table?: string; root?: string } = {},
): Promise<ChdbEvents> {
  return chdbFromColumns(parseEventText(await readFile(file, 'utf8')), options);
}
