/**
 * Cuts the bytes of an Arrow IPC file or stream, as they arrive, into its messages (schema,
 * dictionary batches, record batches), each handed on as soon as its last byte is in. Only the
 * framing is read here: an 8-byte prefix (0xFFFFFFFF and the metadata's length; before Arrow
 * 0.15 the length alone, 4 bytes), the metadata (a flatbuffer, decoded by apache-arrow's
 * `Message`), then the body of the length the metadata gives. The file format is the same
 * message sequence after `ARROW1` and 2 bytes of padding, ended by an end-of-stream marker
 * (a zero length) before its footer, which is not needed and not kept.
 */
import { Message } from 'apache-arrow';

/** One whole message: its bytes (prefix, metadata and body) and its decoded metadata. */
export interface Framed {
  bytes: Uint8Array;
  message: Message;
  /** True when `bytes` is a buffer of `alloc`'s (the message spanned chunks), not a view. */
  copied: boolean;
}

/** Where a message that spans chunks is copied to: a buffer of exactly `n` bytes. */
export type Alloc = (n: number) => Uint8Array;

const MAGIC = 'ARROW1';
/** The file format's magic and padding before the first message. */
const FILE_HEAD = 8;
const CONTINUATION = -1;
/** Far more than any message's metadata (a schema, a batch's buffer list): not Arrow. */
const MAX_METADATA = 1 << 26;

export class ArrowFramer {
  /** The unread tail: chunks not yet cut into whole messages. */
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** The file format's head is checked at the first bytes; null: not yet known. */
  #isFile: boolean | null = null;
  /** The current message's prefix and metadata, once they are in. */
  #pending: { prefix: number; metadata: number; message: Message } | null = null;
  /** The end-of-stream marker was read: later bytes (a file's footer) are dropped. */
  ended = false;
  /** Messages and record batch rows framed so far. */
  messages = 0;
  rows = 0;

  /** @param alloc - the buffers of messages that span chunks (default: new ones). */
  constructor(private readonly alloc: Alloc = (n) => new Uint8Array(n)) {}

  get isFile(): boolean {
    return this.#isFile === true;
  }

  /** Bytes received and not yet handed on as a message. */
  get unread(): number {
    return this.#buffered;
  }

  /** Takes `bytes` and returns the messages they complete, in order. */
  push(bytes: Uint8Array): Framed[] {
    if (this.ended || bytes.length === 0) return [];
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
    const out: Framed[] = [];
    for (let framed = this.#next(); framed !== null; framed = this.#next()) out.push(framed);
    return out;
  }

  /** The next whole message in the tail, or null until more bytes come (or at the end). */
  #next(): Framed | null {
    if (this.ended) return null;
    if (this.#isFile === null) {
      if (this.#buffered < FILE_HEAD) return null;
      this.#isFile = String.fromCharCode(...this.#peek(MAGIC.length)) === MAGIC;
      if (this.#isFile) this.#take(FILE_HEAD);
    }
    const pending = this.#pending ?? this.#readMetadata();
    if (pending === null) return null;
    this.#pending = pending;
    const size = pending.prefix + pending.metadata + pending.message.bodyLength;
    if (this.#buffered < size) return null;
    this.#pending = null;
    this.messages++;
    const { message } = pending;
    if (message.isRecordBatch()) this.rows += message.header().length;
    const copied = this.#chunks[0].length < size;
    return { bytes: this.#take(size, copied ? this.alloc(size) : null), message, copied };
  }

  /** The prefix and metadata of the next message once they are in (not taken from the tail). */
  #readMetadata(): { prefix: number; metadata: number; message: Message } | null {
    if (this.#buffered < 4) return null;
    const first = this.#int32(0);
    const prefix = first === CONTINUATION ? 8 : 4;
    if (this.#buffered < prefix) return null;
    const metadata = first === CONTINUATION ? this.#int32(4) : first;
    if (metadata === 0) {
      this.ended = true;
      this.#take(prefix);
      this.#drop();
      return null;
    }
    if (metadata < 0 || metadata > MAX_METADATA) {
      throw new Error(`a message's metadata length is ${metadata} bytes`);
    }
    if (this.#buffered < prefix + metadata) return null;
    const head = this.#peek(prefix + metadata);
    const message = Message.decode(head.subarray(prefix));
    return { prefix, metadata, message };
  }

  #int32(at: number): number {
    const b = this.#peek(at + 4);
    return new DataView(b.buffer, b.byteOffset + at, 4).getInt32(0, true);
  }

  /**
   * The first n bytes of the tail: a view when the first chunk holds them, else a copy (into
   * `into` when given: n bytes long).
   */
  #peek(n: number, into: Uint8Array | null = null): Uint8Array {
    const first = this.#chunks[0];
    if (first.length >= n) return first.subarray(0, n);
    const out = into ?? new Uint8Array(n);
    let at = 0;
    for (const chunk of this.#chunks) {
      const part = chunk.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
      if (at === n) break;
    }
    return out;
  }

  /** Removes and returns the first n bytes of the tail (n ≤ what is buffered); see #peek. */
  #take(n: number, into: Uint8Array | null = null): Uint8Array {
    const out = this.#peek(n, into);
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[0];
      if (chunk.length > left) {
        this.#chunks[0] = chunk.subarray(left);
        break;
      }
      this.#chunks.shift();
      left -= chunk.length;
    }
    this.#buffered -= n;
    return out;
  }

  #drop(): void {
    this.#chunks = [];
    this.#buffered = 0;
  }
}
