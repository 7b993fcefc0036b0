import { expect } from '@open-wc/testing';
import {
  Dictionary,
  Float64,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer/src/index.js';
import { HttpResponse, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import type { Report } from '../../src/engine/types.js';
import { loadEventsFromUrl, type UrlLoadOptions } from '../../src/store/events-loader.js';
import '../../src/components/source/source.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { Progress } from '../../src/store/types.js';
import { readColumnar } from '../../src/store/worker/columnar.js';
import { JsonArrayReader } from '../../src/store/worker/formats/json-array.js';
import { EventParser } from '../../src/engine/parse.js';
import {
  OPTIONS,
  asObjects,
  expectWorkerReport,
  mixedRows,
  numbers,
  useStores,
  type Row,
} from './columnar-rows.js';
import { guardAgainstStrayErrors } from './guard.js';
import { EVENTS_NDJSON_URL, errorReason, itWithWorkers, readyReport, useMsw } from './helpers.js';

/**
 * events-src over every format it reads: Arrow IPC, Parquet, NDJSON and JSON arrays. The files
 * are made here from the same events (Arrow with apache-arrow's IPC writer, Parquet with
 * hyparquet-writer: nothing binary is committed), served over msw, and each Report must equal
 * computeReport on those events as objects, bad rows included.
 */

function arrowFile(rows: Row[], format: 'file' | 'stream' = 'file', batches = 3): Uint8Array {
  const dict = () => new Dictionary(new Utf8(), new Int32());
  const whole = new Table({
    user: vectorFromArray(
      rows.map((r) => r.user),
      dict(),
    ),
    time: vectorFromArray(
      rows.map((r) => r.time),
      new TimestampMillisecond(),
    ),
    type: vectorFromArray(
      rows.map((r) => r.type),
      dict(),
    ),
    app: vectorFromArray(
      rows.map((r) => r.app),
      dict(),
    ),
    page: vectorFromArray(
      rows.map(() => '/home'),
      new Utf8(),
    ),
  });
  // Several record batches sharing each dictionary (as a file must).
  const size = Math.ceil(rows.length / batches);
  const parts: Table[] = [];
  for (let from = 0; from < rows.length; from += size) parts.push(whole.slice(from, from + size));
  return tableToIPC(new Table(parts.flatMap((t) => t.batches)), format);
}

function parquetFile(rows: Row[], rowGroupSize = 1000): Uint8Array {
  const buffer = parquetWriteBuffer({
    rowGroupSize,
    columnData: [
      { name: 'user', data: rows.map((r) => r.user), type: 'STRING' },
      { name: 'time', data: rows.map((r) => r.time), type: 'TIMESTAMP' },
      { name: 'type', data: rows.map((r) => r.type), type: 'STRING' },
      { name: 'app', data: rows.map((r) => r.app), type: 'STRING' },
    ],
  });
  return new Uint8Array(buffer);
}

function body(bytes: Uint8Array, type: string): HttpResponse<ArrayBuffer> {
  const copy = bytes.slice().buffer;
  return new HttpResponse(copy, {
    headers: { 'Content-Type': type, 'Content-Length': String(copy.byteLength) },
  });
}

/** A Response whose body arrives in chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number, type: string): HttpResponse<ReadableStream> {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return new HttpResponse(stream, { headers: { 'Content-Type': type } });
}

function loaderOptions(progress: Progress[] = []): UrlLoadOptions {
  return {
    signal: new AbortController().signal,
    onProgress: (p) => progress.push(p),
    timeout: 10_000,
    readColumnar,
  };
}

/** The bar's fraction of a progress event within its own phase; null when indeterminate. */
function fraction(p: Progress): number | null {
  return p.total === null ? null : p.done / p.total;
}

describe('events-src formats', () => {
  const msw = useMsw();
  guardAgainstStrayErrors();
  const newStore = useStores();

  const rows = mixedRows(6000, 300, 7);
  const expected = numbers(computeReport(asObjects(rows), OPTIONS));

  it('the sample has bad rows of each kind, and apps', () => {
    expect(expected.diagnostics!.reasons['bad-user']).to.be.greaterThan(10);
    expect(expected.diagnostics!.reasons['bad-type']).to.be.greaterThan(10);
    expect(expected.diagnostics!.reasons['bad-time']).to.be.greaterThan(10);
    expect(expected.totals.activeUsers).to.be.greaterThan(100);
  });

  const cases: Array<[string, string, () => HttpResponse<ArrayBuffer>]> = [
    ['Arrow IPC file', '/f/events.arrow', () => body(arrowFile(rows), 'application/octet-stream')],
    [
      'Arrow IPC stream, by media type',
      '/f/stream',
      () => body(arrowFile(rows, 'stream'), 'application/vnd.apache.arrow.stream'),
    ],
    ['Arrow, sniffed', '/f/arrow-sniffed', () => body(arrowFile(rows), 'application/octet-stream')],
    ['Parquet', '/f/events.parquet', () => body(parquetFile(rows), 'application/octet-stream')],
    [
      'Parquet, sniffed, one row group',
      '/f/pq',
      () => body(parquetFile(rows, 100_000), 'application/octet-stream'),
    ],
  ];
  for (const [name, path, answer] of cases) {
    itWithWorkers(`${name}: read in the worker, numbers equal computeReport`, async () => {
      msw.use(http.get(path, answer));
      await expectWorkerReport(newStore({ eventsSrc: path }), expected);
    });
  }

  itWithWorkers(
    'columns from the page: read in the worker, typed arrays transferred, numbers equal',
    async () => {
      const dictionary = [...new Set(rows.map((r) => r.user))];
      const userCodes = new Int32Array(rows.map((r) => dictionary.indexOf(r.user)));
      const time = new Float64Array(rows.map((r) => r.time ?? NaN));
      const store = newStore({
        columns: {
          length: rows.length,
          user: { codes: userCodes, dictionary },
          time,
          type: rows.map((r) => r.type),
          app: rows.map((r) => r.app),
        },
      });
      const report = await readyReport(store);
      expect(store.computeSite).to.equal('worker');
      expect(numbers(report)).to.deep.equal(expected);
      // Transferred, not copied: the page's arrays are detached.
      expect(time.length).to.equal(0);
      expect(userCodes.length).to.equal(0);
    },
  );

  itWithWorkers(
    'the element: <ua-source>.columns wins over events-src, and a new range recomputes',
    async () => {
      const el = document.createElement('ua-source');
      el.setAttribute('range', '30');
      el.setAttribute('end-date', '2026-03-10');
      el.setAttribute('time-zone', 'UTC');
      el.setAttribute('events-src', '/never/read.ndjson');
      el.columns = {
        length: rows.length,
        user: rows.map((r) => r.user),
        time: new Float64Array(rows.map((r) => r.time ?? NaN)),
        type: rows.map((r) => r.type),
        app: rows.map((r) => r.app),
      };
      const loaded = new Promise<Report>((resolve) =>
        el.addEventListener('report-load', (e) => resolve(e.detail), { once: true }),
      );
      document.body.append(el);
      try {
        expect(numbers(await loaded)).to.deep.equal(expected);
        expect(el.store.mode).to.equal('events');
        el.range = 7;
        await el.updateComplete; // the store is configured in the element's update
        const week = await readyReport(el.store);
        expect(numbers(week)).to.deep.equal(
          numbers(computeReport(asObjects(rows), { ...OPTIONS, range: 7 })),
        );
      } finally {
        el.remove();
      }
    },
  );

  itWithWorkers(
    'events-format names the format when neither media type nor extension does',
    async () => {
      msw.use(http.get('/f/blob', () => body(parquetFile(rows), 'application/octet-stream')));
      const report = await readyReport(newStore({ eventsSrc: '/f/blob', eventsFormat: 'parquet' }));
      expect(numbers(report)).to.deep.equal(expected);
      // The wrong format named: a readable error, not a crash.
      const wrong = newStore({ eventsSrc: '/f/blob', eventsFormat: 'arrow' });
      expect(await errorReason(wrong)).to.match(/^The Arrow file cannot be read/);
    },
  );

  itWithWorkers(
    'times as ISO strings in an Arrow file; a time that is not one is a bad-time row',
    async () => {
      const times = rows.map((r, i) =>
        r.time === null ? (i % 2 ? 'yesterday' : null) : new Date(r.time).toISOString(),
      );
      const table = new Table({
        user: vectorFromArray(
          rows.map((r) => r.user),
          new Utf8(),
        ),
        time: vectorFromArray(times, new Utf8()),
        type: vectorFromArray(
          rows.map((r) => r.type),
          new Utf8(),
        ),
      });
      msw.use(http.get('/f/iso.arrow', () => body(tableToIPC(table), 'application/octet-stream')));
      const objects = rows.map((r, i) => ({ user: r.user, time: times[i], type: r.type }));
      const report = await readyReport(newStore({ eventsSrc: '/f/iso.arrow' }));
      expect(numbers(report)).to.deep.equal(numbers(computeReport(objects, OPTIONS)));
    },
  );

  itWithWorkers(
    'numeric times (double) and numeric users (int32) in Arrow read as in JSON',
    async () => {
      const good = rows.filter((r) => r.user !== null && r.time !== null);
      const table = new Table({
        user: vectorFromArray(
          good.map((r) => Number(r.user!.slice(1))),
          new Int32(),
        ),
        time: vectorFromArray(
          good.map((r) => r.time! + 0.5),
          new Float64(),
        ),
        type: vectorFromArray(
          good.map((r) => r.type),
          new Utf8(),
        ),
      });
      msw.use(http.get('/f/num.arrow', () => body(tableToIPC(table), 'application/octet-stream')));
      const objects = good.map((r) => ({
        user: Number(r.user!.slice(1)),
        time: r.time! + 0.5,
        type: r.type,
      }));
      const report = await readyReport(newStore({ eventsSrc: '/f/num.arrow' }));
      expect(numbers(report)).to.deep.equal(numbers(computeReport(objects, OPTIONS)));
    },
  );

  itWithWorkers(
    'a columnar file without a user, time or type column: an error that names it',
    async () => {
      const table = new Table({ user: vectorFromArray(['a']), type: vectorFromArray(['open']) });
      msw.use(
        http.get('/f/no-time.arrow', () => body(tableToIPC(table), 'application/octet-stream')),
      );
      expect(await errorReason(newStore({ eventsSrc: '/f/no-time.arrow' }))).to.equal(
        'The Arrow file has no "time" column (it needs user, time and type; app is optional)',
      );
    },
  );

  it('NDJSON and a JSON array of the same events, in small chunks, equal computeReport', async () => {
    const objects = asObjects(rows);
    const ndjson = new TextEncoder().encode(objects.map((o) => JSON.stringify(o)).join('\n'));
    // Strings with quotes, commas, brackets and multi-byte characters across chunk edges.
    const tricky = objects.map((o, i) =>
      i % 7 === 0 ? { ...(o as object), page: '/a,"b"]}[{ \\ ☃ 中文' } : o,
    );
    const array = new TextEncoder().encode(JSON.stringify(tricky, null, i(rows.length)));
    msw.use(
      http.get('/f/e.ndjson', () => chunked(ndjson, 1000, 'text/plain')),
      http.get('/f/e.json', () => chunked(array, 777, 'application/json')),
    );
    for (const path of ['/f/e.ndjson', '/f/e.json']) {
      const report = await readyReport(newStore({ eventsSrc: path }));
      expect(numbers(report), path).to.deep.equal(expected);
    }
  });

  itWithWorkers(
    'a gzip-encoded NDJSON file (real HTTP, Content-Encoding: gzip): read, progress determinate and monotonic',
    async () => {
      const progress: Progress[] = [];
      const cols = await loadEventsFromUrl(`/__gzip${EVENTS_NDJSON_URL}`, loaderOptions(progress));
      expect(cols.diagnostics.accepted).to.equal(13);
      const loads = progress.filter((p) => p.phase === 'load');
      expect(loads.every((p) => p.total !== null)).to.equal(true);
      checkMonotonic(progress);
    },
  );

  describe('a file cut short: an error that says so', () => {
    const cut = (bytes: Uint8Array) => bytes.slice(0, Math.floor(bytes.length * 0.6));
    const objects = asObjects(rows.slice(0, 200));
    const truncated: Array<[string, string, () => Uint8Array, RegExp]> = [
      [
        'Arrow',
        '/t/e.arrow',
        () => cut(arrowFile(rows.slice(0, 200))),
        /^The Arrow file cannot be read \(.*\); is it truncated\?$/,
      ],
      [
        'Parquet',
        '/t/e.parquet',
        () => cut(parquetFile(rows.slice(0, 200))),
        /^The Parquet file is truncated \(it does not end with its footer\)$/,
      ],
      [
        'a JSON array',
        '/t/e.json',
        () => cut(new TextEncoder().encode(JSON.stringify(objects))),
        /^The events file is truncated: its JSON array is not closed \(the file ends after byte \d+\)$/,
      ],
      [
        'NDJSON',
        '/t/e.ndjson',
        () => cut(new TextEncoder().encode(objects.map((o) => JSON.stringify(o)).join('\n'))),
        /^The events file is truncated: its last line is not complete JSON/,
      ],
    ];
    for (const [name, path, bytes, reason] of truncated) {
      // Arrow and Parquet are read in the worker only; the text formats also on the main thread.
      const test = name === 'Arrow' || name === 'Parquet' ? itWithWorkers : it;
      test(name, async () => {
        msw.use(http.get(path, () => body(bytes(), 'application/octet-stream')));
        expect(await errorReason(newStore({ eventsSrc: path }))).to.match(reason);
      });
    }

    it('invalid JSON inside an array: the byte where it is', async () => {
      const text = '[{"user":"a","type":"open","time":1},\n {"user": nope}]';
      msw.use(http.get('/t/bad.json', () => HttpResponse.text(text)));
      expect(await errorReason(newStore({ eventsSrc: '/t/bad.json' }))).to.equal(
        'The events file is not valid JSON (at byte 39)',
      );
    });
  });

  describe("the reader's chunk starts loading before the first bytes", () => {
    /** What preloadColumnar was asked, and whether the answer had come when it was. */
    const hints = (path: string) => {
      const seen: Array<{ format: string; answered: boolean }> = [];
      let answered = false;
      msw.use(
        http.get(path, () => {
          answered = true;
          return body(parquetFile(rows), 'application/vnd.apache.parquet');
        }),
      );
      const done = loadEventsFromUrl(path, {
        ...loaderOptions(),
        preloadColumnar: (format) => seen.push({ format, answered }),
      });
      return { seen, done };
    };

    it('from the extension: before the request is answered', async () => {
      const { seen, done } = hints('/h/events.parquet');
      expect(seen).to.deep.equal([{ format: 'parquet', answered: false }]);
      expect((await done).length).to.equal(expected.diagnostics!.accepted);
    });

    it('from the media type: as the answer starts, before its body is read', async () => {
      const { seen, done } = hints('/h/blob');
      expect(seen).to.deep.equal([]);
      const cols = await done;
      expect(seen).to.deep.equal([{ format: 'parquet', answered: true }]);
      expect(cols.length).to.equal(expected.diagnostics!.accepted);
    });
  });

  describe('progress', () => {
    it('Arrow with Content-Length: load then parse, each determinate, the bar never back', async () => {
      const bytes = arrowFile(rows, 'file', 6);
      msw.use(http.get('/p/e.arrow', () => body(bytes, 'application/octet-stream')));
      const progress: Progress[] = [];
      await loadEventsFromUrl('/p/e.arrow', loaderOptions(progress));
      expect(progress.every((p) => p.total !== null)).to.equal(true);
      expect(progress.at(-1)).to.deep.equal({ phase: 'parse', done: 6000, total: 6000 });
      expect(progress.filter((p) => p.phase === 'parse').length).to.be.greaterThan(1);
      checkMonotonic(progress);
    });

    it('NDJSON with Content-Length: determinate from the first event, monotonic', async () => {
      const text = asObjects(rows)
        .map((o) => JSON.stringify(o))
        .join('\n');
      const bytes = new TextEncoder().encode(text);
      msw.use(http.get('/p/e.ndjson', () => body(bytes, 'application/x-ndjson')));
      const progress: Progress[] = [];
      await loadEventsFromUrl('/p/e.ndjson', loaderOptions(progress));
      expect(progress[0]).to.deep.equal({ phase: 'load', done: 0, total: bytes.length });
      expect(progress.every((p) => p.total !== null)).to.equal(true);
      checkMonotonic(progress);
    });
  });

  describe("the one bar of a load (the store's overall progress)", () => {
    const bars = (store: MetricsStore) => {
      const seen: Array<number | null> = [];
      store.subscribe(() => {
        const r = store.report;
        if (r.status === 'loading' && r.progress !== null) seen.push(r.progress.overall ?? null);
      });
      return seen;
    };
    for (const [name, path, answer] of [
      ['Parquet', '/b/e.parquet', () => body(parquetFile(rows, 500), 'application/octet-stream')],
      [
        'NDJSON',
        '/b/e.ndjson',
        () =>
          body(
            new TextEncoder().encode(
              asObjects(rows)
                .map((o) => JSON.stringify(o))
                .join('\n'),
            ),
            'application/x-ndjson',
          ),
      ],
    ] as const) {
      const test = name === 'Parquet' ? itWithWorkers : it; // Parquet: in the worker only
      test(`${name} with Content-Length: determinate throughout, never back, ends computing`, async () => {
        msw.use(http.get(path, answer));
        const store = newStore({ eventsSrc: path });
        const seen = bars(store);
        await readyReport(store);
        expect(seen.length).to.be.greaterThan(2);
        expect(seen.every((v) => v !== null)).to.equal(true);
        for (let k = 1; k < seen.length; k++) expect(seen[k]!).to.be.at.least(seen[k - 1]!);
        expect(seen.at(-1)).to.equal(0.95); // the computation's step
      });
    }

    itWithWorkers(
      'a total that is unknown: indeterminate, not 0 %, until one is known',
      async () => {
        const bytes = arrowFile(rows);
        msw.use(http.get('/b/e.arrow', () => chunked(bytes, 4096, 'application/octet-stream')));
        const store = newStore({ eventsSrc: '/b/e.arrow' });
        const seen = bars(store);
        await readyReport(store);
        expect(seen[0]).to.equal(null);
        const first = seen.findIndex((v) => v !== null);
        expect(seen.slice(first).every((v) => v !== null)).to.equal(true);
      },
    );
  });

  it('a JSON array larger than the old one-string limit is read as a stream', async function () {
    // 600 M characters: over V8's maximum string length (2^29 − 24 ≈ 537 M), which the
    // old `join('') + JSON.parse` could never pass. The same 1 MB of events is pushed again
    // and again (no 600 MB buffer is ever made); the reader holds one chunk at a time.
    this.timeout(120_000);
    const event = '{"user":"u1","type":"page","time":1772000000000,"app":"mini"}';
    const perChunk = Math.floor(1_000_000 / (event.length + 1));
    const chunk = new TextEncoder().encode(`${event},`.repeat(perChunk));
    const parser = new EventParser(1 << 20);
    const reader = new JsonArrayReader(parser);
    reader.push(new TextEncoder().encode('['));
    let bytes = 1;
    while (bytes < 600_000_000) {
      reader.push(chunk);
      bytes += chunk.length;
    }
    reader.push(new TextEncoder().encode(`${event}]`));
    reader.finish();
    const cols = parser.finish();
    expect(bytes).to.be.greaterThan(2 ** 29);
    expect(cols.diagnostics.rejected).to.equal(0);
    expect(cols.length).to.equal(Math.floor((bytes - 1) / chunk.length) * perChunk + 1);
    expect(cols.users).to.deep.equal(['u1']);
  });
});

/** Two-space indent for a pretty-printed array when it is small, none otherwise. */
function i(n: number): number | undefined {
  return n < 10_000 ? 2 : undefined;
}

/**
 * Phases come in order (load, then parse, then compute) and within a phase the fraction of a
 * known total never falls: a bar that follows them never goes back.
 */
function checkMonotonic(progress: Progress[]): void {
  const order = ['load', 'parse', 'compute'];
  for (let k = 1; k < progress.length; k++) {
    const a = progress[k - 1];
    const b = progress[k];
    const pa = order.indexOf(a.phase);
    const pb = order.indexOf(b.phase);
    expect(pb, JSON.stringify([a, b])).to.be.at.least(pa);
    if (pa === pb && fraction(a) !== null && fraction(b) !== null) {
      expect(fraction(b)!, JSON.stringify([a, b])).to.be.at.least(fraction(a)!);
    }
  }
}
