/**
 * Parquet into the engine's columns, one row group at a time. Loaded lazily, in the worker,
 * only when a Parquet file is given; the decompressors beyond snappy (zstd, gzip, brotli, lz4)
 * load only when the file uses one.
 *
 * Only the four columns the kit needs are read (never `page`), page by page with hyparquet's
 * own page decoders, but without its row assembly: a dictionary-encoded column stays a
 * dictionary and a code per row (no string per row; each entry becomes an engine id once),
 * and 64-bit times go from the page's bytes into a Float64Array (no BigInt, no Date per row).
 * From events-src the file is read while it downloads (parquetSink: the footer first, by a
 * range request).
 */
import { parquetHeader } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS, convert } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import {
  parquetMetadata,
  type ColumnMetaData,
  type Compressors,
  type DecodedArray,
  type FileMetaData,
  type SchemaElement,
} from 'hyparquet/src/index.js';
import { parquetSchema } from 'hyparquet/src/metadata.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getTreePath } from 'hyparquet/src/schema.js';
import { ColumnarEventParser, type BatchColumn } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import {
  REQUIRED_COLUMNS,
  idValue,
  int64ToNumbers,
  missingColumn,
  msOf,
  nanosToMs,
} from './columns.js';
import type { ColumnarFile, ColumnarSink, OnRows } from '../../events-loader.js';
import { ByteBuffer } from './byte-sink.js';

type Decoder = Parameters<typeof readDataPage>[2];

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function metadataOf(bytes: Uint8Array): FileMetaData {
  const n = bytes.length;
  const tail = n >= 8 ? String.fromCharCode(...bytes.subarray(n - 4)) : '';
  if (tail !== 'PAR1') {
    throw new LoadError('The Parquet file is truncated (it does not end with its footer)');
  }
  try {
    return parquetMetadata(bytes);
  } catch (e) {
    throw new LoadError(`The Parquet file cannot be read (${errorText(e)})`);
  }
}

/** The decompressors the file needs beyond hyparquet's own snappy, if any. */
async function compressorsFor(metadata: FileMetaData): Promise<Compressors | undefined> {
  const codecs = new Set(
    metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)),
  );
  codecs.delete('UNCOMPRESSED');
  codecs.delete('SNAPPY');
  codecs.delete(undefined);
  if (codecs.size === 0) return undefined;
  // hyparquet's own snappy stays: the package's (hysnappy) is WebAssembly, which a strict
  // Content-Security-Policy (no 'wasm-unsafe-eval') forbids; zstd (fzstd) and the rest are JS.
  const compressors: Compressors = { ...(await import('hyparquet-compressors')).compressors };
  delete compressors.SNAPPY;
  return compressors;
}

/** How each column the kit reads is decoded (its schema element and hyparquet's decoder). */
function decodersOf(
  metadata: FileMetaData,
  names: readonly string[],
  compressors: Compressors | undefined,
): Map<string, Decoder> {
  const tree = parquetSchema(metadata);
  const out = new Map<string, Decoder>();
  for (const name of names) {
    const schemaPath = getTreePath(tree, [name]);
    const element = schemaPath[schemaPath.length - 1].element;
    if (schemaPath.length !== 2 || getMaxRepetitionLevel(schemaPath) > 0 || !element.type) {
      throw new LoadError(`The Parquet file's "${name}" column is not a plain (flat) column`);
    }
    out.set(name, {
      pathInSchema: [name],
      type: element.type,
      element,
      schemaPath,
      codec: 'UNCOMPRESSED', // per column chunk: set in readChunk
      parsers: DEFAULT_PARSERS,
      compressors,
    });
  }
  return out;
}

/** Reads every row group of `bytes` into the engine's columns. */
export async function readParquet(bytes: Uint8Array, onRows: OnRows): Promise<EventColumns> {
  const groups = await GroupReader.open(metadataOf(bytes));
  while (!groups.finished) {
    groups.readNext(bytes);
    await onRows(groups.done, groups.total);
  }
  return groups.parser.finish();
}

/** A file's row groups read in order, one at a time, into one parser. */
class GroupReader {
  readonly total: number;
  readonly parser: ColumnarEventParser;
  /** Rows read so far; the next row group to read. */
  done = 0;
  next = 0;

  private constructor(
    private readonly metadata: FileMetaData,
    private readonly decoders: Map<string, Decoder>,
  ) {
    this.total = Number(metadata.num_rows);
    this.parser = new ColumnarEventParser(this.total);
  }

  static async open(metadata: FileMetaData): Promise<GroupReader> {
    const names = metadata.schema.slice(1).map((s) => s.name);
    for (const name of REQUIRED_COLUMNS)
      if (!names.includes(name)) throw missingColumn('Parquet', name);
    const wanted = ['user', 'time', 'type', ...(names.includes('app') ? ['app'] : [])];
    const decoders = decodersOf(metadata, wanted, await compressorsFor(metadata));
    return new GroupReader(metadata, decoders);
  }

  get finished(): boolean {
    return this.next >= this.metadata.row_groups.length;
  }

  /** The byte after the last one the next row group's columns (those read) need. */
  nextEnd(): number {
    let end = 0;
    for (const column of this.metadata.row_groups[this.next].columns) {
      const meta = column.meta_data;
      if (meta && this.decoders.has(meta.path_in_schema.join('.'))) {
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        end = Math.max(end, start + Number(meta.total_compressed_size));
      }
    }
    return end;
  }

  /** Reads the next row group from `bytes` (the file, or at least up to nextEnd()). */
  readNext(bytes: Uint8Array): void {
    const group = this.metadata.row_groups[this.next];
    const length = Number(group.num_rows);
    const chunks = new Map<string, Chunk>();
    for (const column of group.columns) {
      const meta = column.meta_data;
      const name = meta?.path_in_schema.join('.') ?? '';
      const decoder = this.decoders.get(name);
      if (meta && decoder) chunks.set(name, readChunk(bytes, meta, decoder, length));
    }
    const chunk = (name: string): Chunk => {
      const c = chunks.get(name);
      if (c === undefined) throw new LoadError(`The Parquet file cannot be read (no "${name}")`);
      return c;
    };
    this.parser.addColumns({
      length,
      user: valuesOf(chunk('user'), length, idValue),
      time: timesOf(chunk('time'), length, this.decoders.get('time')!),
      type: valuesOf(chunk('type'), length, (v) => v),
      app: chunks.has('app') ? valuesOf(chunk('app'), length, idValue) : null,
    });
    this.done += length;
    this.next++;
  }
}

/** The footer is fetched apart (a range request) when the file is larger than this. */
const TAIL_BYTES = 256 * 1024;

/**
 * The last bytes of `file`, with its footer, by a range request; null when the server does
 * not answer one (then the footer is read at the end, as it arrives).
 */
async function fetchTail({ url, size, signal }: ColumnarFile): Promise<Uint8Array | null> {
  if (size === null || size <= 2 * TAIL_BYTES) return null;
  const from = size - TAIL_BYTES;
  const res = await fetch(url, { headers: { Range: `bytes=${from}-${size - 1}` }, signal });
  if (res.status !== 206) {
    void res.body?.cancel();
    return null;
  }
  const tail = new Uint8Array(await res.arrayBuffer());
  return tail.length === TAIL_BYTES ? tail : null;
}

function endsWith(bytes: Uint8Array, tail: Uint8Array): boolean {
  const from = bytes.length - tail.length;
  if (from < 0) return false;
  for (let i = 0; i < tail.length; i++) if (bytes[from + i] !== tail[i]) return false;
  return true;
}

/**
 * A Parquet file read while it downloads: its footer comes first by a range request (where
 * the server answers one, and the size is known), and each row group is read as soon as its
 * bytes are in, so that reading overlaps the download. At the end, the file's own last bytes
 * must equal the footer fetched (else it changed in between, and is read again from its
 * bytes, as is a file whose footer could not be fetched first).
 */
export function parquetSink(file: ColumnarFile): ColumnarSink {
  const buffer = new ByteBuffer(file.size);
  let early: GroupReader | null = null;
  let tail: Uint8Array | null = null;
  let failed = false;
  let closed = false; // finish() began: nothing more is read early
  const readReady = () => {
    if (early === null || failed || closed) return;
    try {
      while (!early.finished && early.nextEnd() <= buffer.size) early.readNext(buffer.bytes());
    } catch {
      failed = true; // read again from the whole file at the end, where errors are reported
    }
  };
  fetchTail(file)
    .then(async (bytes) => {
      if (bytes === null) return;
      const reader = await GroupReader.open(metadataOf(bytes));
      tail = bytes;
      early = reader;
      readReady();
    })
    .catch(() => {
      failed = true;
    });
  return {
    push(bytes) {
      buffer.push(bytes);
      readReady();
    },
    async finish(onRows) {
      closed = true;
      const bytes = buffer.bytes();
      const groups: GroupReader | null = early;
      if (groups === null || failed || tail === null || !endsWith(bytes, tail)) {
        return readParquet(bytes, onRows);
      }
      if (groups.done > 0) await onRows(groups.done, groups.total);
      while (!groups.finished) {
        groups.readNext(bytes);
        await onRows(groups.done, groups.total);
      }
      return groups.parser.finish();
    },
  };
}

/** One data page: its values (codes into the dictionary when `coded`) and where the nulls are. */
interface Page {
  values: DecodedArray;
  coded: boolean;
  /** Definition level per row, when the page has nulls (a row is null below `maxDef`). */
  defs: ArrayLike<number> | null;
  rows: number;
}

/** A column chunk of one row group, decoded but not converted. */
interface Chunk {
  decoder: Decoder;
  /** The chunk's dictionary, converted (strings, numbers, …); undefined: none. */
  dictionary: DecodedArray | undefined;
  pages: Page[];
  maxDef: number;
}

/** Decodes the pages of a column chunk (`rows` rows) with hyparquet's page readers. */
function readChunk(file: Uint8Array, meta: ColumnMetaData, base: Decoder, rows: number): Chunk {
  const decoder: Decoder = { ...base, codec: meta.codec };
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const size = Number(meta.total_compressed_size);
  if (start + size > file.length) {
    throw new LoadError('The Parquet file cannot be read (a column chunk is past its end)');
  }
  const reader = {
    view: new DataView(file.buffer, file.byteOffset + start, size),
    offset: 0,
  };
  const chunk: Chunk = {
    decoder,
    dictionary: undefined,
    pages: [],
    maxDef: getMaxDefinitionLevel(decoder.schemaPath),
  };
  let seen = 0;
  try {
    while (seen < rows && reader.offset < size) {
      const header = parquetHeader(reader);
      const bytes = new Uint8Array(
        reader.view.buffer,
        reader.view.byteOffset + reader.offset,
        header.compressed_page_size,
      );
      reader.offset += header.compressed_page_size;
      const page = readPage(bytes, header, decoder, chunk);
      if (page) {
        chunk.pages.push(page);
        seen += page.rows;
      }
    }
  } catch (e) {
    throw new LoadError(`The Parquet file cannot be read (${errorText(e)}); is it truncated?`);
  }
  if (seen < rows)
    throw new LoadError('The Parquet file cannot be read (a column chunk ends early)');
  return chunk;
}

function readPage(
  bytes: Uint8Array,
  header: ReturnType<typeof parquetHeader>,
  decoder: Decoder,
  chunk: Chunk,
): Page | null {
  const size = Number(header.uncompressed_page_size);
  if (header.type === 'DICTIONARY_PAGE') {
    const page = decompressPage(bytes, size, decoder.codec, decoder.compressors);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    const count = header.dictionary_page_header?.num_values ?? 0;
    chunk.dictionary = isString(decoder.element)
      ? plainStrings(page, count)
      : convert(
          readPlain({ view, offset: 0 }, decoder.type, count, decoder.element.type_length),
          decoder,
        );
    return null;
  }
  const coded = decoder.type !== 'BOOLEAN';
  if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const daph = header.data_page_header;
    const page = decompressPage(bytes, size, decoder.codec, decoder.compressors);
    if (coded && isDictionary(daph.encoding)) return codedPage(page, daph.num_values, chunk.maxDef);
    const { definitionLevels, dataPage } = readDataPage(page, daph, decoder);
    return pageOf(dataPage, daph.encoding, definitionLevels, daph.num_values);
  }
  if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
    const daph = header.data_page_header_v2;
    if (coded && isDictionary(daph.encoding))
      return codedPageV2(bytes, header, decoder, chunk.maxDef);
    const { definitionLevels, dataPage } = readDataPageV2(bytes, header, decoder);
    return pageOf(dataPage, daph.encoding, definitionLevels, daph.num_rows);
  }
  return null; // an index page: nothing the kit reads
}

function isDictionary(encoding: string): boolean {
  return encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY';
}

/** Whether hyparquet would read a BYTE_ARRAY column as UTF-8 text (its default). */
function isString(element: SchemaElement): boolean {
  const { converted_type: c, logical_type: l } = element;
  return (
    element.type === 'BYTE_ARRAY' &&
    (c === undefined || c === 'UTF8') &&
    (!l || l.type === 'STRING')
  );
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/**
 * A dictionary page of strings (each a 4-byte length and its UTF-8 bytes). The page is decoded
 * once as one Latin-1 string and each ASCII entry sliced out of it; an entry with other bytes
 * is decoded as UTF-8 on its own.
 */
function plainStrings(page: Uint8Array, count: number): string[] {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const text = latin1.decode(page);
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at, true);
    at += 4;
    const end = at + length;
    if (end > page.length) throw new Error('a dictionary entry runs past its page');
    let ascii = true;
    for (let j = at; j < end; j++) if (page[j] > 127) ascii = false;
    out[i] = ascii ? text.slice(at, end) : utf8.decode(page.subarray(at, end));
    at = end;
  }
  return out;
}

/** Definition levels (a flat column: 0 null, 1 a value) and how many rows are null. */
function levelsOf(reader: { view: DataView; offset: number }, rows: number, length?: number) {
  const defs = new Uint8Array(rows);
  readRleBitPackedHybrid(reader, 1, defs, length);
  let nulls = 0;
  for (let i = 0; i < rows; i++) nulls += defs[i] ^ 1;
  return { defs: nulls === 0 ? null : defs, nulls };
}

/** `count` dictionary codes: a bit width, then the RLE / bit-packed hybrid, to the page's end. */
function codesOf(view: DataView, offset: number, count: number): Int32Array {
  const codes = new Int32Array(count);
  const reader = { view, offset };
  const width = view.getUint8(reader.offset++);
  if (width > 0 && width <= 24 && count > 0) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    unpackCodes(bytes, reader.offset, width, codes);
  } else if (width > 0 && count > 0) {
    readRleBitPackedHybrid(reader, width, codes, view.byteLength - reader.offset);
  }
  return codes;
}

/**
 * The RLE / bit-packed hybrid of `width` ≤ 24 bits from `bytes[pos]` into `out` (as
 * hyparquet's readRleBitPackedHybrid, but from the bytes themselves, a byte at a time into a
 * bit buffer, with no DataView call per byte): runs of one value, or groups of 8 values packed
 * from the lowest bit. A run past the bytes reads zeros.
 */
function unpackCodes(bytes: Uint8Array, pos: number, width: number, out: Int32Array): void {
  const mask = (1 << width) - 1;
  const count = out.length;
  const end = bytes.length;
  let k = 0;
  while (k < count && pos < end) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[pos++];
      header |= (b & 0x7f) << shift;
      if (b < 0x80 || pos >= end) break;
    }
    if (header & 1) {
      const groups = header >>> 1;
      const next = pos + groups * width;
      const n = Math.min(groups * 8, count - k);
      let buffer = 0;
      let bits = 0;
      for (let i = 0; i < n; i++) {
        while (bits < width) {
          buffer |= (bytes[pos++] ?? 0) << bits;
          bits += 8;
        }
        out[k++] = buffer & mask;
        buffer >>>= width;
        bits -= width;
      }
      pos = next;
    } else {
      let value = 0;
      for (let i = 0; i < (width + 7) >> 3; i++) value |= (bytes[pos++] ?? 0) << (8 * i);
      const n = Math.min(header >>> 1, count - k);
      out.fill(value, k, k + n);
      k += n;
    }
  }
}

/** A dictionary-encoded v1 data page (decompressed) as codes: no array of values per row. */
function codedPage(page: Uint8Array, rows: number, maxDef: number): Page {
  const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
  const { defs, nulls } = maxDef > 0 ? levelsOf(reader, rows) : { defs: null, nulls: 0 };
  return { values: codesOf(reader.view, reader.offset, rows - nulls), coded: true, defs, rows };
}

/** The same for a v2 data page: its levels stay uncompressed before the values. */
function codedPageV2(
  bytes: Uint8Array,
  header: ReturnType<typeof parquetHeader>,
  decoder: Decoder,
  maxDef: number,
): Page {
  const daph = header.data_page_header_v2!;
  const rows = daph.num_rows;
  const levels = daph.repetition_levels_byte_length + daph.definition_levels_byte_length;
  let defs: Uint8Array | null = null;
  if (maxDef > 0 && daph.num_nulls > 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const reader = { view, offset: daph.repetition_levels_byte_length };
    defs = levelsOf(reader, rows, daph.definition_levels_byte_length).defs;
  }
  let page = bytes.subarray(levels);
  const size = Number(header.uncompressed_page_size) - levels;
  if (daph.is_compressed !== false && size > 0) {
    page = decompressPage(page, size, decoder.codec, decoder.compressors);
  }
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  return { values: codesOf(view, 0, daph.num_values - daph.num_nulls), coded: true, defs, rows };
}

function pageOf(
  values: DecodedArray,
  encoding: string,
  defs: ArrayLike<number> | undefined,
  rows: number,
): Page {
  const coded = encoding.endsWith('_DICTIONARY');
  // hyparquet leaves the levels out (v1) when a page has no null; v2 always gives them.
  return { values, coded, defs: defs && defs.length === rows ? defs : null, rows };
}

/**
 * A user, type or app column as the parser takes it: the dictionary and a code per row
 * (negative: null) when every page is dictionary-encoded; else a value per row.
 */
function valuesOf(chunk: Chunk, length: number, entry: (v: unknown) => unknown): BatchColumn {
  const { dictionary, pages, maxDef } = chunk;
  if (dictionary !== undefined && pages.every((p) => p.coded)) {
    const only = pages.length === 1 ? pages[0] : null;
    if (only?.defs === null && only.values instanceof Int32Array && only.rows === length) {
      return { codes: only.values, dictionary: Array.from(dictionary, entry) }; // no copy
    }
    const codes = new Int32Array(length);
    let at = 0;
    for (const page of pages) {
      const n = Math.min(page.rows, length - at);
      if (page.defs === null) {
        const values = page.values as ArrayLike<number>;
        codes.set(n === values.length ? values : Array.prototype.slice.call(values, 0, n), at);
      } else {
        const defs = page.defs;
        const values = page.values as ArrayLike<number>;
        for (let i = 0, k = 0; i < n; i++) codes[at + i] = defs[i] === maxDef ? values[k++] : -1;
      }
      at += page.rows;
    }
    return { codes, dictionary: Array.from(dictionary, entry) };
  }
  const out = new Array<unknown>(length);
  let at = 0;
  for (const page of pages) {
    const values = page.coded
      ? decodeWith(page.values, dictionary)
      : convert(page.values, chunk.decoder);
    scatter(out, at, page, maxDef, (k) => entry(values[k]), null);
    at += page.rows;
  }
  return out;
}

/** `codes` looked up in `dictionary` (a page written after its writer gave up dictionaries). */
function decodeWith(codes: DecodedArray, dictionary: DecodedArray | undefined): unknown[] {
  const out = new Array<unknown>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = dictionary?.[Number(codes[i])];
  return out;
}

/** Writes a page's rows into `out` from `at`: value k for the k-th row that is not null. */
function scatter<T>(
  out: { [i: number]: T; length: number },
  at: number,
  page: Page,
  maxDef: number,
  value: (k: number) => T,
  nothing: T,
): void {
  const n = Math.min(page.rows, out.length - at);
  const { defs } = page;
  for (let i = 0, k = 0; i < n; i++) {
    out[at + i] = defs === null || defs[i] === maxDef ? value(k++) : nothing;
  }
}

/**
 * The time column as epoch ms (NaN where null or not a time). 64-bit integers (a timestamp in
 * ms, µs or ns, or a plain number of ms) and doubles go straight from the page's typed array;
 * anything else (INT96, DATE, ISO strings) through hyparquet's conversion, then one value at
 * a time as a JSON event's `time` is judged.
 */
function timesOf(chunk: Chunk, length: number, decoder: Decoder): Float64Array {
  const out = new Float64Array(length);
  const toMs = timeConversion(decoder.element);
  const dictionary = chunk.dictionary === undefined ? undefined : toMs(chunk.dictionary, chunk);
  let at = 0;
  for (const page of chunk.pages) {
    const ms = page.coded ? null : toMs(page.values, chunk);
    if (ms instanceof Float64Array && page.defs === null && ms.length === length) {
      return ms; // the usual case, one page for the row group: no copy
    }
    if (ms !== null && page.defs === null && ms.length >= page.rows) {
      out.set(page.rows === ms.length ? ms : Array.prototype.slice.call(ms, 0, page.rows), at);
      at += page.rows;
      continue;
    }
    const codes = page.values;
    const value = ms ? (k: number) => ms[k] : (k: number) => dictionary?.[Number(codes[k])] ?? NaN;
    scatter(out, at, page, chunk.maxDef, value, NaN);
    at += page.rows;
  }
  return out;
}

type ToMs = (raw: DecodedArray, chunk: Chunk) => ArrayLike<number>;

/** How raw values of a time column become epoch ms. */
function timeConversion(element: SchemaElement): ToMs {
  const unit = timestampUnit(element);
  if (element.type === 'INT64' && unit !== null) {
    return (raw) =>
      !(raw instanceof BigInt64Array)
        ? Float64Array.from(raw as ArrayLike<number>)
        : unit === 'NANOS'
          ? nanosToMs(raw)
          : int64ToNumbers(raw, 1, unit === 'MICROS' ? 1000 : 1);
  }
  if (element.type === 'DOUBLE' || element.type === 'FLOAT') {
    return (raw) => raw as Float64Array;
  }
  if (element.type === 'INT32' && element.converted_type === undefined && !element.logical_type) {
    return (raw) => raw as Int32Array;
  }
  return (raw, chunk) => Float64Array.from(convert(raw, chunk.decoder) as ArrayLike<unknown>, msOf);
}

/**
 * The unit of a 64-bit time column: a timestamp's, or MILLIS for a plain INT64 (a number of
 * ms, as in JSON); null for other 64-bit integers (a time of day, a decimal…).
 */
function timestampUnit(element: SchemaElement): 'MILLIS' | 'MICROS' | 'NANOS' | null {
  const logical = element.logical_type;
  if (logical?.type === 'TIMESTAMP') return logical.unit;
  if (element.converted_type === 'TIMESTAMP_MICROS') return 'MICROS';
  if (element.converted_type === 'TIMESTAMP_MILLIS') return 'MILLIS';
  if (element.converted_type === undefined && logical === undefined) return 'MILLIS';
  if (logical?.type === 'INTEGER') return 'MILLIS';
  return null;
}
