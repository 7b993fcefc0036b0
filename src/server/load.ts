/// <reference types="node" />
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Diagnostics } from '../engine/types.js';
import { arrowBatches } from './arrow.js';
import { rowsOfBatch, type ColumnBatch } from './columns.js';
import { parquetBatches } from './duckdb/parquet.js';
import type { AppEntry } from './engine.js';

/** Rows are handed to an engine in batches of this many. */
export const BATCH_ROWS = 65_536;

export const EVENTS_FORMATS = ['ndjson', 'json', 'csv', 'parquet', 'arrow'] as const;
export type EventsFormat = (typeof EVENTS_FORMATS)[number];

/** A batch of raw rows and the lines that were not JSON at all (NDJSON). */
export interface RowBatch {
  rows: unknown[];
  badJson: number;
}

const EXTENSIONS: Record<string, EventsFormat> = {
  '.parquet': 'parquet',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** An Arrow IPC stream starts with a message: the continuation marker 0xFFFFFFFF. */
const ARROW_STREAM = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/**
 * The format of an events file: by its extension, else by its first bytes (`PAR1` Parquet,
 * `ARROW1` or a message marker Arrow IPC, `[` a JSON array, anything else NDJSON).
 */
export async function formatOf(path: string): Promise<EventsFormat> {
  const byExtension = EXTENSIONS[extname(path).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
    if (bytes.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow';
    if (bytes.subarray(0, 4).equals(ARROW_STREAM)) return 'arrow';
    const head = bytes.toString('utf8').trimStart();
    return head.startsWith('[') ? 'json' : 'ndjson';
  } finally {
    await handle.close();
  }
}

/** Lines of a text file, streamed (files bigger than a JavaScript string are fine). */
async function* linesOf(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      yield text.slice(from, nl);
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  if (rest !== '') yield rest;
}

/** NDJSON text → rows; a line that is not JSON is counted, never fatal. */
export function parseNdjson(text: string): RowBatch {
  const rows: unknown[] = [];
  let badJson = 0;
  for (const line of text.split('\n')) {
    const r = parseLine(line);
    if (r === BLANK) continue;
    if (r === BAD) badJson++;
    else rows.push(r);
  }
  return { rows, badJson };
}

const BLANK = Symbol('blank');
const BAD = Symbol('bad');

function parseLine(line: string): unknown {
  const s = line.trim();
  if (s === '') return BLANK;
  try {
    return JSON.parse(s);
  } catch {
    return BAD;
  }
}

async function* ndjsonBatches(path: string): AsyncGenerator<RowBatch> {
  let batch: RowBatch = { rows: [], badJson: 0 };
  for await (const line of linesOf(path)) {
    const r = parseLine(line);
    if (r === BLANK) continue;
    if (r === BAD) batch.badJson++;
    else batch.rows.push(r);
    if (batch.rows.length >= BATCH_ROWS) {
      yield batch;
      batch = { rows: [], badJson: 0 };
    }
  }
  if (batch.rows.length > 0 || batch.badJson > 0) yield batch;
}

/** Splits one CSV line into fields (RFC 4180 quotes; a field does not span lines). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
      i = line.indexOf(',', i) < 0 ? line.length + 1 : line.indexOf(',', i) + 1;
    } else {
      const comma = line.indexOf(',', i);
      const to = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, to));
      i = to + 1;
    }
  }
  return fields;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV record as an event: `time` that is a plain number is epoch ms (else an ISO string,
 * judged by the engine), an empty `app` or `page` is no app or page. `user` stays text, as
 * the engine takes a numeric user id as its decimal string anyway.
 */
export function csvRow(header: string[], fields: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  header.forEach((name, j) => {
    const value = fields[j];
    if (value === undefined || (value === '' && name !== 'user')) return;
    row[name] = name === 'time' && NUMBER.test(value) ? Number(value) : value;
  });
  return row;
}

async function* csvBatches(path: string): AsyncGenerator<RowBatch> {
  let header: string[] | null = null;
  let rows: unknown[] = [];
  for await (const raw of linesOf(path)) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (header === null) {
      header = csvFields(line).map((h) => h.trim());
      continue;
    }
    rows.push(csvRow(header, csvFields(line)));
    if (rows.length >= BATCH_ROWS) {
      yield { rows, badJson: 0 };
      rows = [];
    }
  }
  if (rows.length > 0) yield { rows, badJson: 0 };
}

async function* jsonBatches(path: string): AsyncGenerator<RowBatch> {
  const value: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(value)) throw new Error(`${path}: expected a JSON array of events`);
  for (let i = 0; i < value.length; i += BATCH_ROWS) {
    yield { rows: value.slice(i, i + BATCH_ROWS), badJson: 0 };
  }
}

/** The columnar batches of a Parquet or Arrow file (Parquet read by a DuckDB in memory). */
function columnBatches(path: string, format: 'parquet' | 'arrow'): AsyncGenerator<ColumnBatch> {
  return format === 'parquet' ? parquetBatches(path) : arrowBatches(path);
}

/**
 * The rows of an events file (NDJSON, a JSON array, CSV with a header, Parquet or Arrow IPC),
 * in batches, as objects. An engine that takes columns loads Parquet and Arrow faster with
 * loadEventsFile.
 */
export async function* readEventsFile(
  path: string,
  format?: EventsFormat,
): AsyncGenerator<RowBatch> {
  const given = format ?? (await formatOf(path));
  if (given === 'parquet' || given === 'arrow') {
    for await (const batch of columnBatches(path, given))
      yield { rows: rowsOfBatch(batch), badJson: 0 };
  } else if (given === 'csv') yield* csvBatches(path);
  else if (given === 'json') yield* jsonBatches(path);
  else yield* ndjsonBatches(path);
}

type Judged = Diagnostics & { earliest?: number | null };

/** An engine `loadEventsFile` can fill: rows, and if it has them, columns and its own Parquet reader. */
export interface LoadTarget {
  ingest(rows: ArrayLike<unknown>): Promise<Judged>;
  /** A batch of columns, judged as `ingest` judges the same rows. */
  ingestColumns?(batch: ColumnBatch): Promise<Judged>;
  /**
   * Loads a whole Parquet or Arrow file with the engine's own reader (DuckDB's, chDB's); null
   * when it does not read that one (then it gets the file's columns through ingestColumns).
   */
  loadNative?(path: string, format: 'parquet' | 'arrow'): Promise<Diagnostics | null>;
}

/** Adds `more` into `total` (counts and reasons). */
export function addDiagnostics(total: Diagnostics, more: Diagnostics): void {
  total.accepted += more.accepted;
  total.rejected += more.rejected;
  for (const [k, v] of Object.entries(more.reasons)) total.reasons[k] = (total.reasons[k] ?? 0) + v;
}

/**
 * Ingests column batches one at a time, the next one asked for while one is ingested (a reader
 * that waits for DuckDB or the disk then reads on meanwhile); the summed diagnostics.
 */
export async function ingestBatches(
  engine: Required<Pick<LoadTarget, 'ingestColumns'>>,
  batches: AsyncIterable<ColumnBatch>,
): Promise<Diagnostics> {
  const total: Diagnostics = { accepted: 0, rejected: 0, reasons: {} };
  const iterator = batches[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (let item = await next; item.done !== true; item = await next) {
      next = iterator.next();
      addDiagnostics(total, await engine.ingestColumns(item.value));
    }
  } catch (error) {
    // The batch asked for ahead may fail too: not an unhandled rejection.
    next.catch(() => undefined);
    await iterator.return?.();
    throw error;
  }
  return total;
}

/**
 * Loads an events file into an engine, batch by batch, and sums what was accepted and rejected
 * and why (`bad-json` for an NDJSON line that is not JSON). Parquet goes to the engine's own
 * reader when it has one, Parquet and Arrow as columns when it takes them, anything else as
 * rows.
 */
export async function loadEventsFile(
  engine: LoadTarget,
  path: string,
  format?: EventsFormat,
): Promise<Diagnostics> {
  const given = format ?? (await formatOf(path));
  if ((given === 'parquet' || given === 'arrow') && engine.ingestColumns) {
    const loaded = (await engine.loadNative?.(path, given)) ?? null;
    if (loaded !== null) return loaded;
    return ingestBatches(engine as Required<LoadTarget>, columnBatches(path, given));
  }
  const total: Diagnostics = { accepted: 0, rejected: 0, reasons: {} };
  for await (const batch of readEventsFile(path, given)) {
    addDiagnostics(total, await engine.ingest(batch.rows));
    if (batch.badJson > 0)
      addDiagnostics(total, {
        accepted: 0,
        rejected: batch.badJson,
        reasons: { 'bad-json': batch.badJson },
      });
  }
  return total;
}

const KINDS = ['mini-program', 'h5', 'mini-game'];

/** `--apps`: `{ "apps": [{ id, name, kind }] }` as in SPEC §7 (a bare array is taken too). */
export async function readAppsFile(path: string): Promise<AppEntry[]> {
  const value: unknown = JSON.parse(await readFile(path, 'utf8'));
  const list = Array.isArray(value) ? value : (value as { apps?: unknown } | null)?.apps;
  if (!Array.isArray(list)) throw new Error(`${path}: expected { "apps": [...] }`);
  return list.map((item: unknown, i) => {
    const { id, name, kind } = (item ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || id === '')
      throw new Error(`${path}: apps[${i}].id must be a non-empty string`);
    const entry: AppEntry = { id, name: typeof name === 'string' ? name : id };
    if (typeof kind === 'string' && KINDS.includes(kind)) entry.kind = kind as AppEntry['kind'];
    return entry;
  });
}
