import { expect } from '@open-wc/testing';
import {
  Dictionary,
  Int32,
  RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Field,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { computeFromColumns, computeReport } from '../../src/engine/compute.js';
import type { EventColumns } from '../../src/engine/types.js';
import { arrowSink } from '../../src/store/worker/formats/arrow-sink.js';
import { ArrowFramer } from '../../src/store/worker/formats/arrow-framer.js';
import { concat } from '../../src/store/bytes.js';
import { OPTIONS, asObjects, numbers, sampleRows, type Row } from './columnar-rows.js';

/**
 * The Arrow reader of events-src reads each message as soon as its bytes are in (ArrowSink):
 * the same columns however the bytes are cut, dictionary deltas and replacements between
 * batches, both IPC formats, and a file cut short inside a batch.
 */

/** An IPC stream (or file) of the rows in record batches of `size` rows, shared dictionaries. */
function ipc(rows: Row[], size: number, format: 'stream' | 'file' = 'stream'): Uint8Array {
  const dict = () => new Dictionary(new Utf8(), new Int32());
  const column = (name: 'user' | 'type' | 'app') =>
    vectorFromArray(
      rows.map((r) => r[name]),
      dict(),
    );
  const whole = new Table({
    user: column('user'),
    time: vectorFromArray(
      rows.map((r) => r.time),
      new TimestampMillisecond(),
    ),
    type: column('type'),
    app: column('app'),
  });
  const parts: Table[] = [];
  for (let from = 0; from < rows.length; from += size) parts.push(whole.slice(from, from + size));
  return tableToIPC(new Table(parts.flatMap((t) => t.batches)), format);
}

const sinkSignal = () => new AbortController().signal;

/** The columns' accepted rows (the typed arrays may run on past them) and the rest. */
function own(c: EventColumns) {
  const rows = <T extends { subarray(a: number, b: number): T }>(a: T) => a.subarray(0, c.length);
  return {
    ...c,
    user: rows(c.user),
    time: rows(c.time),
    kind: rows(c.kind),
    app: rows(c.app),
  };
}

/** Reads `bytes` through the sink, pushed in the pieces `cuts` makes (offsets, ascending). */
async function read(bytes: Uint8Array, cuts: number[] = []): Promise<ReturnType<typeof own>> {
  const sink = arrowSink({
    url: 'x.arrows',
    size: bytes.length,
    signal: new AbortController().signal,
  });
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    // Each piece its own buffer (as a network chunk is), at an odd byte offset in it.
    const piece = new Uint8Array(at - from + 1);
    piece.set(bytes.subarray(from, at), 1);
    sink.push(piece.subarray(1));
    from = at;
    await Promise.resolve(); // the reader runs between two chunks, as in the worker
  }
  return own(await sink.finish(async () => {}));
}

function every(step: number, length: number): number[] {
  const cuts: number[] = [];
  for (let at = step; at < length; at += step) cuts.push(at);
  return cuts;
}

/** Where each message of the stream starts, with its prefix and metadata lengths. */
function messageStarts(bytes: Uint8Array): Array<{ at: number; metadata: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: Array<{ at: number; metadata: number }> = [];
  const framer = new ArrowFramer();
  let at = 0;
  for (const { bytes: message } of framer.push(bytes)) {
    starts.push({ at, metadata: view.getInt32(at + 4, true) });
    at += message.length;
  }
  return starts;
}

const expectedOf = (rows: Row[]) => numbers(computeReport(asObjects(rows), OPTIONS));

describe('Arrow read while it downloads (ArrowSink)', () => {
  const rows = sampleRows(1200);
  const stream = ipc(rows, 50); // 24 record batches
  let whole: ReturnType<typeof own>;

  before(async () => {
    whole = await read(stream);
  });

  it('the stream read in one piece: numbers equal computeReport, bad rows included', () => {
    expect(numbers(computeFromColumns(whole as EventColumns, OPTIONS))).to.deep.equal(
      expectedOf(rows),
    );
    expect(whole.diagnostics.rejected).to.be.greaterThan(0);
  });

  it('1-byte and 7-byte chunks give the very columns of the whole file', async () => {
    expect(await read(stream, every(1, stream.length))).to.deep.equal(whole);
    expect(await read(stream, every(7, stream.length))).to.deep.equal(whole);
  });

  it('a cut inside the 8-byte prefix, inside the metadata, inside the body of each message', async () => {
    const starts = messageStarts(stream);
    expect(starts.length).to.equal(1 + 3 + 24); // schema, three dictionaries, the batches
    for (const offset of [3, 4, 6]) {
      const cuts = starts.map((s) => s.at + offset).filter((at) => at > 0);
      expect(await read(stream, cuts), `prefix +${offset}`).to.deep.equal(whole);
    }
    const inMetadata = starts.map((s) => s.at + 8 + Math.floor(s.metadata / 2));
    expect(await read(stream, inMetadata)).to.deep.equal(whole);
    const inBody = starts.map((s) => s.at + 8 + s.metadata + 5);
    expect(await read(stream, inBody)).to.deep.equal(whole);
  });

  it('each batch is read as its bytes come, not at the end', async () => {
    const starts = messageStarts(stream);
    const lastBatch = starts.at(-1)!.at;
    const sink = arrowSink({ url: 'x.arrows', size: stream.length, signal: sinkSignal() });
    sink.push(stream.slice(0, lastBatch));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the worker between two chunks
    sink.push(stream.slice(lastBatch));
    const calls: Array<[number, number]> = [];
    await sink.finish(async (done, total) => void calls.push([done, total]));
    // All but the last batch (23 of 50 rows) were in the columns before the last bytes came.
    expect(calls).to.deep.equal([
      [1150, 1200],
      [1200, 1200],
    ]);
  });

  it('the stream format before Arrow 0.15 (a 4-byte length, no 0xFFFFFFFF)', async () => {
    const batches = [...RecordBatchReader.from(stream)];
    const legacy = RecordBatchStreamWriter.writeAll(batches, {
      writeLegacyIpcFormat: true,
    }).toUint8Array(true);
    expect(new DataView(legacy.buffer, legacy.byteOffset).getInt32(0, true)).to.be.greaterThan(0);
    expect(await read(legacy, every(7, legacy.length))).to.deep.equal(whole);
  });

  it('the file format as Arrow C++ writes it (the stream after ARROW1, then a footer)', async () => {
    const footer = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const file = concat([
      new TextEncoder().encode('ARROW1\0\0'),
      stream,
      footer,
      new Uint8Array(Int32Array.of(footer.length).buffer),
      new TextEncoder().encode('ARROW1'),
    ]);
    expect(await read(file, every(7, file.length))).to.deep.equal(whole);
  });

  it("the file format as apache-arrow's JS writer makes it (the schema in the footer only)", async () => {
    const file = ipc(rows, 50, 'file');
    expect(await read(file, every(1000, file.length))).to.deep.equal(whole);
  });

  it('a dictionary delta and a replacement between batches read as written', async () => {
    const { bytes, expected } = deltaStream();
    const kinds = new ArrowFramer()
      .push(bytes)
      .filter((f) => f.message.isDictionaryBatch())
      .map((f) => (f.message.header() as { isDelta: boolean }).isDelta);
    // user's dictionary; type's: first, delta, replacement
    expect(kinds).to.deep.equal([false, false, true, false]);
    for (const cuts of [[], every(5, bytes.length)]) {
      expect(
        numbers(computeFromColumns((await read(bytes, cuts)) as EventColumns, OPTIONS)),
      ).to.deep.equal(expected);
    }
  });

  it('a file cut inside a batch: the clear "is it truncated?" error', async () => {
    const starts = messageStarts(stream);
    const cut = starts[10].at + 8 + starts[10].metadata + 20;
    for (const bytes of [stream.slice(0, cut), stream.slice(0, starts[10].at + 3)]) {
      let error: unknown = null;
      await read(bytes, every(100, bytes.length)).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(
        /^LoadError: The Arrow file cannot be read \(it ends inside a message, \d+ bytes after the last whole one\); is it truncated\?$/,
      );
    }
  });

  it('a stream that is not one (Parquet bytes): an error, not a hang', async () => {
    const bytes = concat([new TextEncoder().encode('PAR1'), new Uint8Array(64)]);
    let error: unknown = null;
    await read(bytes).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/^LoadError: The Arrow file cannot be read/);
  });
});

/**
 * Three record batches whose `type` dictionary is first written whole, then grown by a delta
 * (new entries appended), then replaced (other entries in another order): the codes of each
 * batch mean the entries in force when it was written.
 */
function deltaStream(): { bytes: Uint8Array; expected: ReturnType<typeof numbers> } {
  const end = Date.UTC(2026, 2, 11);
  const typeOf = new Dictionary(new Utf8(), new Int32());
  const userOf = new Dictionary(new Utf8(), new Int32());
  const users = vectorFromArray(['a', 'b', 'c', 'd'], new Utf8());
  const first = vectorFromArray(['open', 'page'], new Utf8());
  const grown = first.concat(vectorFromArray(['hide', 'click'], new Utf8()));
  const replaced = vectorFromArray(['page', 'hide', 'open'], new Utf8());
  const schema = new Schema([
    new Field('user', userOf, true),
    new Field('time', new TimestampMillisecond(), true),
    new Field('type', typeOf, true),
  ]);
  const rows: Row[] = [];
  const batch = (dictionary: Vector<Utf8>, codes: number[], day: number) => {
    const entries = [...dictionary] as string[];
    const n = codes.length;
    const userCodes = Int32Array.from(codes, (_, i) => (i + day) % 4);
    const times = BigInt64Array.from(codes, (_, i) => BigInt(end - (day * 24 + i) * 3_600_000));
    codes.forEach((c, i) =>
      rows.push({
        user: 'abcd'[userCodes[i]],
        time: Number(times[i]),
        type: entries[c],
        app: null,
      }),
    );
    const children = [
      makeData({ type: userOf, length: n, data: userCodes, dictionary: users }),
      makeData({ type: new TimestampMillisecond(), length: n, data: times }),
      makeData({ type: typeOf, length: n, data: Int32Array.from(codes), dictionary }),
    ];
    return new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: n, children }),
    );
  };
  const batches = [
    batch(first, [0, 1, 1, 0, 1], 1),
    batch(grown, [2, 3, 0, 1, 2, 2], 2), // codes 2 and 3: the delta's entries
    batch(replaced, [0, 1, 2, 0, 0], 3), // 0 is now 'page', 2 'open'
  ];
  const bytes = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
  return { bytes, expected: expectedOf(rows) };
}
