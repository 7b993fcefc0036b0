/**
 * Arrow column data into the engine's batch columns, read through the few fields every Arrow
 * `Data` has: apache-arrow's own (an Arrow file, formats/arrow.ts) or the plain copy of one
 * that the page posts for `source.columns = table` (store/columns-message.ts). Nothing here
 * imports apache-arrow, so the page's Table is read without loading it.
 */
import type { BatchColumn } from '../../../engine/parse-columns.js';
import { idValue, int64ToNumbers, msOf, nanosToMs } from './columns.js';

/** The fields of an Arrow `Data` (one column of one record batch) that the kit reads. */
export interface ArrowData {
  /** `typeId` as apache-arrow's `Type` numbers it; `unit` of a timestamp (0 s … 3 ns). */
  type: { typeId: number; unit?: number };
  length: number;
  /** The first row's index in `values` (and in the null bitmap). */
  offset: number;
  /** Nulls among the rows; ≤ 0: none (apache-arrow's -1 means "not counted", read it). */
  nullCount: number;
  values: ArrayBufferView & ArrayLike<unknown>;
  /** Utf8: where each string starts in `values` (bytes), and where the last ends. */
  valueOffsets?: Int32Array | null;
  /** A bit per row, 0 for a null; absent: no nulls. */
  nullBitmap?: Uint8Array | null;
  /** Dictionary-encoded: the entries, as a Vector (one Data per chunk). */
  dictionary?: { data: readonly ArrowData[] } | null;
}

/** Arrow's `Type` ids (apache-arrow's enum) of the types read here without apache-arrow. */
const DICTIONARY = -1;
const INT = 2;
const FLOAT = 3;
const UTF8 = 5;
const TIMESTAMP = 10;

/** Every value of a Data, nulls as null: the reader's own way for other types. */
export type ValuesOf = (data: ArrowData) => unknown[];

/** The own rows of an Int or Float Data as numbers (not 64-bit integers, not half floats). */
function numbers(data: ArrowData): ArrayLike<number> | null {
  const id = data.type.typeId;
  const v = data.values;
  const ok =
    id === FLOAT
      ? v instanceof Float64Array || v instanceof Float32Array
      : id === INT &&
        ArrayBuffer.isView(v) &&
        !(v instanceof BigInt64Array || v instanceof BigUint64Array);
  return ok ? ownValues<ArrayLike<number>>(data) : null;
}

/** The own rows of an Int64 or Timestamp Data, as 64-bit integers. */
function int64s(data: ArrowData): BigInt64Array | BigUint64Array | null {
  const id = data.type.typeId;
  const v = data.values;
  if (id !== INT && id !== TIMESTAMP) return null;
  if (v instanceof BigInt64Array || (id === INT && v instanceof BigUint64Array)) {
    return ownValues<BigInt64Array>(data);
  }
  return null;
}

/** True for a Data this module reads by itself (a dictionary: of such entries). */
export function isPlainType(data: ArrowData): boolean {
  if (data.type.typeId === DICTIONARY) return (data.dictionary?.data ?? []).every(isPlainType);
  if (data.type.typeId === UTF8) return data.valueOffsets instanceof Int32Array;
  return numbers(data) !== null || int64s(data) !== null;
}

/** True when row i of `data` is null. */
function isNull(data: ArrowData, i: number): boolean {
  if (data.nullCount <= 0 || !data.nullBitmap) return false;
  const bit = data.offset + i;
  return (data.nullBitmap[bit >> 3] & (1 << (bit & 7))) === 0;
}

/** The typed array of `data`'s own rows (a batch may view part of a larger buffer). */
function ownValues<T>(data: ArrowData): T {
  const values = data.values as unknown as { subarray(from: number, to: number): T };
  return values.subarray(data.offset, data.offset + data.length);
}

/**
 * The strings of a Utf8 Data. Decoded in one piece and cut at the offsets when the text is
 * ASCII (each byte one character, so byte offsets are character offsets): decoding tens of
 * thousands of short strings one by one costs more than reading the whole file. Else each on
 * its own. A leading U+FEFF is kept, as JSON keeps it.
 */
function strings(data: ArrowData): string[] {
  const offsets = data.valueOffsets!;
  const bytes = data.values as Uint8Array;
  const at = data.offset;
  const from = offsets[at];
  const to = offsets[at + data.length];
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const text = decoder.decode(bytes.subarray(from, to));
  const ascii = text.length === to - from;
  const values = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const start = offsets[at + i];
    const end = offsets[at + i + 1];
    values[i] = ascii
      ? text.slice(start - from, end - from)
      : decoder.decode(bytes.subarray(start, end));
  }
  return values;
}

/** Every value of a Data, nulls as null: read here for plain types (isPlainType), else `valuesOf`. */
function columnValues(data: ArrowData, valuesOf: ValuesOf): unknown[] {
  if (!isPlainType(data)) return valuesOf(data);
  const values: unknown[] =
    data.type.typeId === UTF8
      ? strings(data)
      : Array.from((numbers(data) ?? int64s(data)) as ArrayLike<unknown>);
  if (data.nullCount > 0)
    for (let i = 0; i < data.length; i++) if (isNull(data, i)) values[i] = null;
  return values;
}

/**
 * A user, type or app column: dictionary codes as they are (a copy only to mark nulls, or to
 * narrow 64-bit codes), with each dictionary's entries read once; anything else as values.
 */
export function idColumn(
  data: ArrowData,
  valuesOf: ValuesOf,
  dictionaries: WeakMap<object, unknown[]>,
): BatchColumn {
  if (data.type.typeId !== DICTIONARY) return columnValues(data, valuesOf).map(idValue);
  const vector = data.dictionary!;
  let dictionary = dictionaries.get(vector);
  if (dictionary === undefined) {
    dictionary = vector.data.flatMap((d) => columnValues(d, valuesOf)).map(idValue);
    dictionaries.set(vector, dictionary);
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

/** The time column as epoch ms; NaN for nulls and values that are not a time. */
export function timeColumn(data: ArrowData, valuesOf: ValuesOf): Float64Array {
  const wide = int64s(data);
  const plain = numbers(data);
  let ms: Float64Array;
  if (wide instanceof BigInt64Array) {
    const unit = data.type.typeId === TIMESTAMP ? data.type.unit : 1;
    ms =
      unit === 3
        ? nanosToMs(wide)
        : unit === 2
          ? int64ToNumbers(wide, 1, 1000)
          : unit === 0
            ? int64ToNumbers(wide, 1000)
            : int64ToNumbers(wide);
  } else if (plain !== null) {
    ms = Float64Array.from(plain);
  } else {
    ms = Float64Array.from(columnValues(data, valuesOf), msOf);
  }
  if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (isNull(data, i)) ms[i] = NaN;
  return ms;
}
