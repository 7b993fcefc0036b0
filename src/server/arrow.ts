/// <reference types="node" />
/**
 * Arrow IPC events (the file format, `.arrow`, and the stream format, `.arrows`) read record
 * batch by record batch with apache-arrow, imported only when such a file is given. Each batch
 * becomes a ColumnBatch without a JS value per row where Arrow has none: dictionary-encoded
 * strings stay codes into their dictionary (one string per distinct value), times stay typed
 * arrays.
 */
import { open } from 'node:fs/promises';
import type { Data, RecordBatch, Vector } from 'apache-arrow';
import { idValue, int64ToNumbers, msOf, nanosToMs } from '../store/worker/formats/columns.js';
import { checkColumns, sliceBatch, type BatchColumn, type ColumnBatch } from './columns.js';

type Arrow = typeof import('apache-arrow');

/** True when row i of `data` is null. */
function isNull(data: Data, i: number): boolean {
  if (data.nullCount <= 0) return false;
  const bit = data.offset + i;
  return (data.nullBitmap![bit >> 3] & (1 << (bit & 7))) === 0;
}

/**
 * The typed array of `data`'s own rows. apache-arrow slices a fixed-width `values` buffer
 * itself when it slices Data (`offset` then counts only for the validity bitmap), so the rows
 * start at 0.
 */
function ownValues<T>(data: Data): T {
  const values = data.values as unknown as { subarray(from: number, to: number): T };
  return values.subarray(0, data.length);
}

/** Reads Arrow columns into ColumnBatches; one per file (dictionaries are kept across batches). */
class ArrowColumns {
  /** Each dictionary's values as the engine reads them, converted once per dictionary. */
  private readonly dictionaries = new WeakMap<object, unknown[]>();

  constructor(private readonly arrow: Arrow) {}

  batch(batch: RecordBatch, hasApp: boolean): ColumnBatch {
    const data = (name: string) => batch.getChild(name)!.data[0];
    return {
      length: batch.numRows,
      user: this.idColumn(data('user')),
      time: this.timeColumn(data('time')),
      type: this.idColumn(data('type')),
      app: hasApp ? this.idColumn(data('app')) : null,
    };
  }

  /** Every value of `data`, nulls included (a JS value per row). */
  private valuesOf(data: Data): unknown[] {
    const vector = this.arrow.makeVector(data);
    const values = new Array<unknown>(data.length);
    for (let i = 0; i < data.length; i++) values[i] = isNull(data, i) ? null : vector.get(i);
    return values;
  }

  /** A user, type or app column: dictionary codes as they are, anything else as values. */
  private idColumn(data: Data): BatchColumn {
    if (!this.arrow.DataType.isDictionary(data.type)) return this.valuesOf(data).map(idValue);
    const vector = data.dictionary as Vector;
    let dictionary = this.dictionaries.get(vector);
    if (dictionary === undefined) {
      dictionary = [...vector].map(idValue);
      this.dictionaries.set(vector, dictionary);
    }
    let codes = ownValues<ArrayLike<number>>(data);
    if (codes instanceof BigInt64Array || codes instanceof BigUint64Array)
      codes = Int32Array.from(codes as BigInt64Array, Number);
    if (data.nullCount > 0) {
      const withNulls = Int32Array.from(codes);
      for (let i = 0; i < data.length; i++) if (isNull(data, i)) withNulls[i] = -1;
      codes = withNulls;
    }
    return { codes, dictionary };
  }

  /** The time column as epoch ms; NaN for nulls and values that are not a time. */
  private timeColumn(data: Data): Float64Array {
    const { DataType, TimeUnit } = this.arrow;
    const type = data.type as Data['type'] & { unit?: number };
    const values = ArrayBuffer.isView(data.values) ? ownValues<unknown>(data) : null;
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
      ms = Float64Array.from(this.valuesOf(data), msOf);
    }
    if (data.nullCount > 0) for (let i = 0; i < data.length; i++) if (isNull(data, i)) ms[i] = NaN;
    return ms;
  }
}

/** True for the Arrow IPC file format (it starts with `ARROW1`), false for the stream format. */
export async function isArrowFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(6), 0, 6, 0);
    return buffer.subarray(0, bytesRead).toString('latin1') === 'ARROW1';
  } finally {
    await handle.close();
  }
}

/** The most rows one ingestion gets from a record batch. */
const SLICE_ROWS = 65_536;

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0];
}

/**
 * The events of an Arrow IPC file or stream (told apart by its first bytes), one ColumnBatch per
 * record batch: only one batch is in memory at a time (a file's footer is read first).
 */
export async function* arrowBatches(path: string): AsyncGenerator<ColumnBatch> {
  const arrow = await import('apache-arrow');
  const handle = await open(path, 'r');
  const unreadable = (error: unknown) =>
    new Error(`${path}: not a readable Arrow IPC file (${firstLine(error)}); is it truncated?`);
  try {
    let reader;
    try {
      reader = await arrow.RecordBatchReader.from(handle);
      await reader.open();
    } catch (error) {
      throw unreadable(error);
    }
    const names = reader.schema.fields.map((f) => f.name);
    checkColumns(path, 'Arrow', names);
    const hasApp = names.includes('app');
    const columns = new ArrowColumns(arrow);
    const batches = reader[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await batches.next();
      } catch (error) {
        throw unreadable(error);
      }
      if (next.done === true) break;
      // A large record batch is ingested in slices (views of its columns).
      const batch = columns.batch(next.value, hasApp);
      for (let from = 0; from < batch.length; from += SLICE_ROWS)
        yield sliceBatch(batch, from, Math.min(batch.length, from + SLICE_ROWS));
    }
  } finally {
    await handle.close();
  }
}
