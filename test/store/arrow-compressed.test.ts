import { expect } from '@open-wc/testing';
import { computeReport } from '../../src/engine/compute.js';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import '../../src/components/source/source.js';
import type { UaSource } from '../../src/components/source/source.js';
import {
  CompressionType,
  Dictionary,
  Int32,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Table,
  tableFromIPC,
  TimestampMillisecond,
  Utf8,
  compressionRegistry,
  vectorFromArray,
} from 'apache-arrow';
import { CODECS } from '../../src/store/worker/formats/arrow-codecs.js';
import { ArrowFramer, type Framed } from '../../src/store/worker/formats/arrow-framer.js';
import { isPlainType, type ArrowData } from '../../src/store/worker/formats/arrow-types.js';
import { DEFAULTS, encodeFrame } from './lz4-encoder.js';
import { clickHouseEvents, fetchBytes, numbers } from './columnar-rows.js';
import { guardAgainstStrayErrors } from './guard.js';
import { itWithWorkers } from './helpers.js';

/**
 * Arrow IPC with compressed bodies, as ClickHouse writes it (test/fixtures/arrow/, made by chDB:
 * scripts/arrow-fixtures.mjs): LZ4 frames (its default) and zstd, file and stream, dictionary
 * batches (with deltas) and plain strings, through `<ua-source events-src>` in the worker; each
 * Report equals computeReport over the same events as chDB wrote them to NDJSON. A cut file and
 * a corrupt compressed buffer give errors that say so.
 */

const FIXTURES = '/test/fixtures/arrow';
const lz4 = CODECS.find(([type]) => type === CompressionType.LZ4_FRAME)![1];
const OPTIONS: ReportOptions = { range: 30, end: '2026-11-01', timeZone: 'UTC' };

/** [file, compression type (apache-arrow's: LZ4_FRAME 0, ZSTD 1), dictionary batches]. */
const FILES: Array<[string, number, boolean]> = [
  ['events-lz4.arrow', 0, true],
  ['events-lz4.arrows', 0, false],
  ['events-zstd.arrow', 1, false],
  ['events-zstd.arrows', 1, true],
  ['events-iso-lz4.arrow', 0, false],
];

/** A `<ua-source>` over `src` in OPTIONS; its first report-load or report-error. */
async function load(
  src: string,
  format?: string,
): Promise<{ el: UaSource; result: Report | string }> {
  const el = document.createElement('ua-source');
  el.setAttribute('range', String(OPTIONS.range));
  el.setAttribute('end-date', OPTIONS.end!);
  el.setAttribute('time-zone', OPTIONS.timeZone!);
  if (format) el.setAttribute('events-format', format);
  el.setAttribute('events-src', src);
  const result = new Promise<Report | string>((resolve) => {
    el.addEventListener('report-load', (e) => resolve(e.detail), { once: true });
    el.addEventListener('report-error', (e) => resolve(e.detail.reason), { once: true });
  });
  document.body.append(el);
  return { el, result: await result };
}

function recordBatch(f: Framed) {
  return f.message.isRecordBatch() ? f.message.header() : null;
}

function dictionaryBatch(f: Framed) {
  return f.message.isDictionaryBatch() ? f.message.header() : null;
}

/** The body of a framed message, and where its buffer `index` is in it. */
function buffer(framed: Framed, index: number): { offset: number; length: number } {
  const body = framed.bytes.length - framed.message.bodyLength;
  const header = framed.message.header() as { buffers: Array<{ offset: number; length: number }> };
  const { offset, length } = header.buffers[index];
  return { offset: body + offset, length };
}

/**
 * The file with the first record batch's first compressed buffer changed by `change` (its
 * bytes after the 8-byte length prefix), as a blob: URL.
 */
function damaged(bytes: Uint8Array<ArrayBuffer>, change: (buffer: Uint8Array) => void): string {
  const copy = bytes.slice();
  // The framer's messages are views of `copy` (one chunk): a change to them changes the file.
  const batch = new ArrowFramer().push(copy).find((f) => f.message.isRecordBatch())!;
  const index = recordBatch(batch)!.buffers.findIndex((b) => b.length > 8);
  const { offset, length } = buffer(batch, index);
  change(new Uint8Array(copy.buffer, batch.bytes.byteOffset + offset + 8, length - 8));
  return URL.createObjectURL(new Blob([copy]));
}

describe('events-src: compressed Arrow IPC (LZ4 frame, zstd) written by ClickHouse', () => {
  guardAgainstStrayErrors();
  let events: unknown[];
  let expected: ReturnType<typeof numbers>;
  const sources: UaSource[] = [];
  before(async () => {
    events = await clickHouseEvents();
    expected = numbers(computeReport(events, OPTIONS));
  });
  afterEach(() => {
    for (const el of sources.splice(0)) el.remove();
  });

  itWithWorkers('is accessible (the source has no UI of its own)', async () => {
    const { el } = await load(`${FIXTURES}/events-lz4.arrow`);
    sources.push(el);
    await expect(el).to.be.accessible();
  });

  it('the reference events have bad rows of each kind, two apps and app-less rows', () => {
    const reasons = expected.diagnostics!.reasons;
    expect(events.length).to.equal(2000);
    expect(reasons['bad-user']).to.be.greaterThan(10);
    expect(reasons['bad-type']).to.be.greaterThan(10);
    expect(reasons['bad-time']).to.be.greaterThan(10);
    expect(expected.totals.activeUsers).to.be.greaterThan(100);
    const apps = new Set(events.map((e) => (e as { app: string | null }).app));
    expect([...apps]).to.have.members(['wx-mall', 'h5-news', null]);
  });

  for (const [file, type, dictionaries] of FILES) {
    it(`${file}: really compressed (${type === 0 ? 'LZ4 frame' : 'zstd'}), several batches`, async () => {
      const framed = new ArrowFramer().push(await fetchBytes(`${FIXTURES}/${file}`));
      const batches = framed.map(recordBatch).filter((b) => b !== null);
      const dicts = framed.map(dictionaryBatch).filter((d) => d !== null);
      expect(batches.length).to.equal(3);
      expect(dicts.length > 0).to.equal(dictionaries);
      for (const b of batches) expect(b.compression?.type).to.equal(type);
      for (const d of dicts) expect(d.data.compression?.type).to.equal(type);
      if (dictionaries) expect(dicts.some((d) => d.isDelta)).to.equal(true);
    });

    itWithWorkers(`${file} via <ua-source events-src>: numbers equal computeReport`, async () => {
      const { el, result } = await load(`${FIXTURES}/${file}`);
      sources.push(el);
      expect(result, String(result)).to.not.be.a('string');
      expect(numbers(result as Report)).to.deep.equal(expected);
      expect(el.store.computeSite).to.equal('worker');
    });
  }

  itWithWorkers('a range change recomputes from the same columns', async () => {
    const { el } = await load(`${FIXTURES}/events-zstd.arrows`);
    sources.push(el);
    const week = new Promise<Report>((resolve) =>
      el.addEventListener('report-load', (e) => resolve(e.detail), { once: true }),
    );
    el.range = 7;
    expect(numbers(await week)).to.deep.equal(
      numbers(computeReport(events, { ...OPTIONS, range: 7 })),
    );
  });

  itWithWorkers(
    'LZ4 written by apache-arrow (its length prefix is the compressed one; -1 where compression does not pay): file and stream',
    async () => {
      // The page's apache-arrow only (the worker has its own): an encoder for its writer.
      compressionRegistry.set(CompressionType.LZ4_FRAME, {
        encode: (data) => encodeFrame(data, DEFAULTS),
        decode: (data) => lz4.decode(data),
      });
      type Event = { user: string | null; time: number | null; type: string; app: string | null };
      const rows = events as Event[];
      const dict = () => new Dictionary(new Utf8(), new Int32());
      const column = <K extends keyof Event>(k: K) => rows.map((r) => r[k]);
      const table = new Table({
        user: vectorFromArray(column('user'), new Utf8()),
        time: vectorFromArray(column('time'), new TimestampMillisecond()),
        type: vectorFromArray(column('type'), dict()),
        app: vectorFromArray(column('app'), dict()),
      });
      const options = { compressionType: CompressionType.LZ4_FRAME };
      for (const writer of [RecordBatchFileWriter, RecordBatchStreamWriter]) {
        const bytes = writer.writeAll(table, options).toUint8Array(true).slice();
        const framed = new ArrowFramer().push(bytes);
        expect(framed.some((f) => recordBatch(f)?.compression?.type === 0)).to.equal(true);
        const url = URL.createObjectURL(new Blob([bytes]));
        const { el, result } = await load(url, 'arrow');
        sources.push(el);
        expect(result, String(result)).to.not.be.a('string');
        expect(numbers(result as Report)).to.deep.equal(expected);
      }
    },
  );

  it("decompressed buffers reach the kit's own readers (arrow-data.ts), not apache-arrow's get(i)", async () => {
    // The page's apache-arrow with the worker's codecs: the Data the worker's reader gets.
    for (const [type, codec] of CODECS) compressionRegistry.set(type, codec);
    for (const [file] of FILES) {
      const table = tableFromIPC(await fetchBytes(`${FIXTURES}/${file}`));
      expect(table.batches.length, file).to.equal(3);
      for (const batch of table.batches)
        for (const name of ['user', 'time', 'type', 'app']) {
          const data = batch.getChild(name)!.data[0] as unknown as ArrowData;
          expect(isPlainType(data), `${file} ${name}`).to.equal(true);
        }
    }
  });

  itWithWorkers('a compressed file cut short: the error says it is truncated', async () => {
    const bytes = await fetchBytes(`${FIXTURES}/events-lz4.arrow`);
    const url = URL.createObjectURL(new Blob([bytes.slice(0, Math.floor(bytes.length * 0.6))]));
    const { el, result } = await load(url, 'arrow');
    sources.push(el);
    expect(result).to.match(/^The Arrow file cannot be read \(.*\); is it truncated\?$/);
  });

  const corrupt: Array<[string, string, (b: Uint8Array) => void, RegExp]> = [
    [
      'an LZ4 frame cut inside (its first block longer than the buffer)',
      'events-lz4.arrows',
      (b) => b.set([0xff, 0xff, 0x00, 0x00], 7),
      /^The Arrow file cannot be read: a compressed buffer cannot be decoded \(LZ4 frame: a block ends past the end of the buffer\)$/,
    ],
    [
      'an LZ4 frame whose magic number is gone',
      'events-lz4.arrow',
      (b) => b.fill(0, 0, 4),
      /^The Arrow file cannot be read: a compressed buffer cannot be decoded \(LZ4 frame: no frame's magic number at byte 0\)$/,
    ],
    [
      'a zstd frame whose magic number is gone',
      'events-zstd.arrow',
      (b) => b.fill(0, 0, 4),
      /^The Arrow file cannot be read: a compressed buffer cannot be decoded \(zstd: .+\)$/,
    ],
  ];
  for (const [name, file, change, reason] of corrupt) {
    itWithWorkers(`${name}: a clear error, no report`, async () => {
      const url = damaged(await fetchBytes(`${FIXTURES}/${file}`), change);
      const { el, result } = await load(url, 'arrow');
      sources.push(el);
      expect(result).to.match(reason);
    });
  }
});
