/// <reference types="node" />
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { AppEntry } from './engine.js';

/** Rows are handed to an engine in batches of this many. */
export const BATCH_ROWS = 65_536;

export type EventsFormat = 'ndjson' | 'json' | 'csv' | 'parquet';

/** A batch of raw rows and the lines that were not JSON at all (NDJSON). */
export interface RowBatch {
  rows: unknown[];
  badJson: number;
}

/** The format of an events file: by its extension, else by its first character. */
export async function formatOf(path: string): Promise<EventsFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
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

/** A Parquet value as an event field: INT64 (bigint) as a number, a timestamp as epoch ms. */
function fromParquet(name: string, value: unknown): unknown {
  if (typeof value === 'bigint')
    return name === 'user' || name === 'app' ? String(value) : Number(value);
  if (value instanceof Date) return value.getTime();
  return value;
}

async function* parquetBatches(path: string): AsyncGenerator<RowBatch> {
  const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
  const file = await asyncBufferFromFile(path);
  const records = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
  for (let i = 0; i < records.length; i += BATCH_ROWS) {
    const rows = records.slice(i, i + BATCH_ROWS).map((r) => {
      const row: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(r)) {
        if (value !== null && value !== undefined) row[name] = fromParquet(name, value);
      }
      return row;
    });
    yield { rows, badJson: 0 };
  }
}

async function* jsonBatches(path: string): AsyncGenerator<RowBatch> {
  const value: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(value)) throw new Error(`${path}: expected a JSON array of events`);
  for (let i = 0; i < value.length; i += BATCH_ROWS) {
    yield { rows: value.slice(i, i + BATCH_ROWS), badJson: 0 };
  }
}

/** The rows of an events file (NDJSON, a JSON array, CSV with a header, or Parquet), in batches. */
export async function* readEventsFile(path: string): AsyncGenerator<RowBatch> {
  const format = await formatOf(path);
  if (format === 'parquet') yield* parquetBatches(path);
  else if (format === 'csv') yield* csvBatches(path);
  else if (format === 'json') yield* jsonBatches(path);
  else yield* ndjsonBatches(path);
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
