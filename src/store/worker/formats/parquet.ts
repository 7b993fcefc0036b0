/**
 * Parquet into the engine's columns, one row group at a time. Loaded lazily, in the worker,
 * only when a Parquet file is given; the decompressors beyond snappy (zstd, gzip, brotli, lz4)
 * load only when the file uses one.
 */
import { parquetMetadata, parquetRead, type FileMetaData } from 'hyparquet/src/index.js';
import { ColumnarEventParser } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import { REQUIRED_COLUMNS, idValue, int64ToNumbers, missingColumn, msOf } from './columns.js';
import type { OnRows } from '../../events-loader.js';

/** Times as numbers (hyparquet would make a Date, or a BigInt, per row). */
const parsers = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `bytes` as an ArrayBuffer of their own (no copy when they are one already). */
function bufferOf(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (
    buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.length === buffer.byteLength
  ) {
    return buffer;
  }
  return bytes.slice().buffer;
}

function metadataOf(bytes: Uint8Array, file: ArrayBuffer): FileMetaData {
  const n = bytes.length;
  const tail = n >= 8 ? String.fromCharCode(...bytes.subarray(n - 4)) : '';
  if (tail !== 'PAR1') {
    throw new LoadError('The Parquet file is truncated (it does not end with its footer)');
  }
  try {
    return parquetMetadata(file);
  } catch (e) {
    throw new LoadError(`The Parquet file cannot be read (${errorText(e)})`);
  }
}

/** The decompressors the file needs beyond hyparquet's own snappy, if any. */
async function compressorsFor(metadata: FileMetaData) {
  const codecs = new Set(
    metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)),
  );
  codecs.delete('UNCOMPRESSED');
  codecs.delete('SNAPPY');
  codecs.delete(undefined);
  if (codecs.size === 0) return undefined;
  // hyparquet's own snappy stays: the package's (hysnappy) is WebAssembly, which a strict
  // Content-Security-Policy (no 'wasm-unsafe-eval') forbids; zstd (fzstd) and the rest are JS.
  const compressors = { ...(await import('hyparquet-compressors')).compressors };
  delete compressors.SNAPPY;
  return compressors;
}

/** Reads every row group of `bytes` into the engine's columns. */
export async function readParquet(bytes: Uint8Array, onRows: OnRows): Promise<EventColumns> {
  const file = bufferOf(bytes);
  const metadata = metadataOf(bytes, file);
  const names = metadata.schema.slice(1).map((s) => s.name);
  for (const name of REQUIRED_COLUMNS)
    if (!names.includes(name)) throw missingColumn('Parquet', name);
  const columns = ['user', 'time', 'type', ...(names.includes('app') ? ['app'] : [])];
  const compressors = await compressorsFor(metadata);
  const total = Number(metadata.num_rows);
  const parser = new ColumnarEventParser(total);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const data = await readGroup(file, metadata, columns, rowStart, rowEnd, compressors);
    parser.addColumns({
      length: rowEnd - rowStart,
      user: ids(data.get('user')!),
      time: timesOf(data.get('time')!),
      type: data.get('type')!,
      app: data.has('app') ? ids(data.get('app')!) : null,
    });
    rowStart = rowEnd;
    await onRows(rowStart, total);
  }
  return parser.finish();
}

type Compressors = Awaited<ReturnType<typeof compressorsFor>>;

/** The columns of rows [rowStart, rowEnd) as arrays, by name. */
async function readGroup(
  file: ArrayBuffer,
  metadata: FileMetaData,
  columns: string[],
  rowStart: number,
  rowEnd: number,
  compressors: Compressors,
): Promise<Map<string, ArrayLike<unknown>>> {
  const length = rowEnd - rowStart;
  const out = new Map<string, ArrayLike<unknown>>();
  try {
    await parquetRead({
      file,
      metadata,
      columns,
      rowStart,
      rowEnd,
      compressors,
      parsers,
      onChunk: ({ columnName, columnData, rowStart: from }) => {
        if (from === rowStart && columnData.length === length && !out.has(columnName)) {
          out.set(columnName, columnData); // the usual case: one chunk per column and group
          return;
        }
        let target = out.get(columnName) as unknown[] | undefined;
        if (!Array.isArray(target)) {
          target = Array.from(target ?? new Array<unknown>(length).fill(null));
          out.set(columnName, target);
        }
        for (let k = 0; k < columnData.length; k++) {
          const at = from + k - rowStart;
          if (at >= 0 && at < length) target[at] = columnData[k];
        }
      },
    });
  } catch (e) {
    throw new LoadError(`The Parquet file cannot be read (${errorText(e)}); is it truncated?`);
  }
  return out;
}

function timesOf(values: ArrayLike<unknown>): Float64Array {
  if (values instanceof BigInt64Array) return int64ToNumbers(values);
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' ? v : msOf(v);
  }
  return out;
}

/** A user or app column: 64-bit integers as decimal strings, like the JSON path's numbers. */
function ids(values: ArrayLike<unknown>): ArrayLike<unknown> {
  return values instanceof BigInt64Array ? Array.from(values, idValue) : values;
}
