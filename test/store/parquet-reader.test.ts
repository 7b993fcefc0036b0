import { expect } from '@open-wc/testing';
import { parquetWriteBuffer } from 'hyparquet-writer/src/index.js';
import { computeFromColumns, computeReport } from '../../src/engine/compute.js';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import { readParquet } from '../../src/store/worker/formats/parquet.js';
import { numbers } from './columnar-rows.js';
import { random } from './helpers.js';

/**
 * The worker's Parquet reader in Chromium on the page layouts its fast paths take apart:
 * dictionary-encoded columns read as codes (one page or several, with nulls), strings written
 * PLAIN (no dictionary), times as DELTA_BINARY_PACKED, uncompressed pages, UTF-8 beyond ASCII
 * in a dictionary. Numbers equal computeReport on the same events as objects, bad rows
 * included. (DuckDB's files, zstd and v2 pages: test/server/parquet-reader.node.ts.)
 */

const OPTIONS: ReportOptions = { range: 30, end: '2026-03-10', timeZone: 'UTC' };

interface Row {
  user: string | null;
  time: number | null;
  type: string;
  app: string | null;
}

function sampleRows(n: number): Row[] {
  const rnd = random(21);
  const end = Date.UTC(2026, 2, 11);
  const types = ['open', 'page', 'page', 'hide'];
  const names = ['u', 'ü', '用户', 'u😀'];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    rows.push({
      user: r < 0.01 ? null : `${names[i % 4]}${Math.floor(rnd() * 300)}`,
      time: r > 0.99 ? null : Math.floor(end - rnd() * 40 * 86_400_000),
      type: r > 0.01 && r < 0.02 ? 'click' : types[Math.floor(rnd() * types.length)],
      app: rnd() < 0.05 ? null : rnd() < 0.6 ? 'mini' : 'h5',
    });
  }
  return rows;
}

type Encoding = 'PLAIN' | 'RLE_DICTIONARY' | 'DELTA_BINARY_PACKED';

interface Layout {
  strings?: Encoding;
  time?: Encoding;
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
  pageSize?: number;
  rowGroupSize?: number;
}

function parquetFile(rows: Row[], layout: Layout): Uint8Array {
  const strings = layout.strings ?? 'RLE_DICTIONARY';
  const buffer = parquetWriteBuffer({
    rowGroupSize: layout.rowGroupSize ?? 2500,
    pageSize: layout.pageSize,
    codec: layout.codec,
    columnData: [
      { name: 'user', data: rows.map((r) => r.user), type: 'STRING', encoding: strings },
      { name: 'time', data: rows.map((r) => r.time), type: 'TIMESTAMP', encoding: layout.time },
      { name: 'type', data: rows.map((r) => r.type), type: 'STRING', encoding: strings },
      { name: 'app', data: rows.map((r) => r.app), type: 'STRING', encoding: strings },
      { name: 'page', data: rows.map(() => '/home'), type: 'STRING' },
    ],
  });
  return new Uint8Array(buffer);
}

async function reportOf(bytes: Uint8Array): Promise<Report> {
  return computeFromColumns(await readParquet(bytes, async () => {}), OPTIONS);
}

describe('the Parquet reader (worker chunk) on each page layout', () => {
  const rows = sampleRows(8000);
  const objects = rows.map((r) =>
    r.app === null ? { user: r.user, time: r.time, type: r.type } : r,
  );
  const expected = numbers(computeReport(objects, OPTIONS));

  it('the sample has bad rows of each kind', () => {
    const reasons = expected.diagnostics!.reasons;
    expect(reasons['bad-user']).to.be.greaterThan(10);
    expect(reasons['bad-type']).to.be.greaterThan(10);
    expect(reasons['bad-time']).to.be.greaterThan(10);
  });

  const layouts: Array<[string, Layout]> = [
    ['dictionary strings, one page per row group', {}],
    ['dictionary strings over several small pages', { pageSize: 2000 }],
    ['PLAIN strings (no dictionary)', { strings: 'PLAIN' }],
    ['DELTA_BINARY_PACKED times', { time: 'DELTA_BINARY_PACKED' }],
    ['uncompressed pages', { codec: 'UNCOMPRESSED', pageSize: 4000 }],
    ['one row group of everything', { rowGroupSize: 100_000 }],
  ];
  for (const [name, layout] of layouts) {
    it(`${name}: numbers equal computeReport`, async () => {
      expect(numbers(await reportOf(parquetFile(rows, layout)))).to.deep.equal(expected);
    });
  }

  it('UTF-8 users beyond ASCII keep their exact text', async () => {
    const columns = await readParquet(parquetFile(rows, {}), async () => {});
    const users = new Set(rows.flatMap((r) => (r.user === null ? [] : [r.user])));
    expect(columns.users.filter((u) => !users.has(u))).to.deep.equal([]);
    for (const prefix of ['ü', '用户', 'u😀']) {
      expect(columns.users.some((u) => u.startsWith(prefix))).to.equal(true, prefix);
    }
  });
});
