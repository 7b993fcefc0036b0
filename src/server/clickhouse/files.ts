/**
 * Parquet and Arrow IPC into chDB with chDB's own readers (`file(path, Parquet)`, `Arrow`,
 * `ArrowStream`), judged in SQL: chDB's Node binding hands results back only as text, so
 * handing a million rows to the engine's parser would mean printing and parsing them all (and
 * inserting them again as text); instead one query counts the rejected rows per reason and one
 * `INSERT … SELECT` loads the accepted ones, inside ClickHouse.
 *
 * The SQL judges exactly as the engine's parser does (SPEC §6), for the column types where that
 * is plain arithmetic: `type` text; `user` text (null or empty: bad-user) or an integer (its
 * decimal text); `time` an integer or float (whole ms; null, NaN or ±Infinity: bad-time) or a
 * timestamp (its epoch ms); `app` absent, text or an integer (null or empty: no app). For any
 * other type (an ISO text time, which only the engine's own parser reads exactly, a float user
 * id) `judgeableSql` answers null and the caller reads the file into the engine's parser
 * instead (Parquet through DuckDB, Arrow through apache-arrow).
 */

/** ClickHouse's name of a file format. */
export type FileFormat = 'Parquet' | 'Arrow' | 'ArrowStream';
import { FAR } from './sql.js';

/** FAR as exact digits (a JS number prints its shortest form, which is not 2^59's). */
const FAR_TEXT = BigInt(FAR).toString();

/** A type without its Nullable(…) and LowCardinality(…) wrappers. */
export function baseType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return m === null ? type : baseType(m[1]);
}

const TEXT = /^(String|FixedString\(\d+\))$/;
const INTEGER = /^U?Int(8|16|32|64|128|256)$/;
const FLOAT = /^(Float32|Float64|BFloat16)$/;
const TIMESTAMP = /^(DateTime64\(.*\)|DateTime(\(.*\))?|Date|Date32)$/;

/** A ClickHouse string literal. */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The user or app as text ('' for none), or null when its type is not one judged here. */
function idSql(name: string, type: string | undefined): string | null {
  if (type === undefined) return `''`;
  if (TEXT.test(type)) return `ifNull(toString(\`${name}\`), '')`;
  if (INTEGER.test(type)) return `ifNull(toString(\`${name}\`), '')`;
  return null;
}

/** The time as Float64 epoch ms (NaN for none), or null when its type is not one judged here. */
function timeSql(type: string): string | null {
  if (INTEGER.test(type) || FLOAT.test(type)) return `floor(ifNull(toFloat64(\`time\`), nan))`;
  if (TIMESTAMP.test(type))
    return `ifNull(toFloat64(toUnixTimestamp64Milli(toDateTime64(\`time\`, 3))), nan)`;
  return null;
}

/**
 * The judged rows of a file as a subquery with columns k (the kind, −1 for an unknown
 * type), u, t, a and reason ('' for an accepted row), or null when a column's type needs the
 * engine's own parser. `types`: the file's columns (DESCRIBE), by name.
 */
export function judgeableSql(
  file: string,
  format: FileFormat,
  types: Map<string, string>,
): string | null {
  const base = (name: string) => {
    const type = types.get(name);
    return type === undefined ? undefined : baseType(type);
  };
  const typeType = base('type');
  const user = idSql('user', base('user'));
  const time = timeSql(base('time') ?? '');
  const app = idSql('app', base('app'));
  if (typeType === undefined || !TEXT.test(typeType) || user === null || time === null) return null;
  if (app === null) return null;
  // The order of the engine's checks: type, user, time (an app of these types is never bad).
  return `SELECT k, u, t, a,
    multiIf(k < 0, 'bad-type', u = '', 'bad-user', NOT isFinite(t), 'bad-time', '') AS reason
  FROM (SELECT
    multiIf(ifNull(toString(\`type\`), '') = 'hide', 0, ifNull(toString(\`type\`), '') = 'open', 1,
      ifNull(toString(\`type\`), '') = 'page', 2, -1) AS k,
    ${user} AS u, ${time} AS t, ${app} AS a
  FROM file(${stringLiteral(file)}, ${format}))`;
}

/** Counts per reason of the judged rows ('' for the accepted ones). */
export function reasonCountsSql(judged: string): string {
  return `SELECT reason, count() AS n FROM (${judged}) GROUP BY reason`;
}

/** Inserts the accepted rows into `into`, times clamped to ±FAR as insertColumns does. */
export function insertAcceptedSql(judged: string, into: string): string {
  return `INSERT INTO ${into} (app, user, time, type)
  SELECT a, u, toInt64(greatest(toFloat64(-${FAR_TEXT}), least(toFloat64(${FAR_TEXT}), t))),
    CAST(k AS Enum8('hide' = 0, 'open' = 1, 'page' = 2))
  FROM (${judged}) WHERE reason = ''`;
}

/** DESCRIBE's answer: the file's columns and their types, by name. */
export function typesOf(describeRows: Array<Record<string, unknown>>): Map<string, string> {
  return new Map(describeRows.map((r) => [String(r.name), String(r.type)]));
}

/** `DESCRIBE` of a file. */
export function describeSql(file: string, format: FileFormat): string {
  return `DESCRIBE file(${stringLiteral(file)}, ${format})`;
}
