import { expect } from '@open-wc/testing';
import {
  CompressionType,
  type DataType,
  DateMillisecond,
  Dictionary,
  Int32,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  TimestampMillisecond,
  compressionRegistry,
  Table,
  TimestampMicrosecond,
  TimestampNanosecond,
  TimestampSecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { computeFromColumns, computeReport } from '../../src/engine/compute.js';
import type { EventColumns, ReportOptions } from '../../src/engine/types.js';
import { columnsMessage } from '../../src/store/worker/columns-message.js';
import { arrowSink } from '../../src/store/worker/formats/arrow-sink.js';
import { ByteBuffer } from '../../src/store/worker/formats/byte-sink.js';
import { decodeLz4Frames } from '../../src/store/worker/formats/lz4-frame.js';
import { DEFAULTS, encodeFrame } from './lz4-encoder.js';
import { readPageColumns } from '../../src/store/worker/formats/page-columns.js';
import {
  OPTIONS,
  asObjects,
  clickHouseEvents,
  fetchBytes,
  numbers,
  sampleRows,
  type Row,
} from './columnar-rows.js';

/**
 * What the worker does with a file's bytes or the page's columns, called directly (so that it
 * runs under Node too, for StrykerJS: stryker.formats.config.mjs): compressed Arrow IPC written
 * by ClickHouse through the Arrow sink, whole and in small pieces; corrupt and cut compressed
 * files; an apache-arrow Table as `source.columns` through the page's message and the worker's
 * reader (a structured clone with the transfer list, as postMessage makes it); the byte buffer
 * that keeps a file's bytes. Numbers equal computeReport over the same events as objects.
 */

const FIXTURES = '/test/fixtures/arrow';
const CH_OPTIONS: ReportOptions = { range: 30, end: '2026-11-01', timeZone: 'UTC' };

/** A column of rows' `name` values as an Arrow vector of `type` (default: dictionary strings). */
function column(
  rs: Row[],
  name: keyof Row,
  type: DataType = new Dictionary(new Utf8(), new Int32()),
) {
  return vectorFromArray(
    rs.map((r) => r[name]),
    type,
  );
}

/** `bytes` through the Arrow sink in pieces of `piece` bytes; the columns or the error's text. */
async function readArrow(bytes: Uint8Array, piece = bytes.length): Promise<EventColumns | string> {
  const sink = arrowSink({
    url: 'x.arrow',
    size: bytes.length,
    signal: new AbortController().signal,
  });
  try {
    for (let at = 0; at < bytes.length; at += piece) {
      sink.push(bytes.slice(at, at + piece));
      await Promise.resolve();
    }
    return await sink.finish(async () => {});
  } catch (e) {
    return (e as Error).message;
  }
}

/** The table as the worker reads it: the page's message, cloned with its transfer list. */
function throughWorker(table: Table): EventColumns {
  const { batch, transfer } = columnsMessage(table);
  return readPageColumns(structuredClone(batch, { transfer }));
}

describe('the worker readers, called directly (also under Node)', () => {
  describe('compressed Arrow IPC written by ClickHouse, through the sink', () => {
    let expected: ReturnType<typeof numbers>;
    before(async () => {
      expected = numbers(computeReport(await clickHouseEvents(), CH_OPTIONS));
    });

    for (const file of [
      'events-lz4.arrow',
      'events-lz4.arrows',
      'events-zstd.arrow',
      'events-zstd.arrows',
      'events-iso-lz4.arrow',
    ]) {
      it(`${file}: whole and in 1000-byte pieces, numbers equal computeReport`, async () => {
        const bytes = await fetchBytes(`${FIXTURES}/${file}`);
        for (const piece of [bytes.length, 1000]) {
          const columns = await readArrow(bytes, piece);
          expect(columns, String(columns)).to.not.be.a('string');
          const report = computeFromColumns(columns as EventColumns, CH_OPTIONS);
          expect(numbers(report), `${file} / ${piece}`).to.deep.equal(expected);
        }
      });
    }

    it('a compressed file cut short: the error says it is truncated', async () => {
      const bytes = await fetchBytes(`${FIXTURES}/events-lz4.arrow`);
      const cut = bytes.slice(0, Math.floor(bytes.length * 0.6));
      expect(await readArrow(cut)).to.match(
        /^The Arrow file cannot be read \(it ends inside a message, \d+ bytes after the last whole one\); is it truncated\?$/,
      );
    });

    it('a file of its head only: it has no schema, or ends before its footer', async () => {
      const bytes = await fetchBytes(`${FIXTURES}/events-lz4.arrow`);
      expect(await readArrow(bytes.slice(0, 8))).to.equal(
        'The Arrow file cannot be read (it has no schema); is it truncated?',
      );
    });
  });

  describe('an Arrow Table as source.columns: the page message, read by the worker', () => {
    const rows = sampleRows(3000);
    const good = rows.filter((r) => r.user !== null && r.user !== '' && r.time !== null);
    const expectedOf = (objects: unknown[]) => numbers(computeReport(objects, OPTIONS));

    it('dictionary strings and second timestamps in sliced batches, bad rows included', () => {
      // Whole seconds (apache-arrow's builder takes ms and stores seconds), the same as objects.
      const seconds = rows.map((r) => ({
        ...r,
        time: r.time === null ? null : Math.floor(r.time / 1000) * 1000,
      }));
      const whole = new Table({
        user: column(rows, 'user'),
        type: column(rows, 'type'),
        app: column(rows, 'app'),
        time: vectorFromArray(
          seconds.map((r) => r.time),
          new TimestampSecond(),
        ),
      });
      const objects = asObjects(seconds);
      const parts = [whole.slice(0, 1000), whole.slice(1000, 2000), whole.slice(2000)];
      const table = new Table(parts.flatMap((t) => t.batches));
      const got = numbers(computeFromColumns(throughWorker(table), OPTIONS));
      expect(got).to.deep.equal(expectedOf(objects));
      expect(got.diagnostics!.reasons['bad-user']).to.be.greaterThan(10);
    });

    it('µs and ns timestamps: whole ms, exactly', () => {
      for (const [Unit, per] of [
        [TimestampMicrosecond, 1000n],
        [TimestampNanosecond, 1_000_000n],
      ] as const) {
        const data = BigInt64Array.from(good, (r) => BigInt(r.time!) * per + per / 2n);
        const table = new Table({
          user: column(good, 'user'),
          type: column(good, 'type'),
          app: column(good, 'app'),
          time: makeVector(makeData({ type: new Unit(), length: data.length, data })),
        });
        const got = numbers(computeFromColumns(throughWorker(table), OPTIONS));
        expect(got, Unit.name).to.deep.equal(expectedOf(asObjects(good)));
      }
    });

    it('plain Utf8 strings with nulls, numeric users and a Float64 time', () => {
      const table = new Table({
        user: column(rows, 'user', new Utf8()),
        type: column(rows, 'type', new Utf8()),
        time: makeVector(Float64Array.from(rows, (r) => r.time ?? NaN)),
      });
      const objects = rows.map((r) => ({ user: r.user, time: r.time, type: r.type }));
      const got = numbers(computeFromColumns(throughWorker(table), OPTIONS));
      expect(got).to.deep.equal(expectedOf(objects));
      const numeric = new Table({
        user: vectorFromArray(
          good.map((r) => Number(r.user!.slice(1))),
          new Int32(),
        ),
        type: column(good, 'type'),
        time: makeVector(Float64Array.from(good, (r) => r.time!)),
      });
      const numericObjects = good.map((r) => ({
        user: Number(r.user!.slice(1)),
        time: r.time,
        type: r.type,
      }));
      expect(numbers(computeFromColumns(throughWorker(numeric), OPTIONS))).to.deep.equal(
        expectedOf(numericObjects),
      );
    });

    it('a Table read from IPC (its columns view one buffer): copied, the Table still reads', () => {
      const table = tableFromIPC(
        tableToIPC(
          new Table({
            user: column(rows, 'user'),
            type: column(rows, 'type'),
            app: column(rows, 'app'),
            time: makeVector(Float64Array.from(rows, (r) => r.time ?? NaN)),
          }),
        ),
      );
      const got = numbers(computeFromColumns(throughWorker(table), OPTIONS));
      expect(got).to.deep.equal(expectedOf(asObjects(rows)));
      expect(table.getChild('user')!.get(rows.length - 1)).to.equal(rows.at(-1)!.user);
      expect(table.getChild('time')!.get(0)).to.equal(rows[0].time ?? NaN);
    });

    it("a Table's own buffers are transferred, each once", () => {
      const table = new Table({
        user: column(good, 'user'),
        type: column(good, 'type'),
        time: makeVector(Float64Array.from(good, (r) => r.time!)),
      });
      const { transfer } = columnsMessage(table);
      const time = table.getChild('time')!.data[0].values as Float64Array;
      expect(transfer).to.include(time.buffer);
      expect(new Set(transfer).size).to.equal(transfer.length);
    });

    it('a Table without a time column: an error that names it', () => {
      const noTime = new Table({ user: vectorFromArray(['a']), type: vectorFromArray(['open']) });
      expect(() => columnsMessage(noTime)).to.throw(
        'The Arrow table has no "time" column (it needs user, time and type; app is optional)',
      );
    });

    it('ColumnBatch columns go as they are, their typed arrays transferred', () => {
      const time = Float64Array.from(good, (r) => r.time!);
      const codes = Int32Array.from(good, (_, i) => i % 2);
      const columns = {
        length: good.length,
        user: good.map((r) => r.user),
        time,
        type: { codes, dictionary: ['open', 'page'] },
        app: null,
      };
      const { batch, transfer } = columnsMessage(columns);
      expect(batch).to.equal(columns);
      expect(transfer).to.have.members([time.buffer, codes.buffer]);
      const objects = good.map((r, i) => ({
        user: r.user,
        time: r.time,
        type: ['open', 'page'][i % 2],
      }));
      expect(numbers(computeFromColumns(readPageColumns(columns), OPTIONS))).to.deep.equal(
        expectedOf(objects),
      );
    });
  });

  describe('other column types of a Table, and Arrow written compressed by apache-arrow', () => {
    const rows = sampleRows(2000, 5);
    const good = rows.filter((r) => r.user !== null && r.user !== '' && r.time !== null);
    const ids = good.map((r) => Number(r.user!.slice(1)) + 2 ** 40);

    it('Int64 users (decimal strings), Int64 ms times, DateMillisecond times read by get(i)', () => {
      const objects = good.map((r, i) => ({ user: String(ids[i]), time: r.time, type: r.type }));
      const expected = numbers(computeReport(objects, OPTIONS));
      // Made anew for each table: the worker's message transfers their buffers.
      const user = () => makeVector(BigInt64Array.from(ids, (n) => BigInt(n)));
      const type = () =>
        vectorFromArray(
          good.map((r) => r.type),
          new Utf8(),
        );
      for (const time of [
        makeVector(BigInt64Array.from(good, (r) => BigInt(r.time!))),
        vectorFromArray(
          good.map((r) => new Date(r.time!)),
          new DateMillisecond(),
        ),
      ]) {
        const table = new Table({ user: user(), time, type: type() });
        const got = numbers(computeFromColumns(throughWorker(table), OPTIONS));
        expect(got, String(time.type)).to.deep.equal(expected);
      }
    });

    it('LZ4 bodies as apache-arrow writes them (the compressed length in the prefix), stream and file', async () => {
      compressionRegistry.set(CompressionType.LZ4_FRAME, {
        encode: (data) => encodeFrame(data, DEFAULTS),
        decode: (data) => decodeLz4Frames(data),
      });
      const table = new Table({
        user: column(rows, 'user', new Utf8()),
        time: column(rows, 'time', new TimestampMillisecond()),
        type: column(rows, 'type'),
      });
      const objects = rows.map((r) => ({ user: r.user, time: r.time, type: r.type }));
      const expected = numbers(computeReport(objects, OPTIONS));
      const options = { compressionType: CompressionType.LZ4_FRAME };
      for (const writer of [RecordBatchStreamWriter, RecordBatchFileWriter]) {
        const bytes = writer.writeAll(table, options).toUint8Array(true).slice();
        const columns = await readArrow(bytes, 700);
        expect(columns, String(columns)).to.not.be.a('string');
        const got = numbers(computeFromColumns(columns as EventColumns, OPTIONS));
        expect(got, writer.name).to.deep.equal(expected);
      }
    });
  });

  describe('ByteBuffer', () => {
    const pieces = (n: number, size: number) =>
      Array.from({ length: n }, (_, k) =>
        Uint8Array.from({ length: size }, (_, i) => (k * 7 + i) & 255),
      );
    const joined = (ps: Uint8Array[]) => Uint8Array.from(ps.flatMap((p) => [...p]));

    for (const capacity of [null, 10, 4000, 1 << 16]) {
      it(`keeps every byte in order (capacity ${capacity})`, () => {
        const buffer = new ByteBuffer(capacity);
        const ps = [
          ...pieces(1, 5),
          ...pieces(1, 100),
          ...pieces(3, 1500),
          new Uint8Array(0),
          ...pieces(2, 333),
        ];
        const seen: Uint8Array[] = [];
        for (const p of ps) {
          buffer.push(p);
          seen.push(p);
          expect(buffer.size).to.equal(seen.reduce((n, s) => n + s.length, 0));
          expect([...buffer.bytes()]).to.deep.equal([...joined(seen)]);
        }
      });
    }

    it('no bytes: an empty view', () => {
      expect(new ByteBuffer(100).bytes().length).to.equal(0);
    });
  });
});
