/// <reference types="node" />
/**
 * Arrow IPC events (the file format, `.arrow`, and the stream format, `.arrows`) read record
 * batch by record batch with apache-arrow, imported only when such a file is given. Each batch
 * becomes a ColumnBatch without a JS value per row where Arrow has none: dictionary-encoded
 * strings stay codes into their dictionary (one string per distinct value), times stay typed
 * arrays.
 */
import { open } from 'node:fs/promises';
import type { Data, RecordBatch } from 'apache-arrow';
import {
  DictionaryEntries,
  idColumn,
  timeColumn,
  type ArrowData,
} from '../store/worker/formats/arrow-data.js';
import { isCodecError, useCodecs } from '../store/worker/formats/arrow-compression.js';
import { checkColumns, sliceBatch, type ColumnBatch } from './columns.js';

type Arrow = typeof import('apache-arrow');

/**
 * Reads Arrow columns into ColumnBatches, with the browser worker's Arrow column readers
 * (store/worker/formats/arrow-data.ts, which need no apache-arrow); one per file, so that
 * each dictionary's values are converted once.
 */
class ArrowColumns {
  private readonly dictionaries: DictionaryEntries;

  constructor(private readonly arrow: Arrow) {
    this.dictionaries = new DictionaryEntries(this.valuesOf);
  }

  batch(batch: RecordBatch, hasApp: boolean): ColumnBatch {
    const data = (name: string) => batch.getChild(name)!.data[0] as unknown as ArrowData;
    return {
      length: batch.numRows,
      user: idColumn(data('user'), this.valuesOf, this.dictionaries),
      time: timeColumn(data('time'), this.valuesOf, new Float64Array(batch.numRows)),
      type: idColumn(data('type'), this.valuesOf, this.dictionaries),
      app: hasApp ? idColumn(data('app'), this.valuesOf, this.dictionaries) : null,
    };
  }

  /** Every value of a Data of a type arrow-data.ts does not read itself, nulls as null. */
  private readonly valuesOf = (data: ArrowData): unknown[] => {
    const vector = this.arrow.makeVector(data as unknown as Data);
    const values = new Array<unknown>(data.length);
    for (let i = 0; i < data.length; i++) values[i] = vector.isValid(i) ? vector.get(i) : null;
    return values;
  };
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
  // Compressed bodies (LZ4_FRAME, ClickHouse's default, and ZSTD): the worker's codecs.
  await useCodecs(arrow.compressionRegistry);
  const handle = await open(path, 'r');
  const unreadable = (error: unknown) =>
    isCodecError(error)
      ? new Error(`${path}: not a readable Arrow IPC file: ${firstLine(error)}`)
      : new Error(`${path}: not a readable Arrow IPC file (${firstLine(error)}); is it truncated?`);
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
