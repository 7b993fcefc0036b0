/**
 * Arrow column data into the engine's batch columns, read through the few fields every Arrow
 * `Data` has: apache-arrow's own (an Arrow file, formats/arrow.ts) or the plain copy of one
 * that the page posts for `source.columns = table` (store/columns-message.ts). Nothing here
 * imports apache-arrow, so the page's Table is read without loading it.
 */
import type { BatchColumn } from '../../../engine/parse-columns.js';
import { idValue, int64ToNumbers, msOf, nanosToMs } from './columns.js';
import {
  DICTIONARY,
  TIMESTAMP,
  UTF8,
  int64s,
  isPlainType,
  numbers,
  ownValues,
  type ArrowData,
} from './arrow-types.js';

export type { ArrowData } from './arrow-types.js';

/** Every value of a Data, nulls as null: the reader's own way for other types. */
export type ValuesOf = (data: ArrowData) => unknown[];

/** True when row i of `data` is null. */
function isNull(data: ArrowData, i: number): boolean {
  if (data.nullCount <= 0 || !data.nullBitmap) return false;
  const bit = data.offset + i;
  return (data.nullBitmap[bit >> 3] & (1 << (bit & 7))) === 0;
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
  const from = offsets[0];
  const to = offsets[data.length];
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const text = decoder.decode(bytes.subarray(from, to));
  const ascii = text.length === to - from;
  const values = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
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
 * Each dictionary's entries, each chunk of it read once. A delta dictionary batch (ClickHouse
 * writes one per record batch) makes apache-arrow concatenate it onto the dictionary: a new
 * vector whose chunks begin with the old one's. Its entries are the same array, with only the
 * new chunks' entries appended, so that a file of B batches and D entries costs O(D), not
 * O(B × D), here and in the parser (which keeps its ids per array and extends them too).
 */
export class DictionaryEntries {
  /** By a dictionary's first chunk: the chunks read so far and their entries. */
  readonly #read = new WeakMap<object, { chunks: ArrowData[]; entries: unknown[] }>();

  constructor(private readonly valuesOf: ValuesOf) {}

  /** The entries of `vector` (a dictionary): its chunks' values, ids of idValue. */
  of(vector: { data: readonly ArrowData[] }): unknown[] {
    const chunks = vector.data;
    if (chunks.length === 0) return [];
    let read = this.#read.get(chunks[0]);
    if (read === undefined || !startsWith(chunks, read.chunks)) {
      read = { chunks: [], entries: [] };
      this.#read.set(chunks[0], read);
    }
    for (let k = read.chunks.length; k < chunks.length; k++) {
      const values = columnValues(chunks[k], this.valuesOf);
      for (const value of values) read.entries.push(idValue(value));
      read.chunks.push(chunks[k]);
    }
    return read.entries;
  }
}

/** True when `chunks` begins with every chunk of `prefix`, the same objects in order. */
function startsWith(chunks: readonly ArrowData[], prefix: readonly ArrowData[]): boolean {
  if (prefix.length > chunks.length) return false;
  for (let k = 0; k < prefix.length; k++) if (chunks[k] !== prefix[k]) return false;
  return true;
}

/**
 * A user, type or app column: dictionary codes as they are (a copy only to mark nulls, or to
 * narrow 64-bit codes), with each dictionary's entries read once; anything else as values.
 */
export function idColumn(
  data: ArrowData,
  valuesOf: ValuesOf,
  dictionaries: DictionaryEntries,
): BatchColumn {
  if (data.type.typeId !== DICTIONARY) return columnValues(data, valuesOf).map(idValue);
  const dictionary = dictionaries.of(data.dictionary!);
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
 * The time column as epoch ms, written into `ms` (ColumnarEventParser.timeSlots: as long as
 * the column); NaN for nulls and values that are not a time.
 */
export function timeColumn(data: ArrowData, valuesOf: ValuesOf, ms: Float64Array): Float64Array {
  const wide = int64s(data);
  const plain = numbers(data);
  if (wide instanceof BigInt64Array) {
    const unit = data.type.typeId === TIMESTAMP ? data.type.unit : 1;
    if (unit === 3) nanosToMs(wide, ms);
    else int64ToNumbers(wide, unit === 0 ? 1000 : 1, unit === 2 ? 1000 : 1, ms);
  } else if (plain !== null) {
    ms.set(plain);
  } else {
    columnValues(data, valuesOf).forEach((value, i) => (ms[i] = msOf(value)));
  }
  if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (isNull(data, i)) ms[i] = NaN;
  return ms;
}
