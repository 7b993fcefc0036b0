/// <reference types="node" />
/**
 * Parquet through DuckDB's own reader (`read_parquet`): streamed chunk by chunk (memory stays
 * bounded whatever the file's size), the columns cast in SQL only where that keeps the engine's
 * judgement (integers as their decimal text, timestamps as epoch ms), user, type and app sent
 * as codes into dictionaries of their distinct values, and every row then judged by the
 * engine's ColumnarEventParser, so that a Parquet file gives the same accepted rows and the same
 * counts per reason as the same events as JSON.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { msOf } from '../../store/worker/formats/columns.js';
import { checkColumns, type ColumnBatch } from '../columns.js';

const INTEGER = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const NUMBER = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\(.*\))$/;
const TIME = /^(TIMESTAMP.*|DATE)$/;

/** A SQL string literal (DuckDB does not bind a table function's file name). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const quoted = (name: string) => `"${name}"`;

/** A user, type or app value as the engine reads it: integers as their decimal text, else as is. */
function idExpression(name: string, type: string): string {
  return INTEGER.test(type) ? `s.${quoted(name)}::VARCHAR` : `s.${quoted(name)}`;
}

/**
 * The time column as epoch ms (numbers, timestamps) or text (ISO date-times, parsed by the
 * engine's own parser); any other type is no time.
 */
function timeExpression(type: string): string {
  // An instant as it is (a cast to TIMESTAMP would read it in DuckDB's local time zone).
  if (type === 'TIMESTAMP WITH TIME ZONE') return `epoch_ms(s."time")::DOUBLE`;
  if (TIME.test(type)) return `epoch_ms(s."time"::TIMESTAMP)::DOUBLE`;
  if (NUMBER.test(type)) return `s."time"::DOUBLE`;
  if (type === 'VARCHAR') return `s."time"`;
  return `NULL::DOUBLE`;
}

/** The column types of a Parquet file; a clear error naming the file when it cannot be read. */
async function columnTypes(conn: DuckDBConnection, source: string, path: string) {
  try {
    const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const rows = reader.getRowObjectsJS();
    return new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  } catch (error) {
    throw new Error(`${path}: not a readable Parquet file (${firstLine(error)}); is it truncated?`);
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0];
}

const ID_COLUMNS = ['user', 'type', 'app'] as const;

/**
 * Each distinct value of the user, type and app columns, numbered in a temporary table
 * (`ua_dict_user`…), so that the rows come back as codes into a dictionary: one JS value per
 * distinct value, not per row. The dictionaries, in code order (an absent column: none).
 */
async function dictionaries(
  conn: DuckDBConnection,
  source: string,
  types: Map<string, string>,
): Promise<Record<(typeof ID_COLUMNS)[number], unknown[] | null>> {
  const out = { user: null, type: null, app: null } as Record<string, unknown[] | null>;
  for (const name of ID_COLUMNS) {
    const type = types.get(name);
    if (type === undefined) continue;
    await conn.run(`CREATE OR REPLACE TEMP TABLE ua_dict_${name} AS
      SELECT v, (row_number() OVER () - 1)::INTEGER AS c
      FROM (SELECT DISTINCT ${idExpression(name, type)} AS v FROM ${source} s)`);
    const reader = await conn.runAndReadAll(`SELECT v FROM ua_dict_${name} ORDER BY c`);
    out[name] = reader.getColumns()[0] ?? [];
  }
  return out;
}

/** The SELECT that reads a Parquet file's events: dictionary codes, and the time. */
export function parquetSelect(source: string, types: Map<string, string>): string {
  const code = (name: string) => (types.has(name) ? `d_${name}.c` : `-1`);
  const joins = ID_COLUMNS.filter((name) => types.has(name)).map(
    (name) =>
      `LEFT JOIN ua_dict_${name} d_${name} ON ${idExpression(name, types.get(name)!)} IS NOT DISTINCT FROM d_${name}.v`,
  );
  return `SELECT ${code('user')}, ${timeExpression(types.get('time')!)}, ${code('type')}, ${code('app')}
    FROM ${source} s ${joins.join(' ')}`;
}

/** Growing columns of one batch: codes and times in typed arrays. */
class BatchBuilder {
  private n = 0;
  private user: Int32Array;
  private type: Int32Array;
  private app: Int32Array;
  private time: Float64Array;

  constructor(
    capacity: number,
    private readonly dictionary: Record<string, unknown[] | null>,
  ) {
    this.user = new Int32Array(capacity);
    this.type = new Int32Array(capacity);
    this.app = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  /** Adds a chunk's columns (at most capacity − length rows). */
  add(user: unknown[], time: unknown[], type: unknown[], app: unknown[]): void {
    let n = this.n;
    for (let i = 0; i < user.length; i++, n++) {
      this.user[n] = user[i] as number;
      this.type[n] = type[i] as number;
      this.app[n] = app[i] as number;
      const t = time[i];
      // A null is no time (NaN: bad-time), never 0.
      this.time[n] = typeof t === 'number' ? t : t === null ? NaN : msOf(t);
    }
    this.n = n;
  }

  take(): ColumnBatch {
    const n = this.n;
    const { user, type, app } = this.dictionary;
    const batch: ColumnBatch = {
      length: n,
      user: { codes: this.user.slice(0, n), dictionary: user! },
      time: this.time.slice(0, n),
      type: { codes: this.type.slice(0, n), dictionary: type! },
      app: app === null ? null : { codes: this.app.slice(0, n), dictionary: app },
    };
    this.n = 0;
    return batch;
  }
}

/**
 * The events of a Parquet file in batches of about `rows` rows, read by DuckDB over `conn`
 * (a connection of its own: the engine's writes go on meanwhile).
 */
export async function* duckdbParquetBatches(
  conn: DuckDBConnection,
  path: string,
  rows = 65_536,
): AsyncGenerator<ColumnBatch> {
  const source = `read_parquet(${literal(path)})`;
  const types = await columnTypes(conn, source, path);
  checkColumns(path, 'Parquet', [...types.keys()]);
  try {
    const dictionary = await dictionaries(conn, source, types);
    const result = await conn.stream(parquetSelect(source, types));
    const builder = new BatchBuilder(rows + 4096, dictionary);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const [user, time, type, app] = chunk.getColumns();
      builder.add(user, time, type, app);
      if (builder.length >= rows) yield builder.take();
    }
    if (builder.length > 0) yield builder.take();
  } catch (error) {
    // Only DuckDB throws here (what the consumer does with a batch does not come back in).
    throw new Error(`${path}: the Parquet file cannot be read (${firstLine(error)})`);
  }
}

/** The same reader over a DuckDB of its own in memory (for engines without one). */
export async function* parquetBatches(path: string): AsyncGenerator<ColumnBatch> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    yield* duckdbParquetBatches(conn, path);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
