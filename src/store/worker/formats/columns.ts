import { parseIsoDateTime } from '../../../engine/parse.js';
import { LoadError } from '../../errors.js';

/** The columns the kit reads from a columnar file; `app` (and `page`, unused) are optional. */
export const REQUIRED_COLUMNS = ['user', 'time', 'type'] as const;

/** A readable error for a file without one of the columns the kit needs. */
export function missingColumn(format: string, name: string): LoadError {
  return new LoadError(
    `The ${format} file has no "${name}" column (it needs user, time and type; app is optional)`,
  );
}

/** Epoch ms of one time value, judged as a JSON event's `time` is; NaN when it is none. */
export function msOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseIsoDateTime(value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

/**
 * 64-bit integers as numbers × `times` ÷ `per`, without a BigInt per row: each value is read
 * as two 32-bit halves (exact below 2^53, which every epoch time in s, ms or µs is). Into
 * `out` when given (at least as long as `values`).
 */
export function int64ToNumbers(
  values: BigInt64Array,
  times = 1,
  per = 1,
  out: Float64Array = new Float64Array(values.length),
): Float64Array {
  const n = values.length;
  const halves = new Int32Array(values.buffer, values.byteOffset, n * 2);
  if (times === 1 && per === 1) {
    for (let i = 0; i < n; i++) out[i] = halves[2 * i + 1] * 4294967296 + (halves[2 * i] >>> 0);
    return out;
  }
  for (let i = 0; i < n; i++) {
    out[i] = ((halves[2 * i + 1] * 4294967296 + (halves[2 * i] >>> 0)) * times) / per;
  }
  return out;
}

/** Nanoseconds to whole ms exactly (a double cannot hold epoch ns); into `out` when given. */
export function nanosToMs(
  values: BigInt64Array,
  out: Float64Array = new Float64Array(values.length),
): Float64Array {
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i] / 1_000_000n);
  return out;
}

/** A user or app value as the engine reads it: a 64-bit integer becomes its decimal string. */
export function idValue(value: unknown): unknown {
  return typeof value === 'bigint' ? String(value) : value;
}
