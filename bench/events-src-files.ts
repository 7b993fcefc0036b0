/**
 * The events files of the browser bench's events-src section, written in Node (bundled on the
 * fly by bench/browser.mjs): the same events as NDJSON, a JSON array, an Arrow IPC stream
 * (dictionary-encoded strings, millisecond timestamps, record batches of ARROW_BATCH_ROWS) and
 * Parquet (hyparquet-writer: snappy, strings
 * dictionary-encoded as DuckDB, Arrow and ClickHouse write them, ms timestamps as INT64, row
 * groups of 200 000), in blocks of 1 M events so that memory stays bounded at 10 M. Block k is demo/synthetic's 1 M events
 * (seed 42 + k) with its users renamed `k:user`, so 10 M events have 10 × the users of 1 M.
 */
import { createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  Dictionary,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { generateEvents } from '../demo/synthetic.js';

type UaEvent = ReturnType<typeof generateEvents>[number];

const BLOCK = 1_000_000;

/**
 * Rows per Arrow record batch: DuckDB's row group (122 880 = 60 × its 2 048-row vectors), the
 * size its exports come in. ClickHouse writes a batch per block (max_block_size, 65 409 rows
 * by default); pyarrow writes the batches it is given (its dataset scanner makes 131 072).
 * Batches this size let the reader overlap the download at 1 M too.
 */
export const ARROW_BATCH_ROWS = 122_880;

export interface EventsFiles {
  events: number;
  /** File name by format, in `dir`. */
  files: Record<'ndjson' | 'json' | 'arrow' | 'parquet', string>;
}

function blockEvents(k: number, end: string, timeZone: string): UaEvent[] {
  const events = generateEvents({
    users: 20_000,
    days: 70,
    end,
    timeZone,
    seed: 42 + k,
    targetEvents: BLOCK,
  });
  if (k > 0) for (const e of events) e.user = `${k}:${e.user}`;
  return events;
}

/** A dictionary-encoded string column built up block by block (one dictionary for the file). */
class DictionaryColumn {
  private readonly index = new Map<string, number>();
  private readonly dictionary: string[] = [];
  readonly codes: Int32Array;
  private n = 0;

  constructor(size: number) {
    this.codes = new Int32Array(size);
  }

  push(value: string): void {
    let c = this.index.get(value);
    if (c === undefined) {
      c = this.dictionary.length;
      this.dictionary.push(value);
      this.index.set(value, c);
    }
    this.codes[this.n++] = c;
  }

  vector() {
    const type = new Dictionary(new Utf8(), new Int32());
    // Typed explicitly: vectorFromArray would dictionary-encode strings themselves.
    const dictionary = vectorFromArray(this.dictionary, new Utf8());
    const props = { type, length: this.n, data: this.codes.subarray(0, this.n), dictionary };
    return makeVector(makeData(props as never));
  }
}

/** The Arrow columns of all blocks: one table, whose dictionaries the whole file shares. */
class ArrowColumns {
  private readonly user: DictionaryColumn;
  private readonly type: DictionaryColumn;
  private readonly app: DictionaryColumn;
  private readonly time: BigInt64Array;
  private n = 0;

  constructor(size: number) {
    this.user = new DictionaryColumn(size);
    this.type = new DictionaryColumn(size);
    this.app = new DictionaryColumn(size);
    this.time = new BigInt64Array(size);
  }

  push(events: UaEvent[]): void {
    for (const e of events) {
      this.user.push(String(e.user));
      this.type.push(e.type);
      this.app.push(e.app ?? '');
      this.time[this.n++] = BigInt(e.time as number);
    }
  }

  /** The IPC stream, in record batches of ARROW_BATCH_ROWS rows. */
  ipc(): Uint8Array {
    const time = this.time.subarray(0, this.n);
    const table = new Table({
      user: this.user.vector(),
      time: makeVector(
        makeData({ type: new TimestampMillisecond(), length: time.length, data: time }),
      ),
      type: this.type.vector(),
      app: this.app.vector(),
    });
    const parts: Table[] = [];
    for (let from = 0; from < this.n; from += ARROW_BATCH_ROWS) {
      parts.push(table.slice(from, from + ARROW_BATCH_ROWS));
    }
    return tableToIPC(new Table(parts.flatMap((t) => t.batches)), 'stream');
  }
}

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

type Format = keyof EventsFiles['files'];

/** Writes `events` (a multiple of 1 M) as the given formats (default all four) into `dir`. */
export async function writeEventsFiles(
  dir: string,
  events: number,
  end: string,
  timeZone: string,
  formats: readonly Format[] = ['ndjson', 'json', 'arrow', 'parquet'],
): Promise<EventsFiles> {
  const tag = `${events / 1e6}m`;
  const files = {
    ndjson: `events-${tag}.ndjson`,
    json: `events-${tag}.json`,
    arrow: `events-${tag}.arrows`,
    parquet: `events-${tag}.parquet`,
  };
  const wants = (f: Format) => formats.includes(f);
  const ndjson = wants('ndjson') ? createWriteStream(join(dir, files.ndjson)) : null;
  const json = wants('json') ? createWriteStream(join(dir, files.json)) : null;
  // Arrow's columns are small (20 bytes an event): kept, written at the end. The generator
  // makes about 1 M events a block, not exactly: room for 2 % more.
  const arrowColumns = wants('arrow') ? new ArrowColumns(Math.ceil(events * 1.02)) : null;
  const parquet = !wants('parquet')
    ? null
    : new ParquetWriter({
        writer: fileWriter(join(dir, files.parquet)),
        schema: [
          { name: 'root', num_children: 4 },
          { name: 'user', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
          {
            name: 'time',
            type: 'INT64',
            converted_type: 'TIMESTAMP_MILLIS',
            repetition_type: 'REQUIRED',
          },
          { name: 'type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
          { name: 'app', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        ],
      });
  if (json) await write(json, '[');
  for (let k = 0; k < events / BLOCK; k++) {
    const block = blockEvents(k, end, timeZone);
    const lines: string[] = [];
    const text = ndjson !== null || json !== null;
    for (let i = 0; text && i < block.length; i++) {
      lines.push(JSON.stringify(block[i]));
      if (lines.length === 10_000 || i === block.length - 1) {
        if (ndjson) await write(ndjson, lines.join('\n') + '\n');
        if (json) await write(json, (k > 0 || i >= lines.length ? ',' : '') + lines.join(',\n'));
        lines.length = 0;
      }
    }
    arrowColumns?.push(block);
    parquet?.write({
      rowGroupSize: 200_000,
      columnData: [
        { name: 'user', data: block.map((e) => String(e.user)), encoding: 'RLE_DICTIONARY' },
        { name: 'time', data: block.map((e) => BigInt(e.time as number)) },
        { name: 'type', data: block.map((e) => e.type), encoding: 'RLE_DICTIONARY' },
        { name: 'app', data: block.map((e) => e.app ?? null), encoding: 'RLE_DICTIONARY' },
      ],
    });
  }
  if (json) await write(json, ']');
  if (arrowColumns) writeFileSync(join(dir, files.arrow), arrowColumns.ipc());
  parquet?.finish();
  await Promise.all([ndjson && close(ndjson), json && close(json)]);
  return { events, files };
}
