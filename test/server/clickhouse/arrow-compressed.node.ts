/**
 * Compressed Arrow as ClickHouse writes it, in record batches large enough that each column's
 * LZ4 frame has several linked 64 KB blocks (and zstd frames of several blocks), read by
 * `ua-kit serve`'s Arrow reader (src/server/arrow.ts, the worker's codecs): every row equal to
 * what chDB itself reads back from the same file. The small committed fixtures
 * (test/fixtures/arrow/) hold one block per buffer; these are made here, never committed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { arrowBatches } from '../../../src/server/arrow.js';
import { rowsOfBatch } from '../../../src/server/columns.js';
import { ArrowFramer } from '../../../src/store/worker/formats/arrow-framer.js';
import { newSession } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ua-kit-arrow-z-'));
const session = newSession();
after(() => {
  session.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 150_000;
/** Users, times (a null now and then), types and apps; 100 000 rows a record batch. */
const SELECT = `SELECT
    if(number % 1009 = 0, NULL, concat('user-', toString(cityHash64(number % 5000) % 100000))) AS user,
    if(number % 997 = 0, NULL, toInt64(1790000000000 + number * 977 + cityHash64(number) % 1000)) AS time,
    ['open', 'page', 'page', 'hide', 'crash'][number % 5 + 1] AS type,
    if(number % 7 = 0, NULL, concat('app-', toString(number % 3))) AS app
  FROM numbers(${ROWS})`;

function write(path: string, format: string, method: string, dictionary: boolean): void {
  const strings = dictionary
    ? 'toLowCardinality(user) AS user, time, toLowCardinality(type) AS type, toLowCardinality(app) AS app'
    : '*';
  session.query(
    `INSERT INTO FUNCTION file('${path}', ${format}) SELECT ${strings} FROM (${SELECT})
     SETTINGS max_block_size = 100000, min_insert_block_size_rows = 100000, min_insert_block_size_bytes = 0,
       max_threads = 1, output_format_arrow_compression_method = '${method}',
       output_format_arrow_low_cardinality_as_dictionary = ${dictionary ? 1 : 0}`,
    'CSV',
  );
}

/** The rows as chDB reads the file back: [user, time, type, app], nulls as null. */
function chdbRows(path: string, format: string): unknown[] {
  const text = session.query(
    `SELECT user, time, type, app FROM file('${path}', ${format})
     SETTINGS output_format_json_quote_64bit_integers = 0`,
    'JSONCompactEachRow',
  );
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

describe('compressed Arrow from ClickHouse, multi-block frames, read by ua-kit serve', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['Arrow', 'arrow', 'lz4_frame', false],
    ['ArrowStream', 'arrows', 'lz4_frame', true],
    ['Arrow', 'arrow', 'zstd', true],
    ['ArrowStream', 'arrows', 'zstd', false],
  ];
  for (const [format, ext, method, dictionary] of cases) {
    const strings = dictionary ? 'dictionary' : 'plain';
    it(`${format}, ${method}, ${strings} strings: every row as chDB reads it`, async () => {
      const path = join(dir, `events-${method}-${strings}.${ext}`);
      write(path, format, method, dictionary);
      const got: unknown[] = [];
      let batches = 0;
      for await (const batch of arrowBatches(path)) {
        batches++;
        for (const r of rowsOfBatch(batch)) {
          const time = Number.isNaN(r.time) ? null : r.time;
          got.push([r.user ?? null, time, r.type ?? null, r.app ?? null]);
        }
      }
      const want = chdbRows(path, format);
      assert.equal(want.length, ROWS);
      assert.equal(got.length, ROWS);
      assert.ok(batches >= 3, `${batches} slices`); // 100 000 rows: in slices of 65 536
      assert.deepEqual(got, want);
      // Really compressed, in batches of 100 000 rows: a time column of 800 KB each, that is
      // 13 blocks of 64 KB in one LZ4 frame.
      const messages = new ArrowFramer().push(readFileSync(path));
      const sizes = messages.flatMap(({ message: m }) =>
        m.isRecordBatch() ? [[m.header().length, m.header().compression?.type]] : [],
      );
      assert.deepEqual(sizes, [
        [100_000, method === 'zstd' ? 1 : 0],
        [ROWS - 100_000, method === 'zstd' ? 1 : 0],
      ]);
    });
  }
});
