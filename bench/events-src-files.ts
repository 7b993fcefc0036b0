/**
 * The events files of the browser bench's events-src section, written in Node (bundled on the
 * fly by bench/browser.mjs): the same events as NDJSON, a JSON array, Arrow IPC (dictionary-
 * encoded strings, millisecond timestamps) and Parquet (hyparquet-writer, snappy), in blocks of
 * 1 M events so that memory stays bounded at 10 M. Block k is demo/synthetic's 1 M events
 * (seed 42 + k) with its users renamed `k:user`, so 10 M events have 10 × the users of 1 M.
 */
import { createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import {
  Dictionary,
  Int32,
  RecordBatchStreamWriter,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
} from 'apache-arrow';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { generateEvents } from '../demo/synthetic.js';

type UaEvent = ReturnType<typeof generateEvents>[number];

const BLOCK = 1_000_000;

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

function dictionaryVector(values: string[]) {
  return vectorFromArray(values, new Dictionary(new Utf8(), new Int32()));
}

function arrowTable(events: UaEvent[]): Table {
  const time = new BigInt64Array(events.length);
  for (let i = 0; i < events.length; i++) time[i] = BigInt(events[i].time as number);
  return new Table({
    user: dictionaryVector(events.map((e) => String(e.user))),
    time: makeVector(
      makeData({ type: new TimestampMillisecond(), length: time.length, data: time }),
    ),
    type: dictionaryVector(events.map((e) => e.type)),
    app: dictionaryVector(events.map((e) => e.app ?? '')),
  });
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

/** Writes `events` (a multiple of 1 M) as the four formats into `dir`. */
export async function writeEventsFiles(
  dir: string,
  events: number,
  end: string,
  timeZone: string,
): Promise<EventsFiles> {
  const tag = `${events / 1e6}m`;
  const files = {
    ndjson: `events-${tag}.ndjson`,
    json: `events-${tag}.json`,
    arrow: `events-${tag}.arrows`,
    parquet: `events-${tag}.parquet`,
  };
  const ndjson = createWriteStream(join(dir, files.ndjson));
  const json = createWriteStream(join(dir, files.json));
  // Arrow's typed arrays are small (17 bytes an event): kept, written at the end.
  const arrowWriter = new RecordBatchStreamWriter();
  const parquet = new ParquetWriter({
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
  await write(json, '[');
  for (let k = 0; k < events / BLOCK; k++) {
    const block = blockEvents(k, end, timeZone);
    const lines: string[] = [];
    for (let i = 0; i < block.length; i++) {
      lines.push(JSON.stringify(block[i]));
      if (lines.length === 10_000 || i === block.length - 1) {
        await write(ndjson, lines.join('\n') + '\n');
        await write(json, (k > 0 || i >= lines.length ? ',' : '') + lines.join(',\n'));
        lines.length = 0;
      }
    }
    arrowWriter.write(arrowTable(block));
    parquet.write({
      rowGroupSize: 200_000,
      columnData: [
        { name: 'user', data: block.map((e) => String(e.user)) },
        { name: 'time', data: block.map((e) => BigInt(e.time as number)) },
        { name: 'type', data: block.map((e) => e.type) },
        { name: 'app', data: block.map((e) => e.app ?? null) },
      ],
    });
  }
  await write(json, ']');
  arrowWriter.finish();
  writeFileSync(join(dir, files.arrow), await arrowWriter.toUint8Array());
  parquet.finish();
  await Promise.all([close(ndjson), close(json)]);
  return { events, files };
}
