import type { EventParser } from '../../../engine/parse.js';
import { LoadError } from '../../errors.js';

/**
 * A `}`, a comma and a `{` with only whitespace between, anywhere (in a string or not): where
 * one line could hold two objects side by side. `\s` is wider than JSON's whitespace, so this
 * finds every such place and more.
 */
const OBJECTS_SIDE_BY_SIDE = /\}\s*,\s*\{/;

/** Lines are parsed in batches of about this many characters (one `JSON.parse` each). */
const BATCH_CHARS = 64 * 1024;

/** What joins two lines of a batch: it keeps the newline. */
const JOINER = ',\n';

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rows of `text`'s lines (newline-separated, no newline at its end) parsed with ONE
 * `JSON.parse` of `[L1,\nL2,\n…,\nLn]`, or null where that might not give exactly what a
 * `JSON.parse` of each line gives (then the caller parses them one by one). Exact because:
 * - no JSON string holds a raw newline, and every joiner does: so the joiners' commas are
 *   outside strings, and each line is read as the same tokens as alone;
 * - every element must be an object, so a line could only add an element through a comma of
 *   its own between two of them: a `}`, whitespace, `,`, whitespace, `{`, all in that line
 *   (past its edges, the comma would meet the joiner's comma or the closing `]`, which is
 *   not JSON). No match of OBJECTS_SIDE_BY_SIDE: no line holds one;
 * - then the n − 1 commas between n elements are the n − 1 joiners' own (a joiner inside an
 *   element would leave fewer): element i is line i, one JSON value, the one it is alone.
 * A blank line, a line that is not JSON or not an object: null. (Each line in brackets of its
 * own, `[[L1],\n[L2]]`, could be guarded by a cheaper test, but its million small arrays make
 * that `JSON.parse` slower in Chromium than one per line: measured, not kept.)
 */
export function parseLines(text: string): unknown[] | null {
  if (OBJECTS_SIDE_BY_SIDE.test(text)) return null;
  const joined = text.replaceAll('\n', JOINER);
  const lines = (joined.length - text.length) / (JOINER.length - 1) + 1;
  let rows: unknown;
  try {
    rows = JSON.parse('[' + joined + ']');
  } catch {
    return null;
  }
  if (!Array.isArray(rows) || rows.length !== lines) return null;
  for (let i = 0; i < lines; i++) if (!isObject(rows[i])) return null;
  return rows;
}

/**
 * NDJSON (one event per line) read as text arrives. The whole lines of each chunk are parsed in
 * batches, one `JSON.parse` per batch (parseLines), and handed to the parser together;
 * a batch that cannot be read that way exactly (a bad or blank line, a row that is not an
 * object) is parsed line by line. Either way the rows are those of one `JSON.parse` per line:
 * a line that is not JSON is counted as 'bad-json'; blank lines are skipped.
 */
export class NdjsonReader {
  #pending = '';
  readonly #decoder = new TextDecoder();
  readonly #rows: unknown[] = [];
  badLines = 0;

  readonly #parser: EventParser;

  constructor(parser: EventParser) {
    this.#parser = parser;
  }

  /** Rows read so far, good or not. */
  get lines(): number {
    return this.#parser.rows + this.badLines;
  }

  /** Reads the next bytes. */
  push(bytes: Uint8Array): void {
    const text = this.#pending + this.#decoder.decode(bytes, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.#pending = text;
      return;
    }
    this.#pending = text.slice(end + 1);
    for (let start = 0; start < end;) {
      const cut = end - start <= BATCH_CHARS ? end : text.indexOf('\n', start + BATCH_CHARS);
      this.#readLines(text.slice(start, cut));
      start = cut + 1;
    }
  }

  /**
   * The text ended. A last line without its newline that is not JSON means the file was cut
   * off (every other line was whole): that is an error, not a bad row.
   */
  finish(): void {
    const last = this.#pending + this.#decoder.decode();
    this.#pending = '';
    if (last.trim() === '') return;
    const before = this.badLines;
    this.#parseLine(last);
    if (this.badLines > before) {
      throw new LoadError(
        'The events file is truncated: its last line is not complete JSON (and has no newline)',
      );
    }
    this.#flushRows();
  }

  /** Whole lines (no newline at the end). */
  #readLines(text: string): void {
    const rows = parseLines(text);
    if (rows !== null) {
      this.#parser.addRange(rows);
      return;
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      if (end > start) this.#parseLine(text.slice(start, end));
      if (nl < 0) break;
      start = nl + 1;
    }
    this.#flushRows();
  }

  #flushRows(): void {
    this.#parser.addRange(this.#rows);
    this.#rows.length = 0;
  }

  #parseLine(line: string): void {
    try {
      this.#rows.push(JSON.parse(line));
    } catch {
      if (line.trim() !== '') this.badLines++;
    }
  }
}
