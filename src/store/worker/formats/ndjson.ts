import { EventParser } from '../../../engine/parse.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import type { ColumnarSink } from '../../events-loader.js';

/** The error of a file whose last line (without its newline) is not complete JSON. */
export const TRUNCATED_NDJSON = (): LoadError =>
  new LoadError(
    'The events file is truncated: its last line is not complete JSON (and has no newline)',
  );

/** The columns with `badLines` lines that are not JSON counted as rejected 'bad-json'. */
export function withBadLines(columns: EventColumns, badLines: number): EventColumns {
  if (badLines > 0) {
    columns.diagnostics.rejected += badLines;
    columns.diagnostics.reasons['bad-json'] = badLines;
  }
  return columns;
}

/**
 * NDJSON (one event per line) read as text arrives: each line is one `JSON.parse`, and the
 * rows of a chunk go to the parser together (one tight loop, its same-user cache kept). A line
 * that is not JSON is counted as 'bad-json'; blank lines are skipped. The main thread's reader
 * (the worker scans the bytes instead: ndjson-scan.ts).
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
    const pending = this.#pending + this.#decoder.decode(bytes, { stream: true });
    const rows = this.#rows;
    let start = 0;
    for (;;) {
      const nl = pending.indexOf('\n', start);
      if (nl < 0) break;
      if (nl > start) this.#parseLine(pending.slice(start, nl));
      start = nl + 1;
    }
    this.#pending = start === 0 ? pending : pending.slice(start);
    this.#parser.addRange(rows);
    rows.length = 0;
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
    if (this.badLines > before) throw TRUNCATED_NDJSON();
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

/** NdjsonReader as a sink of the loader: its columns, bad lines counted, at the end. */
export function ndjsonSink(): ColumnarSink {
  const parser = new EventParser();
  const reader = new NdjsonReader(parser);
  return {
    push: (bytes) => reader.push(bytes),
    async finish(onRows) {
      reader.finish();
      await onRows(reader.lines, reader.lines);
      return withBadLines(parser.finish(), reader.badLines);
    },
  };
}
