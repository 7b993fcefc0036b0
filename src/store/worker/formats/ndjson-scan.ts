/**
 * NDJSON read straight from its bytes in the worker, without a string or an object per row.
 * A line shaped as events usually are (one flat object of strings, numbers, true, false and
 * null, no backslash escapes) is scanned in place: `user` and `app` are interned by their bytes
 * into dictionaries, `type` compared with the three kinds, `time` read as a number or an ISO
 * string, and the rows go to the engine as coded columns, a batch at a time. Any other line
 * (escapes, nested values, invalid JSON, anything unusual) is decoded and given to
 * `JSON.parse`, as the main thread's reader does with every line: the columns and diagnostics
 * equal JSON.parse + EventParser on the same text, bad lines and a truncated last line
 * included. Loaded lazily, when an NDJSON file comes.
 */
import { ColumnarEventParser } from '../../../engine/parse-columns.js';
import { parseIsoDateTime } from '../../../engine/parse.js';
import type { EventColumns } from '../../../engine/types.js';
import type { ColumnarSink, OnRows } from '../../events-loader.js';
import { TRUNCATED_NDJSON, withBadLines } from './ndjson.js';

/** Tokens up to this long are remembered as the last one interned. */
const LAST_BYTES = 64;

/** Rows handed to the engine at a time. */
const BATCH = 8192;

const NL = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;

/** The `type` dictionary: the three kinds, then one entry for any other value. */
const TYPES: readonly unknown[] = ['open', 'page', 'hide', null];
const OTHER_TYPE = 3;

/** Keys the kit reads, by what the scanner sees of them. */
const KEY_OTHER = 0;
const KEY_USER = 1;
const KEY_TIME = 2;
const KEY_TYPE = 3;
const KEY_APP = 4;

/** Decodes as the stream's decoder would (a BOM inside the text is kept, not dropped). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A sink that reads NDJSON bytes into the engine's columns (see the module's comment). */
export function ndjsonScanSink(): ColumnarSink {
  return new NdjsonScanner();
}

/**
 * Byte strings to dense codes: an open-addressing hash table over the bytes of each token as
 * written (quotes included, so that `1` and `"1"` differ), with its value decoded once, when
 * the token is first seen, into `values` (the dictionary a code indexes).
 */
export class ByteInterner {
  readonly values: unknown[] = [];
  #slots = new Int32Array(1024).fill(-1);
  #hashes = new Int32Array(256);
  #starts = new Int32Array(256);
  #lengths = new Int32Array(256);
  #bytes = new Uint8Array(1 << 14);
  #used = 0;

  /** The last token interned, and its code: rows of one user (or app) often come together. */
  readonly #last = new Uint8Array(LAST_BYTES);
  #lastLength = -1;
  #lastCode = -1;

  /** The code of buf[start, end), a token (a JSON string with its quotes, a number, a literal). */
  intern(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === this.#lastLength && this.#isLast(buf, start, length)) return this.#lastCode;
    const code = this.#lookUp(buf, start, end);
    if (length <= LAST_BYTES) {
      this.#last.set(buf.subarray(start, end));
      this.#lastLength = length;
      this.#lastCode = code;
    }
    return code;
  }

  #isLast(buf: Uint8Array, start: number, length: number): boolean {
    const last = this.#last;
    for (let k = 0; k < length; k++) if (last[k] !== buf[start + k]) return false;
    return true;
  }

  #lookUp(buf: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
    const slots = this.#slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const code = slots[slot];
      if (code < 0) return this.#add(slot, hash, buf, start, end);
      if (this.#hashes[code] === hash && this.#lengths[code] === length) {
        if (this.#same(code, buf, start, length)) return code;
      }
    }
  }

  #same(code: number, buf: Uint8Array, start: number, length: number): boolean {
    const bytes = this.#bytes;
    const at = this.#starts[code];
    for (let k = 0; k < length; k++) if (bytes[at + k] !== buf[start + k]) return false;
    return true;
  }

  #add(slot: number, hash: number, buf: Uint8Array, start: number, end: number): number {
    const code = this.values.length;
    this.values.push(tokenValue(buf, start, end));
    if (code === this.#hashes.length) {
      this.#hashes = grown(this.#hashes);
      this.#starts = grown(this.#starts);
      this.#lengths = grown(this.#lengths);
    }
    const length = end - start;
    if (this.#used + length > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(this.#bytes.length * 2, this.#used + length));
      bigger.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = bigger;
    }
    this.#bytes.set(buf.subarray(start, end), this.#used);
    this.#hashes[code] = hash;
    this.#starts[code] = this.#used;
    this.#lengths[code] = length;
    this.#used += length;
    this.#slots[slot] = code;
    if (2 * (code + 1) > this.#slots.length) this.#rehash();
    return code;
  }

  /** Twice the slots, each code placed again by its hash: the table stays at most half full. */
  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = this.#hashes[code] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.#slots = slots;
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** The JSON value of one scanned token: a string (its quotes dropped), a number or a literal. */
function tokenValue(buf: Uint8Array, start: number, end: number): unknown {
  const first = buf[start];
  if (first === QUOTE) return utf8.decode(buf.subarray(start + 1, end - 1));
  if (first === 0x74) return true; // t
  if (first === 0x66) return false; // f
  if (first === 0x6e) return null; // n
  return numberValue(buf, start, end);
}

/** The double JSON.parse gives a number token: exact integers of up to 15 digits by hand. */
function numberValue(buf: Uint8Array, start: number, end: number): number {
  const negative = buf[start] === MINUS;
  let i = negative ? start + 1 : start;
  if (end - i <= 15) {
    let v = 0;
    for (; i < end; i++) {
      const d = buf[i] - ZERO;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === end) return negative ? -v : v;
  }
  return Number(latin1(buf, start, end));
}

/** An ASCII token as a string (every byte a char code: the callers' bytes are ASCII). */
function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** JSON whitespace: space, tab, line feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NL;
}

function skipSpace(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(buf[i])) i++;
  return i;
}

/**
 * The end of the string token that starts at the quote buf[i]; -1 at a backslash, a control
 * character or the line's end (those lines go to JSON.parse).
 */
function stringEnd(buf: Uint8Array, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** The end of the JSON number that starts at buf[i]; -1 when it is not one. */
function numberEnd(buf: Uint8Array, i: number, end: number): number {
  if (buf[i] === MINUS) i++;
  if (i >= end || !isDigit(buf[i])) return -1;
  if (buf[i] === ZERO) i++;
  else while (i < end && isDigit(buf[i])) i++;
  if (i < end && buf[i] === DOT) {
    i++;
    if (i >= end || !isDigit(buf[i])) return -1;
    while (i < end && isDigit(buf[i])) i++;
  }
  if (i < end && (buf[i] | 0x20) === 0x65) {
    i++; // e or E
    if (i < end && (buf[i] === 0x2b || buf[i] === MINUS)) i++;
    if (i >= end || !isDigit(buf[i])) return -1;
    while (i < end && isDigit(buf[i])) i++;
  }
  return i;
}

/** The end of `true`, `false` or `null` at buf[i]; -1 when none is there. */
function literalEnd(buf: Uint8Array, i: number, end: number): number {
  const word = buf[i] === 0x74 ? 'true' : buf[i] === 0x66 ? 'false' : 'null';
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/** The end of a scalar value at buf[i]; -1 for an object, an array or anything not JSON. */
function valueEnd(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  if (c === QUOTE) return stringEnd(buf, i, end);
  if (c === MINUS || isDigit(c)) return numberEnd(buf, i, end);
  if (c === 0x74 || c === 0x66 || c === 0x6e) return literalEnd(buf, i, end);
  return -1;
}

/** Which of the kit's keys the key buf[start, end) (no quotes) is. */
function keyOf(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 3) {
    return buf[start] === 0x61 && buf[start + 1] === 0x70 && buf[start + 2] === 0x70
      ? KEY_APP
      : KEY_OTHER;
  }
  if (length !== 4) return KEY_OTHER;
  const a = buf[start];
  const b = buf[start + 1];
  const c = buf[start + 2];
  const d = buf[start + 3];
  if (a === 0x75 && b === 0x73 && c === 0x65 && d === 0x72) return KEY_USER;
  if (a !== 0x74) return KEY_OTHER;
  if (b === 0x69 && c === 0x6d && d === 0x65) return KEY_TIME;
  if (b === 0x79 && c === 0x70 && d === 0x65) return KEY_TYPE;
  return KEY_OTHER;
}

/**
 * The key whose string starts at the quote buf[i], when it is written plainly as one of the
 * kit's ("user", "time", "type", "app" and the closing quote); else KEY_OTHER (keyOf then
 * reads it once its end is found).
 */
function knownKey(buf: Uint8Array, i: number, end: number): number {
  if (i + 5 >= end) return KEY_OTHER;
  if (buf[i + 4] === QUOTE) return keyOf(buf, i + 1, i + 4);
  if (buf[i + 5] === QUOTE) return keyOf(buf, i + 1, i + 5);
  return KEY_OTHER;
}

/** The code of a `type` value: 0–2 for "open", "page", "hide", else OTHER_TYPE. */
function typeCode(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 6 || buf[start] !== QUOTE) return OTHER_TYPE;
  const a = buf[start + 1];
  const b = buf[start + 2];
  const c = buf[start + 3];
  const d = buf[start + 4];
  if (a === 0x6f && b === 0x70 && c === 0x65 && d === 0x6e) return 0; // open
  if (a === 0x70 && b === 0x61 && c === 0x67 && d === 0x65) return 1; // page
  if (a === 0x68 && b === 0x69 && c === 0x64 && d === 0x65) return 2; // hide
  return OTHER_TYPE;
}

/**
 * The end of a `time` written as most are, 1 to 15 digits without a leading zero, a sign, a
 * fraction or an exponent; -1 for any other value (valueEnd and timeValue then read it).
 */
function wholeMsEnd(buf: Uint8Array, i: number, end: number): number {
  if (i >= end || buf[i] === ZERO || !isDigit(buf[i])) return -1;
  let j = i + 1;
  while (j < end && isDigit(buf[j])) j++;
  if (j - i > 15) return -1;
  if (j < end && (buf[j] === DOT || (buf[j] | 0x20) === 0x65)) return -1;
  return j;
}

/** The value of the digits buf[i, end) (at most 15: exact in a double). */
function wholeMs(buf: Uint8Array, i: number, end: number): number {
  let v = 0;
  for (; i < end; i++) v = v * 10 + (buf[i] - ZERO);
  return v;
}

/** Epoch ms of a `time` value as EventParser reads it (before flooring); NaN when none. */
function timeValue(buf: Uint8Array, start: number, end: number): number {
  const c = buf[start];
  if (c === QUOTE) return parseIsoDateTime(latin1(buf, start + 1, end - 1));
  if (c === MINUS || isDigit(c)) return numberValue(buf, start, end);
  return NaN;
}

/**
 * Where the rows go. The scanner writes each row's codes and time at `count`, and hands the
 * batch over when it is full, before a line that JSON.parse reads (rows stay in file order),
 * and at the end.
 */
class NdjsonScanner implements ColumnarSink {
  readonly #parser = new ColumnarEventParser(1 << 16);
  readonly #users = new ByteInterner();
  readonly #apps = new ByteInterner();
  readonly #userCodes = new Int32Array(BATCH);
  readonly #typeCodes = new Int32Array(BATCH);
  readonly #appCodes = new Int32Array(BATCH);
  readonly #times = new Float64Array(BATCH);
  #count = 0;
  /** The bytes after the last newline so far (a line not yet whole). */
  #rest: Uint8Array = new Uint8Array(0);
  #started = false;
  #badLines = 0;

  push(bytes: Uint8Array): void {
    if (!this.#started) {
      const joined = concat(this.#rest, bytes);
      if (joined.length < 3 && isBomStart(joined)) {
        this.#rest = joined.slice(); // too short to tell whether a BOM begins the file
        return;
      }
      this.#started = true;
      this.#rest = new Uint8Array(0);
      bytes = hasBom(joined) ? joined.subarray(3) : joined;
    }
    let from = 0;
    if (this.#rest.length > 0) {
      const nl = bytes.indexOf(NL);
      if (nl < 0) {
        this.#rest = concat(this.#rest, bytes);
        return;
      }
      const line = concat(this.#rest, bytes.subarray(0, nl));
      this.#rest = new Uint8Array(0);
      this.#line(line, 0, line.length);
      from = nl + 1;
    }
    for (;;) {
      const nl = bytes.indexOf(NL, from);
      if (nl < 0) break;
      this.#line(bytes, from, nl);
      from = nl + 1;
    }
    if (from < bytes.length) this.#rest = bytes.slice(from);
  }

  async finish(onRows: OnRows): Promise<EventColumns> {
    const last = this.#rest;
    this.#rest = new Uint8Array(0);
    this.#line(last, 0, last.length, true);
    this.#flush();
    const lines = this.#parser.rows + this.#badLines;
    await onRows(lines, lines);
    return withBadLines(this.#parser.finish(), this.#badLines);
  }

  /**
   * One line, buf[start, end) without its newline. The `last` line (no newline after it) that
   * is not JSON means the file was cut off: an error, not a bad line.
   */
  #line(buf: Uint8Array, start: number, end: number, last = false): void {
    if (this.#scan(buf, start, end)) return;
    this.#flush();
    const text = utf8.decode(buf.subarray(start, end));
    try {
      this.#parser.add(JSON.parse(text));
    } catch {
      if (text.trim() === '') return;
      if (last) throw TRUNCATED_NDJSON();
      this.#badLines++;
    }
  }

  /**
   * Scans one line as a flat object; false when the line is anything else (it then goes to
   * JSON.parse). A blank line is true, and adds no row. Duplicate keys: the last one counts,
   * as in JSON.parse.
   */
  #scan(buf: Uint8Array, start: number, end: number): boolean {
    let i = skipSpace(buf, start, end);
    if (i === end) return true;
    if (buf[i] !== OPEN_BRACE) return false;
    i = skipSpace(buf, i + 1, end);
    let user = -1;
    let type = -1;
    let app = -1;
    let time = NaN;
    if (i < end && buf[i] === CLOSE_BRACE) i++;
    else {
      for (;;) {
        if (i >= end || buf[i] !== QUOTE) return false;
        let key = knownKey(buf, i, end);
        let keyEnd = i + (key === KEY_APP ? 5 : 6);
        if (key === KEY_OTHER) {
          keyEnd = stringEnd(buf, i, end);
          if (keyEnd < 0) return false;
          key = keyOf(buf, i + 1, keyEnd - 1);
        }
        i = skipSpace(buf, keyEnd, end);
        if (i >= end || buf[i] !== COLON) return false;
        const valueStart = skipSpace(buf, i + 1, end);
        if (valueStart >= end) return false;
        let valueStop = key === KEY_TIME ? wholeMsEnd(buf, valueStart, end) : -1;
        if (valueStop > 0) time = wholeMs(buf, valueStart, valueStop);
        else {
          valueStop = valueEnd(buf, valueStart, end);
          if (valueStop < 0) return false;
          if (key === KEY_USER) user = this.#users.intern(buf, valueStart, valueStop);
          else if (key === KEY_TYPE) type = typeCode(buf, valueStart, valueStop);
          else if (key === KEY_TIME) time = timeValue(buf, valueStart, valueStop);
          else if (key === KEY_APP) app = this.#apps.intern(buf, valueStart, valueStop);
        }
        i = skipSpace(buf, valueStop, end);
        if (i >= end) return false;
        if (buf[i] === COMMA) {
          i = skipSpace(buf, i + 1, end);
          continue;
        }
        if (buf[i] !== CLOSE_BRACE) return false;
        i++;
        break;
      }
    }
    if (skipSpace(buf, i, end) !== end) return false;
    this.#row(user, type, time, app);
    return true;
  }

  #row(user: number, type: number, time: number, app: number): void {
    const k = this.#count;
    this.#userCodes[k] = user;
    this.#typeCodes[k] = type;
    this.#times[k] = time;
    this.#appCodes[k] = app;
    this.#count = k + 1;
    if (k + 1 === BATCH) this.#flush();
  }

  /** Hands the rows scanned so far to the engine. */
  #flush(): void {
    const length = this.#count;
    if (length === 0) return;
    this.#count = 0;
    this.#parser.addColumns({
      length,
      user: { codes: this.#userCodes.subarray(0, length), dictionary: this.#users.values },
      type: { codes: this.#typeCodes.subarray(0, length), dictionary: TYPES },
      time: this.#times.subarray(0, length),
      app: { codes: this.#appCodes.subarray(0, length), dictionary: this.#apps.values },
    });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Whether b (shorter than a BOM) could be the start of one. */
function isBomStart(b: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let k = 0; k < b.length; k++) if (b[k] !== bom[k]) return false;
  return true;
}
