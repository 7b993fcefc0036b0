import { expect } from '@open-wc/testing';
import { parquetWriteBuffer } from 'hyparquet-writer/src/index.js';
import { HttpResponse, http } from 'msw';
import { computeFromColumns, computeReport } from '../../src/engine/compute.js';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import '../../src/components/source/source.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { StoreConfig } from '../../src/store/types.js';
import { parquetSink } from '../../src/store/worker/formats/parquet.js';
import { guardAgainstStrayErrors } from './guard.js';
import { mixedRows, type Row } from './columnar-rows.js';
import { itWithWorkers, readyReport, useMsw } from './helpers.js';

/**
 * A Parquet file read while it downloads: the worker fetches its footer first by a range
 * request (bytes=a-b, as static hosts answer it), then reads each row group as soon as its
 * bytes are in. A server without ranges, or a file that changed between the two requests,
 * falls back to reading the whole file at the end; the numbers are the same every way.
 */

const OPTIONS: ReportOptions = { range: 30, end: '2026-03-10', timeZone: 'UTC' };
const OPTIONS_CONFIG: Partial<StoreConfig> = { range: 30, end: '2026-03-10', timeZone: 'UTC' };

function parquetFile(rows: Row[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    rowGroupSize: 10_000,
    codec: 'UNCOMPRESSED',
    columnData: [
      { name: 'user', data: rows.map((r) => r.user), type: 'STRING', encoding: 'RLE_DICTIONARY' },
      { name: 'time', data: rows.map((r) => r.time), type: 'TIMESTAMP' },
      { name: 'type', data: rows.map((r) => r.type), type: 'STRING', encoding: 'RLE_DICTIONARY' },
      { name: 'app', data: rows.map((r) => r.app), type: 'STRING', encoding: 'RLE_DICTIONARY' },
    ],
  });
  return new Uint8Array(buffer);
}

function numbers(r: Report) {
  const { totals, previousTotals, growth, series, previousSeries, diagnostics } = r;
  return { totals, previousTotals, growth, series, previousSeries, diagnostics };
}

const asObjects = (rows: Row[]) =>
  rows.map((r) => (r.app === null ? { user: r.user, time: r.time, type: r.type } : r));

/**
 * An msw answer with `bytes`, and to a range request with the range of `ranged` (default the
 * same bytes: another file stands for one that changed in between); ranges asked are logged.
 */
function served(bytes: Uint8Array, ranges: string[] | null, ranged = bytes) {
  return ({ request }: { request: Request }) => {
    const asked = request.headers.get('range');
    const m = /^bytes=(\d+)-(\d+)$/.exec(asked ?? '');
    if (ranges !== null && m) {
      ranges.push(asked!);
      const part = ranged.slice(+m[1], +m[2] + 1);
      return new HttpResponse(part.buffer, {
        status: 206,
        headers: {
          'Content-Length': String(part.length),
          'Content-Range': `bytes ${m[1]}-${m[2]}/${ranged.length}`,
        },
      });
    }
    return new HttpResponse(bytes.slice().buffer, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.length),
      },
    });
  };
}

describe('Parquet read while it downloads (footer by a range request)', () => {
  const msw = useMsw();
  guardAgainstStrayErrors();
  const stores: MetricsStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });

  const rows = mixedRows(120_000, 5000, 3);
  const file = parquetFile(rows);
  const expected = numbers(computeReport(asObjects(rows), OPTIONS));
  const other = parquetFile(mixedRows(120_000, 5000, 4));

  it('the file is large enough to be streamed (over 512 KB, 12 row groups)', () => {
    expect(file.length).to.be.greaterThan(512 * 1024);
    expect(other.length).to.be.greaterThan(file.length - 262_144); // a tail to stand in
  });

  /** Feeds the file to a sink in 64-KB pieces once its footer came; the rows of each onRows. */
  async function throughSink(url: string, bytes: Uint8Array, ranges: string[]) {
    const sink = parquetSink({ url, size: bytes.length, signal: new AbortController().signal });
    for (let i = 0; i < 100 && ranges.length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // the footer read, its reader opened
    for (let at = 0; at < bytes.length; at += 65_536) sink.push(bytes.subarray(at, at + 65_536));
    const seen: number[] = [];
    const columns = await sink.finish(async (done) => {
      seen.push(done);
    });
    return { report: computeFromColumns(columns, OPTIONS), seen };
  }

  it('with ranges: every row group read as its bytes came, before the end; numbers equal', async () => {
    const ranges: string[] = [];
    msw.use(http.get('/s/ranged.parquet', served(file, ranges)));
    const { report, seen } = await throughSink('/s/ranged.parquet', file, ranges);
    expect(ranges).to.deep.equal([`bytes=${file.length - 262_144}-${file.length - 1}`]);
    expect(seen).to.deep.equal([rows.length]); // all read during the download
    expect(numbers(report)).to.deep.equal(expected);
  });

  it('a file that changed between the two requests is read again from its own bytes', async () => {
    const ranges: string[] = [];
    msw.use(http.get('/s/changed.parquet', served(file, ranges, other)));
    const { report, seen } = await throughSink('/s/changed.parquet', file, ranges);
    expect(ranges.length).to.equal(1);
    expect(seen.length).to.equal(12); // each row group at the end
    expect(numbers(report)).to.deep.equal(expected);
  });

  it('a changed file whose footer still reads this one is read again, not trusted', async () => {
    // The footer fetched first is another file's whose row groups sit where this file's first
    // 11 do (the same export, one row group shorter). Read with it, this file's bytes parse
    // cleanly but its twelfth row group is never read: only the end-of-download comparison of
    // the footer with the file's own last bytes catches that.
    const shorter = parquetFile(rows.slice(0, 110_000));
    expect(file.subarray(0, 4096)).to.deep.equal(shorter.subarray(0, 4096)); // same layout
    const ranged = new Uint8Array(file.length);
    ranged.set(shorter, file.length - shorter.length);
    const ranges: string[] = [];
    msw.use(http.get('/s/shorter-footer.parquet', served(file, ranges, ranged)));
    const { report, seen } = await throughSink('/s/shorter-footer.parquet', file, ranges);
    expect(ranges.length).to.equal(1);
    expect(seen.length).to.equal(12); // every row group read again at the end
    expect(numbers(report)).to.deep.equal(expected);
  });

  itWithWorkers(
    "the store's one bar over a streamed file: determinate throughout, never back",
    async () => {
      const ranges: string[] = [];
      msw.use(http.get('/s/bar.parquet', served(file, ranges)));
      const store = new MetricsStore({ ...OPTIONS_CONFIG, eventsSrc: '/s/bar.parquet' });
      stores.push(store);
      const seen: Array<number | null> = [];
      store.subscribe(() => {
        const r = store.report;
        if (r.status === 'loading' && r.progress !== null) seen.push(r.progress.overall ?? null);
      });
      expect(numbers(await readyReport(store))).to.deep.equal(expected);
      expect(ranges.length).to.equal(1);
      expect(seen.length).to.be.greaterThan(2);
      expect(seen.every((v) => v !== null)).to.equal(true);
      for (let k = 1; k < seen.length; k++) expect(seen[k]!).to.be.at.least(seen[k - 1]!);
      expect(seen.at(-1)).to.equal(0.95); // the computation's step
    },
  );

  const servers: Array<[string, string[] | null, Uint8Array]> = [
    ['a server that answers ranges', [], file],
    ['a server without ranges (200, the whole file)', null, file],
    ['a file changed in between', [], other],
  ];
  for (const [name, ranges, ranged] of servers) {
    itWithWorkers(`<ua-source events-src>, ${name}: numbers equal computeReport`, async () => {
      const path = `/s/${name.length}.parquet`;
      msw.use(http.get(path, served(file, ranges, ranged)));
      const store = new MetricsStore({ ...OPTIONS_CONFIG, eventsSrc: path });
      stores.push(store);
      expect(numbers(await readyReport(store))).to.deep.equal(expected);
      if (ranges !== null) expect(ranges.length).to.equal(1);
    });
  }
});
