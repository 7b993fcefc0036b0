/**
 * The loading path below the store, each part on its own: the span of loaded columns, columns
 * packed for a worker and unpacked there, the format of a file from its type, name or first
 * bytes, loadEventsFromUrl's columnar path (the bytes handed to the reader, kept in one
 * buffer) and its progress, and the main-thread backend's refusals. Answers come from msw (a
 * service worker in Chromium, msw/node under Node). (Found by mutation testing:
 * `npm run mutate -- store`.)
 */
import { expect } from '@open-wc/testing';
import { HttpResponse, http } from 'msw';
import { parseEvents } from '../../src/engine/parse.js';
import type { EventColumns } from '../../src/engine/types.js';
import {
  EVENTS_FORMATS,
  formatOf,
  loadEventsFromUrl,
  sniffFormat,
  type ReadColumnar,
} from '../../src/store/events-loader.js';
import { Slicer } from '../../src/store/slicing.js';
import { ByteBuffer } from '../../src/store/worker/formats/byte-sink.js';
import { ndjsonSink } from '../../src/store/worker/formats/ndjson.js';
import type { Progress } from '../../src/store/types.js';
import { MainThreadBackend } from '../../src/store/worker/compute-backend.js';
import { packColumns, timeSpan, unpackColumns } from '../../src/store/worker/columns-transfer.js';
import { guardAgainstStrayErrors } from './guard.js';
import { rejection } from './rejection.js';
import { useMsw } from './helpers.js';

const signal = () => new AbortController().signal;

/** A Slicer whose every check is due (budget 0), counting its pauses. */
function countingSlicer(): { slicer: Slicer; pauses: () => number } {
  let n = 0;
  const slicer = new Slicer(
    async () => {
      n++;
    },
    signal(),
    0,
  );
  return { slicer, pauses: () => n };
}

describe('loading below the store', () => {
  guardAgainstStrayErrors();

  describe('timeSpan', () => {
    it('gives the first and last time of unsorted columns, null without rows', () => {
      const rows = [5, -3, 10, 2].map((time) => ({ user: 'u', type: 'page', time }));
      expect(timeSpan(parseEvents(rows))).to.deep.equal({ first: -3, last: 10 });
      expect(timeSpan(parseEvents([{ user: 'u', type: 'page', time: 7 }]))).to.deep.equal({
        first: 7,
        last: 7,
      });
      expect(timeSpan(parseEvents([]))).to.equal(null);
      // Only the filled part counts: a parser's columns are longer than its rows.
      const cols = parseEvents([{ user: 'u', type: 'page', time: -1 }]);
      expect(cols.time.length).to.be.greaterThan(1);
      expect(timeSpan(cols)).to.deep.equal({ first: -1, last: -1 });
    });
  });

  describe('packColumns and unpackColumns', () => {
    const columnsOf = (users: number): EventColumns =>
      parseEvents(
        Array.from({ length: users }, (_, i) => ({
          user: i % 2 === 0 ? `ü${i}` : `\uFEFF𝒰${i}`,
          type: 'open',
          time: i,
        })),
      );

    it('gives back every user id across chunks of 16 384, pausing between chunks', async () => {
      const cols = columnsOf(16_385);
      const users = [...cols.users];
      const { slicer, pauses } = countingSlicer();
      const { packed, transfer } = await packColumns(cols, slicer);
      expect(packed.userText).to.have.length(2);
      expect(pauses()).to.equal(2); // after each chunk
      expect(transfer).to.include(packed.userLengths.buffer);
      const back = unpackColumns(packed);
      expect(back.users).to.deep.equal(users);
      expect(back.users[1]).to.equal('\uFEFF𝒰1'); // a leading BOM kept
      expect(back.length).to.equal(16_385);
    });

    it('makes exactly one chunk of 16 384 ids, and never pauses a slicer that is not due', async () => {
      const cols = columnsOf(16_384);
      let yields = 0;
      const idle = new Slicer(
        async () => {
          yields++;
        },
        signal(),
        1e9,
      );
      const { packed } = await packColumns(cols, idle);
      expect(packed.userText).to.have.length(1);
      expect(yields).to.equal(0);
      expect(unpackColumns(packed).users).to.have.length(16_384);
    });
  });

  describe('formats', () => {
    it('knows the four formats', () => {
      expect(EVENTS_FORMATS).to.deep.equal(['json', 'ndjson', 'arrow', 'parquet']);
    });

    it('formatOf: Arrow and Parquet by extension, the path only, the end of it only', () => {
      const cases: Array<[string, string | null, string | null]> = [
        ['/data/e.arrow', null, 'arrow'],
        ['/data/e.ARROWS', null, 'arrow'],
        ['/data/e.feather?v=1', null, 'arrow'],
        ['https://cdn.test/e.ipc#x', null, 'arrow'],
        ['/data/e.parquet', null, 'parquet'],
        ['/data/e.parq', null, 'parquet'],
        ['/data/e.parquet.gz', null, null],
        ['/data/e.arrow.json', null, null],
        ['/data/e.ndjson.bak', null, null],
        ['/e', ' Application/X-NDJSON ; charset=utf-8', 'ndjson'],
        ['/e', 'application/vnd.apache.arrow.file+zip', null],
        ['/e', 'application/x-parquet2', null],
        ['/e.parquet', 'application/x-ndjson', 'ndjson'], // the media type first
      ];
      for (const [url, type, format] of cases) {
        expect(formatOf(url, type), `${url} ${type}`).to.equal(format);
      }
    });

    it('sniffFormat: the magic at the start only, else a JSON array or NDJSON', () => {
      const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
      expect(sniffFormat(bytes('PAR1\x15\x04'))).to.equal('parquet');
      expect(sniffFormat(bytes('xxPAR1'))).to.equal('ndjson');
      expect(sniffFormat(bytes('ARROW1\0\0'))).to.equal('arrow');
      expect(sniffFormat(bytes('ARROW2\0\0'))).to.equal('ndjson');
      expect(sniffFormat(bytes('\xff\xff\xff\xff\x10\0'))).to.equal('arrow');
      expect(sniffFormat(bytes('\0\0\xff\xff\xff\xff'))).to.equal('ndjson');
      expect(sniffFormat(bytes(' \n [{"a":1}]'))).to.equal('json');
      expect(sniffFormat(bytes('{"a":[1]}'))).to.equal('ndjson');
    });
  });

  describe('loadEventsFromUrl, columnar files', () => {
    const msw = useMsw();
    const COLS = parseEvents([{ user: 'u', type: 'open', time: 1 }]);

    /** A body in chunks, with or without a Content-Length. */
    function chunked(chunks: Uint8Array[], headers: Record<string, string>) {
      return () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              for (const c of chunks) controller.enqueue(c);
              controller.close();
            },
          }),
          { headers },
        );
    }
    const filled = (n: number, from: number) =>
      Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);

    /** A reader that records what it was given and reports rows in two steps. */
    function recordingReader() {
      const seen: Array<{ format: string; bytes: Uint8Array; size: number | null }> = [];
      const read: ReadColumnar = async (format, file) => {
        const parts: Uint8Array[] = [];
        return {
          push: (bytes) => void parts.push(bytes.slice()),
          finish: async (onRows) => {
            const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
            parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
            seen.push({ format, bytes, size: file.size });
            await onRows(1, 2);
            await onRows(2, 2);
            return COLS;
          },
        };
      };
      return { seen, read };
    }

    it('hands every byte of the file to the reader, with the announced length', async () => {
      const parts = [filled(5, 0), filled(3, 5), filled(4, 8)];
      msw.use(
        http.get(
          '/loading/e.arrow',
          chunked(parts, { 'Content-Type': 'application/octet-stream', 'Content-Length': '12' }),
        ),
      );
      const { seen, read } = recordingReader();
      const progress: Progress[] = [];
      const cols = await loadEventsFromUrl('/loading/e.arrow', {
        signal: signal(),
        timeout: 5000,
        onProgress: (p) => progress.push(p),
        readColumnar: read,
      });
      expect(cols).to.equal(COLS);
      expect(seen).to.have.length(1);
      expect(seen[0].format).to.equal('arrow');
      expect(Array.from(seen[0].bytes)).to.deep.equal(Array.from(filled(12, 0)));
      expect(seen[0].size).to.equal(12);
      expect(progress[0]).to.deep.equal({ phase: 'load', done: 0, total: 12 });
      expect(progress).to.deep.include({ phase: 'load', done: 12, total: 12 });
      expect(progress).to.deep.include({ phase: 'parse', done: 1, total: 2 });
      expect(progress.at(-1)).to.deep.equal({ phase: 'parse', done: 2, total: 2 });
    });

    it('hands over a body of unknown length past 1 MiB, and sniffs a split magic', async () => {
      // 'PAR1' comes in pieces of 3 and 2 bytes: the format is known only from byte 8.
      const head = Uint8Array.from('PAR1', (c) => c.charCodeAt(0));
      const body = new Uint8Array(1_300_000);
      body.set(head);
      for (let i = 4; i < body.length; i++) body[i] = i % 253;
      const parts = [body.subarray(0, 3), body.subarray(3, 5), body.subarray(5, 700_000)];
      parts.push(body.subarray(700_000));
      msw.use(
        http.get('/loading/blob', chunked(parts, { 'Content-Type': 'application/octet-stream' })),
      );
      const { seen, read } = recordingReader();
      const progress: Progress[] = [];
      await loadEventsFromUrl('/loading/blob', {
        signal: signal(),
        timeout: 5000,
        onProgress: (p) => progress.push(p),
        readColumnar: read,
      });
      expect(seen[0].format).to.equal('parquet');
      expect(seen[0].size).to.equal(null);
      expect(seen[0].bytes.length).to.equal(body.length);
      expect(seen[0].bytes.every((b, i) => b === body[i])).to.equal(true);
      expect(progress[0]).to.deep.equal({ phase: 'load', done: 0, total: null });
      expect(progress).to.deep.include({ phase: 'load', done: body.length, total: body.length });
    });

    it('reads a body shorter than a magic number once it has ended', async () => {
      msw.use(http.get('/loading/tiny', chunked([Uint8Array.of(0x5b, 0x5d)], {})));
      const cols = await loadEventsFromUrl('/loading/tiny', {
        signal: signal(),
        timeout: 5000,
        onProgress: () => {},
        readColumnar: recordingReader().read,
      });
      expect(cols.length).to.equal(0); // '[]': an empty JSON array
      expect(cols.diagnostics).to.deep.equal({ accepted: 0, rejected: 0, reasons: {} });
    });

    it('pauses a due slicer while an NDJSON body is parsed on the main thread and while a reader reports rows', async () => {
      const line = JSON.stringify({ user: 'u', type: 'page', time: 1 });
      const text = Array.from({ length: 20_000 }, () => line).join('\n'); // ≈ 740 KB
      msw.use(
        http.get('/loading/e.ndjson', () => HttpResponse.text(text)),
        http.get('/loading/e.parquet', chunked([filled(9, 0)], {})),
      );
      const ndjson = countingSlicer();
      const cols = await loadEventsFromUrl('/loading/e.ndjson', {
        signal: signal(),
        timeout: 5000,
        onProgress: () => {},
        slicer: ndjson.slicer,
        readColumnar: async () => ndjsonSink(), // the main thread's reader of NDJSON
      });
      expect(cols.length).to.equal(20_000);
      expect(cols.diagnostics.reasons).to.deep.equal({}); // no bad line, no 'bad-json' key
      expect(ndjson.pauses()).to.be.at.least(3); // ≈ 740 KB in pieces of 256 KB
      const parquet = countingSlicer();
      await loadEventsFromUrl('/loading/e.parquet', {
        signal: signal(),
        timeout: 5000,
        onProgress: () => {},
        slicer: parquet.slicer,
        readColumnar: recordingReader().read,
      });
      expect(parquet.pauses()).to.be.at.least(2); // after each onRows
    });

    it('turns a reader that runs out of memory into a readable sentence with the size read', async () => {
      msw.use(http.get('/loading/big.arrow', chunked([new Uint8Array(2_600_000)], {})));
      const error = await rejection(
        loadEventsFromUrl('/loading/big.arrow', {
          signal: signal(),
          timeout: 5000,
          onProgress: () => {},
          readColumnar: async () => ({
            push: () => {},
            finish: () => Promise.reject(new RangeError('Array buffer allocation failed')),
          }),
        }),
      );
      expect(error.message).to.equal(
        "The events file is too large for this browser's memory (3 MB read)",
      );
    });
  });

  describe('ByteBuffer (a columnar file kept as it downloads)', () => {
    const bytes = (n: number, from: number) =>
      Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);

    it('keeps the bytes in one buffer of the announced size, no larger', () => {
      const buffer = new ByteBuffer(12);
      buffer.push(bytes(5, 0));
      buffer.push(bytes(7, 5));
      const all = buffer.bytes();
      expect(all.byteLength).to.equal(12);
      expect(all.buffer.byteLength).to.equal(12);
      expect(Array.from(all)).to.deep.equal(Array.from(bytes(12, 0)));
    });

    it('grows past 1 MiB when no size is announced, and past a size that was wrong', () => {
      for (const capacity of [null, 3]) {
        const buffer = new ByteBuffer(capacity);
        const parts = [bytes(3, 0), bytes(700_000, 3), bytes(600_000, 700_003)];
        for (const part of parts) buffer.push(part);
        const all = buffer.bytes();
        expect(all.length).to.equal(1_300_003);
        expect(all.every((b, i) => b === i % 251)).to.equal(true);
      }
    });
  });

  describe('MainThreadBackend', () => {
    const msw = useMsw();

    it('says why it reads no columnar file and no batch, and which data it no longer has', async () => {
      msw.use(http.get('/loading/m.arrow', () => new HttpResponse(new Uint8Array(16))));
      const backend = new MainThreadBackend();
      expect(backend.kind).to.equal('main');
      expect(backend.broken).to.equal(false);
      const arrow = await rejection(
        backend.loadUrl('/loading/m.arrow', null, 5000, () => {}, signal()),
      );
      expect(arrow.message).to.equal(
        'Arrow and Parquet files are read in the background worker, which this page cannot start',
      );
      const batch = await rejection(backend.loadBatch());
      expect(batch.message).to.equal(
        'Events as columns are read in the background worker, which this page cannot start',
      );
      const first = await backend.loadColumns(
        parseEvents([{ user: 'a', type: 'open', time: 1 }]),
        signal(),
      );
      const second = await backend.loadColumns(
        parseEvents([{ user: 'b', type: 'open', time: 2 }]),
        signal(),
      );
      expect(second.id).not.to.equal(first.id);
      const options = { range: 1 as const, end: '2026-03-10', timeZone: 'UTC' };
      const stale = await rejection(backend.compute(first.id, options, () => {}, signal()));
      expect(stale.message).to.equal('The events are no longer loaded');
      const report = await backend.compute(second.id, options, () => {}, signal());
      expect(report.diagnostics?.accepted).to.equal(1);
      backend.dispose();
      expect(backend.broken).to.equal(true);
      const gone = await rejection(backend.compute(second.id, options, () => {}, signal()));
      expect(gone.message).to.equal('The events are no longer loaded');
    });
  });
});
