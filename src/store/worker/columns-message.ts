/**
 * `source.columns` as the worker's `set-batch` message, on the page's side; imported (a chunk
 * of its own) only when columns are given. A ColumnBatch goes as it is, its typed arrays'
 * buffers transferred. An Arrow Table (duck-typed: apache-arrow is never imported here) goes
 * as plain copies of its Data, each column of each record batch: the type id, offsets, the
 * values, the null bitmap and the dictionary. A typed array that views its whole buffer is
 * transferred, not copied; one that views part of a larger buffer (every column of a table
 * read with tableFromIPC views the file's one buffer) is copied first, so that the rest of
 * that buffer stays usable in the page. A column of a type the worker does not read itself
 * (arrow-types.ts isPlainType) goes as its values, read here with `get(i)`. Nothing of the
 * kit's is imported (its errors are plain Errors): a shared module would split the kit's one
 * chunk into several, which compress worse (+4 KB gzip, measured).
 */
import type { BatchColumn, ColumnBatch } from '../../engine/parse-columns.js';
import type { ArrowTableLike, ColumnsInput } from '../types.js';
import { isPlainType, type ArrowData } from './formats/arrow-types.js';

/** One column of one record batch: its Data, or (a type read only by apache-arrow) its values. */
export type ArrowPart = { data: ArrowData } | { values: unknown[] };

/** An Arrow Table's columns, record batch by record batch. */
export interface ArrowBatches {
  length: number;
  batches: Array<{
    length: number;
    user: ArrowPart;
    time: ArrowPart;
    type: ArrowPart;
    app: ArrowPart | null;
  }>;
}

/** What the worker reads for `source.columns`. */
export type PageColumns = ColumnBatch | ArrowBatches;

/** The buffers of a column's typed arrays, to transfer. */
function buffersOf(column: ColumnBatch['time'] | BatchColumn | null): ArrayBuffer[] {
  if (column === null) return [];
  const arrays = 'codes' in column ? [column.codes] : [column];
  return arrays.flatMap((a) =>
    ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer ? [a.buffer] : [],
  );
}

function isArrowTable(columns: ColumnsInput): columns is ArrowTableLike {
  return typeof (columns as ArrowTableLike).getChild === 'function';
}

/** The message for `columns`, and what to transfer with it. */
export function columnsMessage(columns: ColumnsInput): {
  batch: PageColumns;
  transfer: Transferable[];
} {
  if (isArrowTable(columns)) return arrowMessage(columns);
  const { time, user, type, app } = columns;
  return { batch: columns, transfer: [...new Set([time, user, type, app].flatMap(buffersOf))] };
}

/** The columns an Arrow Table needs (formats/columns.ts, not imported: it brings the engine). */
const REQUIRED_COLUMNS = ['user', 'time', 'type'] as const;

type Vector = NonNullable<ReturnType<ArrowTableLike['getChild']>>;

function arrowMessage(table: ArrowTableLike): { batch: ArrowBatches; transfer: Transferable[] } {
  const names = table.schema.fields.map((f) => f.name);
  for (const name of REQUIRED_COLUMNS) {
    if (!names.includes(name)) {
      throw new Error(
        `The Arrow table has no "${name}" column (it needs user, time and type; app is optional)`,
      );
    }
  }
  const copier = new Copier();
  const column = (name: string) => table.getChild(name)!;
  const [user, time, type] = REQUIRED_COLUMNS.map(column);
  const app = names.includes('app') ? column('app') : null;
  const batches: ArrowBatches['batches'] = [];
  let base = 0;
  user.data.forEach((_, k) => {
    const length = (user.data[k] as ArrowData).length;
    const part = (vector: Vector) => copier.part(vector, k, base, length);
    batches.push({
      length,
      user: part(user),
      time: part(time),
      type: part(type),
      app: app && part(app),
    });
    base += length;
  });
  return { batch: { length: table.numRows, batches }, transfer: [...copier.transfer] };
}

/** Plain copies of Arrow Data, each buffer once: transferred whole, or copied and transferred. */
class Copier {
  readonly transfer = new Set<ArrayBuffer>();
  private readonly arrays = new Map<ArrayBufferView, ArrayBufferView>();
  private readonly dictionaries = new Map<object, { data: ArrowData[] }>();
  private readonly chunks = new Map<ArrowData, ArrowData>();

  /** Chunk k of a column (rows base … base + length of the table). */
  part(vector: Vector, k: number, base: number, length: number): ArrowPart {
    const data = vector.data[k] as ArrowData | undefined;
    if (data?.length !== length) {
      throw new Error("The Arrow table's columns are not in the same record batches");
    }
    if (isPlainType(data)) return { data: this.data(data) };
    return { values: Array.from({ length }, (_, i) => vector.get(base + i)) };
  }

  private data(d: ArrowData): ArrowData {
    return {
      type: { typeId: d.type.typeId, unit: d.type.unit },
      length: d.length,
      offset: d.offset,
      nullCount: d.nullCount,
      values: this.array(d.values),
      valueOffsets: d.valueOffsets ? this.array(d.valueOffsets) : null,
      nullBitmap: d.nullBitmap && d.nullCount > 0 ? this.array(d.nullBitmap) : null,
      dictionary: d.dictionary ? this.dictionary(d.dictionary) : null,
    };
  }

  private dictionary(vector: { data: readonly ArrowData[] }): { data: ArrowData[] } {
    let plain = this.dictionaries.get(vector);
    if (plain === undefined) {
      plain = { data: vector.data.map((d) => this.chunk(d)) };
      this.dictionaries.set(vector, plain);
    }
    return plain;
  }

  /**
   * A dictionary's chunk, copied once however many dictionaries share it (each delta makes a
   * new vector that begins with the old one's chunks): the worker, which gets the same object
   * for each, then reads only the new chunks' entries (arrow-data.ts DictionaryEntries).
   */
  private chunk(d: ArrowData): ArrowData {
    let plain = this.chunks.get(d);
    if (plain === undefined) {
      plain = this.data(d);
      this.chunks.set(d, plain);
    }
    return plain;
  }

  /** The array itself when it views its whole buffer, else a copy; its buffer transferred. */
  private array<T extends ArrayBufferView>(a: T): T {
    let out = this.arrays.get(a) as T | undefined;
    if (out === undefined) {
      const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
      out = whole ? a : ((a as unknown as { slice(): T }).slice() as T);
      this.arrays.set(a, out);
      if (out.buffer instanceof ArrayBuffer) this.transfer.add(out.buffer);
    }
    return out;
  }
}
