/**
 * The Arrow `Data` fields the kit reads and the types it reads from them by itself, without
 * apache-arrow: shared by the worker's readers (arrow-data.ts) and the page's Table adapter
 * (columns-message.ts), which must stay free of the engine's and readers' code.
 */

/** The fields of an Arrow `Data` (one column of one record batch) that the kit reads. */
export interface ArrowData {
  /** `typeId` as apache-arrow's `Type` numbers it; `unit` of a timestamp (0 s … 3 ns). */
  type: { typeId: number; unit?: number };
  length: number;
  /**
   * The first row's bit in the null bitmap. Only there: apache-arrow slices `values` and
   * `valueOffsets` to the rows (the first row is at 0), the bitmap not.
   */
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
export const DICTIONARY = -1;
export const INT = 2;
export const FLOAT = 3;
export const UTF8 = 5;
export const TIMESTAMP = 10;

/** The typed array of `data`'s own rows (`values` may run on past them). */
export function ownValues<T>(data: ArrowData): T {
  const values = data.values as unknown as { subarray(from: number, to: number): T };
  return values.subarray(0, data.length);
}

/** The own rows of an Int or Float Data as numbers (not 64-bit integers, not half floats). */
export function numbers(data: ArrowData): ArrayLike<number> | null {
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
export function int64s(data: ArrowData): BigInt64Array | BigUint64Array | null {
  const id = data.type.typeId;
  const v = data.values;
  if (id !== INT && id !== TIMESTAMP) return null;
  if (v instanceof BigInt64Array || (id === INT && v instanceof BigUint64Array)) {
    return ownValues<BigInt64Array>(data);
  }
  return null;
}

/** True for a Data that arrow-data.ts reads by itself (a dictionary: of such entries). */
export function isPlainType(data: ArrowData): boolean {
  if (data.type.typeId === DICTIONARY) return (data.dictionary?.data ?? []).every(isPlainType);
  if (data.type.typeId === UTF8) return data.valueOffsets instanceof Int32Array;
  return numbers(data) !== null || int64s(data) !== null;
}
