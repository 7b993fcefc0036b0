import { EventParser } from '../engine/parse.js';
import type { EventColumns } from '../engine/types.js';
import { LoadError, overNetwork } from './errors.js';
import { checkStatus, fetchOrFail, withDeadline } from './http.js';
import { ProgressThrottle, Slicer } from './slicing.js';
import type { Progress } from './types.js';

/** Rows handed to the parser between two checks of the time budget. */
const ROWS_PER_CHECK = 1024;

/** Media types of newline-delimited JSON. */
const NDJSON_TYPES = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
];

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

/** 'ndjson' or 'json' from the media type or the URL's extension; null: sniff the body. */
export function formatOf(url: string, contentType: string | null): 'json' | 'ndjson' | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (NDJSON_TYPES.includes(type)) return 'ndjson';
  let path = url;
  try {
    path = new URL(url, 'http://x/').pathname;
  } catch {
    // not a URL: look at the string itself
  }
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  return null;
}

/** The body's size in bytes when the server says and the bytes read will match it. */
function contentLength(res: Response): number | null {
  const encoding = res.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return null;
  const n = Number(res.headers.get('content-length'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

function read(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return overNetwork(() => reader.read());
}

export interface UrlLoadOptions extends ParseOptions {
  /** ms to wait for the answer to start, and then between two chunks of it. */
  timeout: number;
}

/**
 * Fetches events from `url` and parses them into columns: a JSON array, or NDJSON (one event
 * per line) parsed as it streams in. NDJSON is recognised by its media type
 * (`application/x-ndjson`, `application/jsonl`, …), by a `.ndjson` / `.jsonl` URL, or else by
 * a body that does not start with `[`. A line that is not JSON is skipped and counted in
 * `diagnostics.reasons['bad-json']`. Progress: 'load' (bytes of `content-length`, or of an
 * unknown total) and 'parse' (rows).
 */
export async function loadEventsFromUrl(url: string, opts: UrlLoadOptions): Promise<EventColumns> {
  return withDeadline(opts.signal, opts.timeout, async (d) => {
    const res = await fetchOrFail(url, { signal: d.signal });
    checkStatus(res);
    d.reset();
    const progress = new ProgressThrottle(opts.onProgress);
    const slicer = new Slicer(opts.yieldFn, opts.signal, opts.budgetMs);
    const total = contentLength(res);
    let format = formatOf(url, res.headers.get('content-type'));
    const parser = new EventParser();
    const decoder = new TextDecoder();
    const jsonParts: string[] = [];
    let pending = '';
    let badLines = 0;
    let lines = 0;
    let bytes = 0;

    const addLine = (line: string) => {
      const text = line.trim();
      if (text === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        badLines++;
        return;
      }
      parser.add(value);
    };

    const consume = async (text: string, final: boolean) => {
      if (format === null) {
        pending += text;
        const first = /\S/.exec(pending);
        if (first === null && !final) return;
        format = first !== null && first[0] === '[' ? 'json' : 'ndjson';
        text = pending;
        pending = '';
      }
      if (format === 'json') {
        jsonParts.push(text);
        return;
      }
      pending += text;
      let start = 0;
      for (;;) {
        const nl = pending.indexOf('\n', start);
        if (nl < 0) break;
        addLine(pending.slice(start, nl));
        start = nl + 1;
        if ((++lines & 1023) === 0 && slicer.due) {
          progress.emit('parse', parser.rows + badLines, null);
          await slicer.pause();
        }
      }
      pending = pending.slice(start);
      if (final) {
        addLine(pending);
        pending = '';
      }
      progress.emit('parse', parser.rows + badLines, null, final);
    };

    progress.emit('load', 0, total, true);
    const reader = res.body?.getReader();
    if (reader !== undefined) {
      for (;;) {
        const { done, value } = await read(reader);
        if (done) break;
        slicer.restart();
        bytes += value.byteLength;
        progress.emit('load', bytes, total);
        await consume(decoder.decode(value, { stream: true }), false);
        d.reset();
      }
    }
    progress.emit('load', bytes, total ?? bytes, true);
    // All bytes are in: parsing may take longer than the timeout without being stuck.
    d.clear();
    await consume(decoder.decode(), true);

    if (format === 'json') {
      let rows: unknown;
      try {
        rows = JSON.parse(jsonParts.join(''));
      } catch {
        throw new LoadError('The events file is not valid JSON');
      }
      jsonParts.length = 0;
      if (!Array.isArray(rows)) {
        throw new LoadError('The events file must be a JSON array of events, or NDJSON');
      }
      await slicer.pause();
      const arrayParser = new EventParser(rows.length);
      await addRows(arrayParser, rows, slicer, progress);
      return arrayParser.finish();
    }
    const columns = parser.finish();
    if (badLines > 0) {
      columns.diagnostics.rejected += badLines;
      columns.diagnostics.reasons['bad-json'] = badLines;
    }
    return columns;
  });
}
