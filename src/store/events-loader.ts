import { EventParser } from '../engine/parse.js';
import type { EventColumns } from '../engine/types.js';
import { LoadError, checkStatusOnly, overNetwork } from './errors.js';
import { concat } from './bytes.js';
import { fetchOrFail, withDeadline } from './http.js';
import { ProgressThrottle, Slicer } from './slicing.js';
import type { Progress } from './types.js';
import { JsonArrayReader } from './worker/formats/json-array.js';

/** Rows handed to the parser between two checks of the time budget. */
const ROWS_PER_CHECK = 1024;

/**
 * Media types of newline-delimited JSON: application/ndjson, jsonl and jsonlines, each also
 * with `x-`.
 */
const NDJSON_TYPE = /^application\/(x-)?(ndjson|jsonl|jsonlines)$/;

export interface ParseOptions {
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
  /** How to give the event loop a turn between slices; null in a worker (never yields). */
  yieldFn: (() => Promise<void>) | null;
  /** Length of a slice in ms; default SLICE_BUDGET_MS. */
  budgetMs?: number;
}

/** Feeds `rows` to `parser` in slices, pausing whenever the slicer's budget is used. */
async function addRows(
  parser: EventParser,
  rows: ArrayLike<unknown>,
  slicer: Slicer,
  progress: ProgressThrottle,
): Promise<void> {
  const n = rows.length;
  progress.emit('parse', 0, n, true);
  for (let i = 0; i < n;) {
    const to = Math.min(n, i + ROWS_PER_CHECK);
    parser.addRange(rows, i, to);
    i = to;
    if (i < n && slicer.due) {
      progress.emit('parse', i, n);
      await slicer.pause();
    }
  }
  progress.emit('parse', n, n, true);
}

/**
 * Parses an array of events into columns. With a yield function, the work is cut into tasks
 * of about 8 ms, so that a page stays responsive for millions of events.
 */
export async function parseArray(
  rows: ArrayLike<unknown>,
  opts: ParseOptions,
): Promise<EventColumns> {
  const slicer = new Slicer(opts.yieldFn, opts.signal, opts.budgetMs);
  const parser = new EventParser(rows.length);
  await addRows(parser, rows, slicer, new ProgressThrottle(opts.onProgress));
  return parser.finish();
}

/** The file formats `events-src` reads. */
export type EventsFormat = 'json' | 'ndjson' | 'arrow' | 'parquet';

export const EVENTS_FORMATS: readonly EventsFormat[] = ['json', 'ndjson', 'arrow', 'parquet'];

/**
 * The formats read by a sink that the caller provides (readColumnar): Arrow and Parquet, and
 * NDJSON, which the worker scans as bytes and the main thread parses line by line.
 */
export type SinkFormat = Exclude<EventsFormat, 'json'>;

/**
 * Media types of Arrow IPC (application/vnd.apache.arrow.file and .stream,
 * application/x-apache-arrow) and of Parquet (application/vnd.apache.parquet,
 * application/x-parquet).
 */
const ARROW_TYPE = /^application\/(vnd\.apache\.arrow\.(file|stream)|x-apache-arrow)$/;
const PARQUET_TYPE = /^application\/(vnd\.apache\.|x-)parquet$/;

/**
 * The format from the media type or the URL's extension; null: sniff the body. JSON is never
 * decided here (`application/json` is also what servers send for anything): a body that
 * starts with `[` is a JSON array.
 */
export function formatOf(url: string, contentType: string | null): EventsFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (NDJSON_TYPE.test(type)) return 'ndjson';
  if (ARROW_TYPE.test(type)) return 'arrow';
  if (PARQUET_TYPE.test(type)) return 'parquet';
  let path = url;
  try {
    path = new URL(url, 'http://x/').pathname;
  } catch {
    // not a URL: look at the string itself
  }
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  if (/\.(arrow|arrows|feather|ipc)$/i.test(path)) return 'arrow';
  if (/\.(parquet|parq)$/i.test(path)) return 'parquet';
  return null;
}

/** The format of a body from its first bytes: magic numbers, else `[` for a JSON array. */
export function sniffFormat(head: Uint8Array): EventsFormat {
  const magic = String.fromCharCode(...head.subarray(0, 6));
  if (magic.startsWith('PAR1')) return 'parquet';
  if (magic === 'ARROW1' || magic.startsWith('\xff\xff\xff\xff')) return 'arrow';
  return /^\s*\[/.test(new TextDecoder().decode(head)) ? 'json' : 'ndjson';
}

/** The body's size in bytes when the server says and the bytes read will match it. */
function contentLength(res: Response): number | null {
  if (isEncoded(res)) return null;
  return declaredLength(res);
}

function declaredLength(res: Response): number | null {
  const n = Number(res.headers.get('content-length'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

function isEncoded(res: Response): boolean {
  const encoding = res.headers.get('content-encoding');
  return encoding !== null && encoding.trim().toLowerCase() !== 'identity';
}

/**
 * Decoded bytes expected of a compressed body of `length` bytes: text shrinks about 8× under
 * gzip or brotli, columnar files hardly at all. Only an estimate: `estimatedTotal` keeps the
 * bar from passing 95 % before the end.
 */
const EXPANSION = { text: 8, binary: 1.2 };

function estimatedTotal(compressed: number, binary: boolean, done: number): number {
  return Math.max(compressed * (binary ? EXPANSION.binary : EXPANSION.text), done / 0.95);
}

function read(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return overNetwork(() => reader.read());
}

export interface UrlLoadOptions {
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
  /**
   * Cuts the work into short tasks on the main thread (see parseArray); absent in a worker,
   * which never yields (and so does not carry the Slicer).
   */
  slicer?: Slicer;
  /** ms to wait for the answer to start, and then between two chunks of it. */
  timeout: number;
  /** The file's format; null or absent: from the media type, the extension, or the body. */
  format?: EventsFormat | null;
  /**
   * Reads an Arrow or Parquet file: the worker's, which imports its reader only then; on the
   * main thread, which reads JSON and NDJSON only, one that says so.
   */
  readColumnar: ReadColumnar;
  /**
   * Starts loading the reader of a columnar format ahead of its first bytes (a hint: the
   * format may still turn out otherwise), so that its chunk downloads and compiles while the
   * request waits for its answer.
   */
  preloadColumnar?: (format: SinkFormat) => void;
}

/** Called after each record batch or row group with the rows read so far and in all. */
export type OnRows = (done: number, total: number) => Promise<void>;

/** A columnar file being downloaded: where from, its size when known, and the load's signal. */
export interface ColumnarFile {
  url: string;
  size: number | null;
  signal: AbortSignal;
}

/**
 * Where the bytes of an Arrow or Parquet file go as they arrive, and its columns at the end
 * (`onRows` after each record batch or row group).
 */
export interface ColumnarSink {
  push(bytes: Uint8Array): void;
  finish(onRows: OnRows): Promise<EventColumns>;
}

/**
 * The reader of a columnar format, loaded when the format is known (at the first bytes), so
 * that it arrives, and can start reading, while the rest of the file downloads.
 */
export type ReadColumnar = (format: SinkFormat, file: ColumnarFile) => Promise<ColumnarSink>;

/** Text is decoded and parsed in pieces of this many bytes, so that a slice stays short. */
const PIECE_BYTES = 256 * 1024;

/** Where the bytes go as they arrive. */
interface TextSink {
  push(bytes: Uint8Array): void;
}

/**
 * Fetches events from `url` and parses them into columns. Formats: a JSON array (parsed as a
 * stream, never as one string), NDJSON (one event per line, parsed as it streams in), Arrow
 * IPC and Parquet (read column by column; their readers load only when such a file comes).
 * The format is `opts.format`, else the media type or the URL's extension, else the body's
 * first bytes. A line of NDJSON that is not JSON is skipped and counted in
 * `diagnostics.reasons['bad-json']`. Progress, one bar per load: 'load' (bytes: of
 * `content-length`, or an estimate under gzip, or of an unknown total), then 'parse' (rows:
 * of the whole file for Arrow and Parquet, once at the end for text, which is read while it
 * downloads).
 */
export async function loadEventsFromUrl(url: string, opts: UrlLoadOptions): Promise<EventColumns> {
  let bytes = 0;
  try {
    return await withDeadline(opts.signal, opts.timeout, async (d) => {
      const preload = (f: EventsFormat | null) => {
        if (f !== null && f !== 'json') opts.preloadColumnar?.(f);
      };
      preload(opts.format ?? formatOf(url, null));
      const res = await fetchOrFail(url, { signal: d.signal });
      checkStatusOnly(res); // the caller writes the sentence: withStatusSentence
      d.reset();
      const progress = new ProgressThrottle(opts.onProgress);
      const { slicer } = opts;
      const known = contentLength(res);
      const compressed = isEncoded(res) ? declaredLength(res) : null;
      let format = opts.format ?? formatOf(url, res.headers.get('content-type'));
      preload(format);
      const parser = new EventParser();
      let json: JsonArrayReader | undefined;
      let columnar: ColumnarSink | undefined;
      const file = { url: res.url || url, size: known, signal: d.signal };
      const head: Uint8Array[] = [];
      const totalNow = () =>
        known ?? (compressed === null ? null : estimatedTotal(compressed, isBinary(format), bytes));

      const sinkFor = async (f: EventsFormat): Promise<TextSink> =>
        f === 'json'
          ? (json ??= new JsonArrayReader(parser))
          : (columnar ??= await opts.readColumnar(f, file));

      const consume = async (value: Uint8Array) => {
        if (format === null) {
          head.push(value);
          const first = concat(head);
          if (first.length < 8) return;
          head.length = 0;
          format = sniffFormat(first);
          value = first;
        }
        const sink = await sinkFor(format);
        if (slicer === undefined) {
          sink.push(value);
          return;
        }
        for (let at = 0; at < value.length; at += PIECE_BYTES) {
          sink.push(value.subarray(at, Math.min(value.length, at + PIECE_BYTES)));
          if (slicer.due) await slicer.pause();
        }
      };

      progress.emit('load', 0, totalNow(), true);
      const reader = res.body?.getReader();
      if (reader !== undefined) {
        for (;;) {
          const { done, value } = await read(reader);
          if (done) break;
          slicer?.restart();
          bytes += value.byteLength;
          await consume(value);
          progress.emit('load', bytes, totalNow());
          d.reset();
        }
      }
      // All bytes are in: parsing may take longer than the timeout without being stuck.
      d.clear();
      if (format === null) {
        const first = concat(head);
        format = sniffFormat(first);
        if (first.length > 0) await consume(first);
      }
      progress.emit('load', bytes, bytes, true);
      if (format === 'json') {
        const reader = (json ??= new JsonArrayReader(parser));
        reader.finish();
        progress.emit('parse', parser.rows, parser.rows, true);
        return parser.finish();
      }
      columnar ??= await opts.readColumnar(format, file);
      return columnar.finish(async (done, total) => {
        progress.emit('parse', done, total, done === total);
        if (slicer?.due) await slicer.pause();
      });
    });
  } catch (e) {
    if (e instanceof RangeError) {
      throw new LoadError(
        `The events file is too large for this browser's memory (${Math.round(bytes / 1e6)} MB read)`,
      );
    }
    throw e;
  }
}

function isBinary(format: EventsFormat | null): boolean {
  return format === 'arrow' || format === 'parquet';
}
