/**
 * Arrow IPC (file or stream format) into the engine's columns. Loaded lazily, in the worker,
 * only when an Arrow file is given: apache-arrow stays out of every other bundle.
 */
import { DataType, TimeUnit, makeVector, tableFromIPC, type Data, type Vector } from 'apache-arrow';
import { ColumnarEventParser, type BatchColumn } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import type { OnRows } from '../../events-loader.js';
import {
  REQUIRED_COLUMNS,
  idValue,
  int64ToNumbers,
  missingColumn,
  msOf,
  nanosToMs,
} from './columns.js';

/** Reads every record batch of `bytes` into the engine's columns. */
export async function readArrow(bytes: Uint8Array, onRows: OnRows): Promise<EventColumns> {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new LoadError(`The Arrow file cannot be read (${errorText(e)}); is it truncated?`);
  }
  const names = table.schema.fields.map((f) => f.name);
  for (const name of REQUIRED_COLUMNS)
    if (!names.includes(name)) throw missingColumn('Arrow', name);
  const hasApp = names.includes('app');
  const parser = new ColumnarEventParser(table.numRows);
  const dictionaries = new WeakMap<object, unknown[]>();
  let done = 0;
  for (const batch of table.batches) {
    const column = (name: string) => batch.getChild(name)!.data[0];
    parser.addColumns({
      length: batch.numRows,
      user: idColumn(column('user'), dictionaries),
      time: timeColumn(column('time')),
      type: idColumn(column('type'), dictionaries),
      app: hasApp ? idColumn(column('app'), dictionaries) : null,
    });
    done += batch.numRows;
    await onRows(done, table.numRows);
  }
  return parser.finish();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when row i of `data` is null. */
function isNull(data: Data, i: number): boolean {
  if (data.nullCount <= 0) return false;
  const bit = data.offset + i;
  return (data.nullBitmap![bit >> 3] & (1 << (bit & 7))) === 0;
}

/** Every value of `data`, nulls included, as a JS array (builds a string per row). */
function valuesOf(data: Data): unknown[] {
  const vector = makeVector(data);
  const values = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = isNull(data, i) ? null : vector.get(i);
  return values;
}

/** A user, type or app column: dictionary codes as they are, anything else as values. */
function idColumn(data: Data, dictionaries: WeakMap<object, unknown[]>): BatchColumn {
  if (!DataType.isDictionary(data.type)) return valuesOf(data).map(idValue);
  const dictionaryVector = data.dictionary as Vector;
  let dictionary = dictionaries.get(dictionaryVector);
  if (dictionary === undefined) {
    dictionary = dictionaryValues(dictionaryVector);
    dictionaries.set(dictionaryVector, dictionary);
  }
  let codes = ownValues<ArrayLike<number>>(data);
  if (codes instanceof BigInt64Array || codes instanceof BigUint64Array) {
    codes = Int32Array.from(codes as BigInt64Array, Number);
  }
  if (data.nullCount > 0) {
    const withNulls = Int32Array.from(codes);
    for (let i = 0; i < data.length; i++) if (isNull(data, i)) withNulls[i] = -1;
    codes = withNulls;
  }
  return { codes, dictionary };
}

/**
 * The entries of a dictionary. Strings (the usual case) in one piece are decoded in one go and
 * cut at their offsets when the text is ASCII (each byte one character, so byte offsets are
 * character offsets): decoding tens of thousands of short strings one by one costs more than
 * reading the whole file.
 */
function dictionaryValues(vector: Vector): unknown[] {
  const data = vector.data[0] as Data | undefined;
  if (vector.data.length === 1 && DataType.isUtf8(vector.type) && data!.nullCount <= 0) {
    const values = asciiStrings(data!);
    if (values !== null) return values;
  }
  return [...vector].map(idValue);
}

/** The strings of a Utf8 Data without nulls, when they are ASCII; else null. */
function asciiStrings(data: Data): string[] | null {
  const offsets = data.valueOffsets as Int32Array;
  const at = data.offset;
  const from = offsets[at];
  const to = offsets[at + data.length];
  const text = new TextDecoder().decode(data.values.subarray(from, to));
  if (text.length !== to - from) return null;
  const values = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    values[i] = text.slice(offsets[at + i] - from, offsets[at + i + 1] - from);
  }
  return values;
}

/** The time column as epoch ms; NaN for nulls and values that are not a time. */
function timeColumn(data: Data): Float64Array {
  const values = ArrayBuffer.isView(data.values)
    ? (ownValues<ArrayLike<unknown>>(data) as unknown)
    : null;
  const type = data.type as DataType & { unit?: number };
  let ms: Float64Array;
  if (DataType.isTimestamp(type) && values instanceof BigInt64Array) {
    ms =
      type.unit === TimeUnit.NANOSECOND
        ? nanosToMs(values)
        : type.unit === TimeUnit.MICROSECOND
          ? int64ToNumbers(values, 1, 1000)
          : type.unit === TimeUnit.SECOND
            ? int64ToNumbers(values, 1000)
            : int64ToNumbers(values);
  } else if (DataType.isInt(type) && values instanceof BigInt64Array) {
    ms = int64ToNumbers(values);
  } else if ((DataType.isInt(type) || DataType.isFloat(type)) && ArrayBuffer.isView(values)) {
    ms = Float64Array.from(values as unknown as ArrayLike<number>);
  } else {
    ms = Float64Array.from(valuesOf(data), msOf);
  }
  if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (isNull(data, i)) ms[i] = NaN;
  return ms;
}

/** The typed array of `data`'s own rows (a batch may be a slice of a larger buffer). */
function ownValues<T extends ArrayLike<unknown>>(data: Data): T {
  const values = data.values as unknown as { subarray(from: number, to: number): T };
  return values.subarray(data.offset, data.offset + data.length);
}
