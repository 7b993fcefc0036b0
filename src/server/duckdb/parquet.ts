/// <reference types="node" />
/**
 * Parquet through DuckDB's own reader (`read_parquet`): streamed chunk by chunk (memory stays
 * bounded whatever the file's size), the columns cast in SQL only where that keeps the engine's
 * judgement (integers as their decimal text, timestamps as epoch ms), and every row then judged
 * by the engine's ColumnarEventParser, so that a Parquet file gives the same accepted rows and
 * the same counts per reason as the same events as JSON.
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

/** A user or app column: integers as their decimal text (as JSON numbers become), else as is. */
function idExpression(name: string, type: string | undefined): string {
  if (type === undefined) return `NULL AS ${quoted(name)}`;
  return INTEGER.test(type) ? `${quoted(name)}::VARCHAR AS ${quoted(name)}` : quoted(name);
}

/**
 * The time column as epoch ms (numbers, timestamps) or text (ISO date-times, parsed by the
 * engine's own parser); any other type is no time.
 */
function timeExpression(type: string): string {
  if (TIME.test(type)) return `epoch_ms("time"::TIMESTAMP)::DOUBLE AS "time"`;
  if (NUMBER.test(type)) return `"time"::DOUBLE AS "time"`;
  if (type === 'VARCHAR') return `"time"`;
  return `NULL::DOUBLE AS "time"`;
}

/** The column types of a Parquet file; a clear error naming the file when it cannot be read. */
async function columnTypes(conn: DuckDBConnection, path: string): Promise<Map<string, string>> {
  try {
    const reader = await conn.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet(${literal(path)})`,
    );
    const rows = reader.getRowObjectsJS();
    return new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  } catch (error) {
    throw new Error(`${path}: not a readable Parquet file (${firstLine(error)}); is it truncated?`);
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0];
}

/** The SELECT that reads a Parquet file's events for the engine. */
export function parquetSelect(path: string, types: Map<string, string>): string {
  const columns = [
    idExpression('user', types.get('user')),
    timeExpression(types.get('time')!),
    quoted('type'),
    idExpression('app', types.get('app')),
  ];
  return `SELECT ${columns.join(', ')} FROM read_parquet(${literal(path)})`;
}

/** Growing columns of one batch. */
class BatchBuilder {
  user: unknown[] = [];
  time: number[] = [];
  type: unknown[] = [];
  app: unknown[] = [];

  get length(): number {
    return this.user.length;
  }

  add(user: unknown[], time: unknown[], type: unknown[], app: unknown[]): void {
    for (let i = 0; i < user.length; i++) {
      this.user.push(user[i]);
      // A null is no time (NaN: bad-time), never 0.
      this.time.push(time[i] === null ? NaN : msOf(time[i]));
      this.type.push(type[i]);
      this.app.push(app[i]);
    }
  }

  take(hasApp: boolean): ColumnBatch {
    const batch: ColumnBatch = {
      length: this.length,
      user: this.user,
      time: Float64Array.from(this.time),
      type: this.type,
      app: hasApp ? this.app : null,
    };
    this.user = [];
    this.time = [];
    this.type = [];
    this.app = [];
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
  const types = await columnTypes(conn, path);
  checkColumns(path, 'Parquet', [...types.keys()]);
  const hasApp = types.has('app');
  let result;
  try {
    result = await conn.stream(parquetSelect(path, types));
  } catch (error) {
    throw new Error(`${path}: not a readable Parquet file (${firstLine(error)})`);
  }
  const builder = new BatchBuilder();
  for (;;) {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (error) {
      throw new Error(`${path}: the Parquet file cannot be read (${firstLine(error)})`);
    }
    if (chunk === null || chunk.rowCount === 0) break;
    const [user, time, type, app] = chunk.getColumns();
    builder.add(user, time, type, app);
    if (builder.length >= rows) yield builder.take(hasApp);
  }
  if (builder.length > 0) yield builder.take(hasApp);
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
