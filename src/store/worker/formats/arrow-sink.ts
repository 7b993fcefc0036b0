/**
 * An Arrow IPC file or stream, read while it downloads: each record batch goes into the
 * engine's columns as soon as its bytes (and those of the dictionaries before it) are in.
 *
 * ArrowFramer cuts the bytes into whole messages; apache-arrow's RecordBatchReader reads them
 * (dictionary batches, deltas and replacements included) from a queue that the framer fills,
 * so it never waits inside a message and never sees the file format's head or footer. What
 * is kept: the unread tail of the bytes, the messages not yet read, and the columns.
 *
 * A compressed body (LZ4_FRAME, ZSTD: ClickHouse writes LZ4 frames by default) is decoded by
 * apache-arrow with the codecs of arrow-compression.ts, which the first compressed message
 * loads: that message waits in the queue until they are in.
 */
import { RecordBatchReader, compressionRegistry } from 'apache-arrow';
import { ColumnarEventParser } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import type { ColumnarFile, ColumnarSink, OnRows } from '../../events-loader.js';
import { ArrowFramer } from './arrow-framer.js';
import { isCodecError, isCompressed, useCodecs } from './arrow-compression.js';
import { BatchReader } from './arrow.js';
import { ByteBuffer } from './byte-sink.js';

/** The smallest size of an event in an Arrow file of the kit's columns (codes and a time). */
const MIN_BYTES_PER_ROW = 16;

/**
 * Room for more rows than the first record batch's bytes per row predict: a compressed body
 * (3–5 × smaller than the columns) makes MIN_BYTES_PER_ROW's estimate far too small, and each
 * growth of the parser's columns copies them (10 M rows: 170 MB).
 */
const ROWS_SLACK = 1.1;

/**
 * The most rows expected per byte of the file, whatever its first batch says (one of equal
 * rows compresses to almost nothing): zstd bodies of the kit's columns take about 4 bytes a row.
 */
const MAX_ROWS_PER_BYTE = 0.5;

export function arrowSink(file: ColumnarFile): ColumnarSink {
  return new ArrowSink(file);
}

/**
 * Sent after each message: apache-arrow's byte stream asks for one more chunk before it hands
 * out a read that takes exactly what it holds (a message's body: io/adapters fromAsyncIterable),
 * so without it a batch would be read only when the next message came. An empty chunk answers
 * that ask at once and adds nothing.
 */
const FLUSH = new Uint8Array(0);

/**
 * Whole messages, handed to apache-arrow's reader as an async iterable of bytes. A message may
 * be a promise of its bytes (one that waits for the codecs): the reader takes the messages in
 * order, so those after it wait too.
 */
class MessageQueue implements AsyncIterableIterator<Uint8Array> {
  #items: Array<Uint8Array | Promise<Uint8Array>> = [];
  #closed = false;
  #waiting: ((r: IteratorResult<Uint8Array> | Promise<IteratorResult<Uint8Array>>) => void) | null =
    null;

  push(bytes: Uint8Array | Promise<Uint8Array>): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(item(bytes));
    else this.#items.push(bytes);
  }

  close(): void {
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const next = this.#items.shift();
    if (next !== undefined) return item(next);
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function item(bytes: Uint8Array | Promise<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  return Promise.resolve(bytes).then((value) => ({ done: false, value }));
}

/**
 * `bytes` once the codecs are in. A failure (the codecs' chunk did not load) is the reader's to
 * report when it takes the message, not an unhandled rejection while it waits in the queue.
 */
function withCodecs(bytes: Uint8Array): Promise<Uint8Array> {
  const ready = useCodecs(compressionRegistry).then(() => bytes);
  ready.catch(() => {});
  return ready;
}

/** Buffers of record batches kept for reuse, at most. */
const SPARE_BUFFERS = 2;

/**
 * The buffers that record batch messages spanning chunks are copied into (nearly all: a batch
 * is megabytes, a chunk of the body some 100 KB), reused once their batch is read. Fresh
 * memory is what such a copy costs (the pages zeroed and mapped: 5-20 ms for 1 M events,
 * and GCs for the external memory), not the copy itself (about 1 ms). A dictionary batch
 * keeps its own buffer: apache-arrow keeps its Vector, which views it.
 */
class BatchBuffers {
  readonly #spare: Uint8Array[] = [];
  /** Per record batch message handed to the reader, in order: its buffer of ours, or null. */
  readonly #queued: Array<Uint8Array | null> = [];

  readonly alloc = (n: number): Uint8Array => {
    const k = this.#spare.findIndex((b) => b.length >= n);
    return k < 0 ? new Uint8Array(n) : this.#spare.splice(k, 1)[0].subarray(0, n);
  };

  /** A record batch message went to the reader (in the bytes `alloc` gave, when `copied`). */
  queued(bytes: Uint8Array, copied: boolean): void {
    this.#queued.push(copied ? new Uint8Array(bytes.buffer) : null);
  }

  /** The reader is done with the oldest record batch message: its buffer may be reused. */
  read(): void {
    const buffer = this.#queued.shift();
    if (buffer && this.#spare.length < SPARE_BUFFERS) this.#spare.push(buffer);
  }
}

class ArrowSink implements ColumnarSink {
  readonly #buffers = new BatchBuffers();
  readonly #framer = new ArrowFramer(this.#buffers.alloc);
  readonly #queue = new MessageQueue();
  readonly #size: number | null;
  /** Made when the first record batch is framed (or at the end), sized by its bytes per row. */
  #parserMade: ColumnarEventParser | null = null;
  /** Bytes and record batch rows handed to the reader so far. */
  #framedBytes = 0;
  #framedRows = 0;
  readonly #reading: Promise<void>;
  #error: unknown = null;
  /** Rows read into the parser so far. */
  #read = 0;
  /** Set by finish(): progress after each batch from then on. */
  #onRows: OnRows | null = null;
  /**
   * The bytes until the first message is whole. A file whose first message is not its schema
   * (apache-arrow's JS writer keeps the schema in the footer only) is kept whole (`#whole`)
   * and read at the end.
   */
  #head: ByteBuffer | null = new ByteBuffer(null);
  #whole: ByteBuffer | null = null;

  constructor(file: ColumnarFile) {
    this.#size = file.size;
    file.signal.addEventListener('abort', () => this.#queue.close(), { once: true });
    this.#reading = this.#readBatches().catch((e: unknown) => {
      this.#error ??= e;
      this.#queue.close();
    });
  }

  push(bytes: Uint8Array): void {
    this.#throwIfFailed();
    if (this.#whole !== null) return this.#whole.push(bytes);
    try {
      this.#head?.push(bytes);
      for (const framed of this.#framer.push(bytes)) {
        if (this.#head !== null && this.#framer.isFile && !framed.message.isSchema()) {
          this.#whole = this.#head; // the schema is in the footer only: read at the end
          this.#queue.close();
          return;
        }
        this.#head = null;
        this.#framedBytes += framed.bytes.length;
        if (framed.message.isRecordBatch()) {
          this.#framedRows += framed.message.header().length;
          if (this.#parserMade === null) this.#makeParser();
          this.#buffers.queued(framed.bytes, framed.copied);
        }
        this.#queue.push(isCompressed(framed.message) ? withCodecs(framed.bytes) : framed.bytes);
        this.#queue.push(FLUSH);
      }
    } catch (e) {
      this.#error ??= e;
      this.#queue.close();
      this.#throwIfFailed();
    }
  }

  /**
   * The parser, with room for the rows the file is expected to hold: its size times the rows
   * per byte framed so far (the first record batch and what came before it), at least
   * 1 / MIN_BYTES_PER_ROW and at most MAX_ROWS_PER_BYTE.
   */
  #makeParser(): ColumnarEventParser {
    const size = this.#size;
    const seen = this.#framedBytes > 0 ? (this.#framedRows / this.#framedBytes) * ROWS_SLACK : 0;
    const perByte = Math.max(1 / MIN_BYTES_PER_ROW, Math.min(MAX_ROWS_PER_BYTE, seen));
    const expected = size === null ? undefined : Math.ceil(size * perByte);
    return (this.#parserMade = new ColumnarEventParser(expected));
  }

  get #parser(): ColumnarEventParser {
    return this.#parserMade ?? this.#makeParser();
  }

  async finish(onRows: OnRows): Promise<EventColumns> {
    this.#queue.close();
    this.#throwIfFailed();
    if (this.#whole !== null) return this.#readWhole(this.#whole.bytes(), onRows);
    const cut = truncation(this.#framer);
    if (cut !== null)
      throw new LoadError(`The Arrow file cannot be read (${cut}); is it truncated?`);
    const first = this.#read;
    this.#onRows = onRows;
    if (first > 0) await onRows(first, this.#framer.rows);
    await this.#reading;
    this.#throwIfFailed();
    return this.#parser.finish();
  }

  async #readBatches(): Promise<void> {
    const reader = await RecordBatchReader.from(this.#queue);
    await reader.open();
    if (!reader.schema) return; // no message at all: finish() says the file ends too soon
    // Made at the first batch (the parser is then sized by its bytes), and at the end for a file
    // without one: either way the schema's columns are checked.
    let batches: BatchReader | null = null;
    for await (const batch of reader) {
      if (batch.numRows === 0) {
        this.#buffers.read();
        continue;
      }
      batches ??= new BatchReader(reader.schema, this.#parser);
      batches.add(batch);
      this.#buffers.read(); // its columns are in the parser: its bytes are no longer read
      this.#read += batch.numRows;
      if (this.#onRows !== null) await this.#onRows(this.#read, this.#framer.rows);
    }
    if (batches === null) new BatchReader(reader.schema, this.#parser);
  }

  /** A file kept whole: apache-arrow reads its schema from the footer, then each batch. */
  async #readWhole(bytes: Uint8Array, onRows: OnRows): Promise<EventColumns> {
    try {
      if (new ArrowFramer().push(bytes).some((f) => isCompressed(f.message)))
        await useCodecs(compressionRegistry);
      const reader = RecordBatchReader.from(bytes).open();
      const batches = new BatchReader(reader.schema, this.#parser);
      const all = [...reader];
      const total = all.reduce((n, b) => n + b.numRows, 0);
      for (const batch of all) {
        if (batch.numRows === 0) continue;
        batches.add(batch);
        this.#read += batch.numRows;
        await onRows(this.#read, total);
      }
    } catch (e) {
      this.#error = e;
      this.#throwIfFailed();
    }
    return this.#parser.finish();
  }

  #throwIfFailed(): void {
    const e = this.#error;
    if (e === null) return;
    if (e instanceof LoadError) throw e;
    if (isCodecError(e)) throw new LoadError(`The Arrow file cannot be read: ${e.message}`);
    throw new LoadError(`The Arrow file cannot be read (${errorText(e)}); is it truncated?`);
  }
}

/** Why the bytes given are not a whole Arrow file or stream, or null when they are. */
function truncation(framer: ArrowFramer): string | null {
  if (framer.ended) return null;
  if (framer.unread > 0)
    return `it ends inside a message, ${framer.unread} bytes after the last whole one`;
  if (framer.messages === 0) return 'it has no schema';
  if (framer.isFile) return 'it ends before its footer';
  return null; // a stream may end without its end-of-stream marker
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
