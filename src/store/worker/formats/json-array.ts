import type { EventParser } from '../../../engine/parse.js';
import { concat } from '../../bytes.js';
import { LoadError } from '../../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * A JSON array of events read as a stream of bytes, never as one string: the bytes are
 * scanned for the commas between top-level elements (quotes and brackets are ASCII, which no
 * byte of a multi-byte UTF-8 character is), and each run of whole elements is parsed with one
 * `JSON.parse` and handed to the parser. Memory: the run in hand, not the file.
 */
export class JsonArrayReader {
  /** Bytes read so far (the offset of the next chunk's first byte). */
  #offset = 0;
  /** Offset of the first byte of `held`. */
  #heldFrom = 0;
  /** Bytes of elements not parsed yet (the last one may be incomplete). */
  #held: Uint8Array[] = [];
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** 0: before the '['; 1: inside the array; 2: after its ']'. */
  #stage = 0;
  #elements = 0;
  readonly #decoder = new TextDecoder();

  readonly #parser: EventParser;

  constructor(parser: EventParser) {
    this.#parser = parser;
  }

  /** Reads the next chunk of the file. */
  push(chunk: Uint8Array): void {
    let from = 0;
    let cut = -1;
    let end = -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
        continue;
      }
      if (this.#stage !== 1) {
        if (isSpace(c)) continue;
        if (this.#stage === 0 && c === OPEN_BRACKET) {
          this.#stage = 1;
          this.#depth = 1;
          from = i + 1;
          this.#heldFrom = this.#offset + from;
          continue;
        }
        throw this.#invalid(this.#offset + i);
      }
      if (c === QUOTE) this.#inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.#depth === 0) {
          end = i;
          this.#stage = 2;
        }
      } else if (c === COMMA && this.#depth === 1) cut = i;
    }
    if (end >= 0) {
      this.#parseUpTo(chunk, from, end, true);
      return;
    }
    if (this.#stage !== 1) {
      this.#offset += n;
      return;
    }
    if (cut >= 0) {
      this.#parseUpTo(chunk, from, cut, false);
      from = cut + 1;
      this.#heldFrom = this.#offset + from;
    }
    if (from < n) this.#held.push(from === 0 ? chunk : chunk.subarray(from));
    this.#offset += n;
  }

  /** The file ended: throws unless the array was whole. */
  finish(): void {
    if (this.#stage === 2) return;
    if (this.#stage === 0) throw new LoadError('The events file is empty');
    throw new LoadError(
      `The events file is truncated: its JSON array is not closed (the file ends after byte ${this.#offset})`,
    );
  }

  /** Parses the held bytes and chunk[from, to): whole elements, the last one ending at `to`. */
  #parseUpTo(chunk: Uint8Array, from: number, to: number, last: boolean): void {
    const start = this.#heldFrom;
    const bytes = this.#joinHeld(chunk.subarray(from, to));
    const text = this.#decoder.decode(bytes);
    if (last && text.trim() === '') {
      if (this.#elements > 0) throw this.#invalid(start); // a comma before the ']'
      return; // []
    }
    let rows: unknown;
    try {
      rows = JSON.parse(`[${text}]`);
    } catch {
      throw this.#invalid(start + positionIn(text));
    }
    const array = rows as unknown[];
    this.#elements += array.length;
    this.#parser.addRange(array);
  }

  #joinHeld(tail: Uint8Array): Uint8Array {
    const bytes = concat([...this.#held, tail]);
    this.#held = [];
    return bytes;
  }

  #invalid(byte: number): LoadError {
    return new LoadError(`The events file is not valid JSON (at byte ${byte})`);
  }
}

/**
 * Where in `text` (whole elements joined by commas) the first element that is not JSON
 * starts, in UTF-8 bytes. Only called after JSON.parse failed, whose messages do not always
 * say where.
 */
function positionIn(text: string): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  const badFrom = (end: number): boolean => {
    try {
      JSON.parse(text.slice(start, end));
      return false;
    } catch {
      return true;
    }
  };
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : COMMA;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA && depth === 0) {
      if (badFrom(i)) break;
      start = i + 1;
    }
  }
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  return new TextEncoder().encode(text.slice(0, start)).length;
}
