#!/usr/bin/env node
/**
 * Writes test/fixtures/arrow/: the same events as Arrow IPC files and streams with compressed
 * bodies, each made by ClickHouse's own writer (chDB; `bash scripts/install-chdb.sh` first), and
 * the events as NDJSON (events.ndjson, also written by chDB from the same rows), the reference
 * the tests compute with computeReport. Deterministic: running it again writes the same bytes
 * as long as chDB's version (scripts/install-chdb.sh) is the same.
 *
 * The rows (SQL over numbers(N)): users in sessions of eight events (open, pages, hide, open
 * again), two apps and app-less rows, times from 2026-09-20 to 2026-11-03 (whole seconds), and bad rows of
 * each kind the columns allow: a null or empty user, an unknown type, a null time (in
 * events-iso-*: text times, the bad one 'yesterday').
 *
 * Beside them, for the LZ4 frame decoder's tests, the same NDJSON as LZ4 frames: one written by
 * ClickHouse (events.ndjson.lz4) and two by the \`lz4\` command (Debian's lz4, the liblz4 that
 * Arrow C++ compresses with): linked 64 KB blocks with the content size, block and content
 * checksums; independent 256 KB blocks without checksums.
 *
 *   node scripts/arrow-fixtures.mjs
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test/fixtures/arrow');
const { query } = createRequire(join(root, '.cache/chdb/package.json'))('chdb');

/** Rows in all; record batches of BATCH rows (ClickHouse writes one per block). */
const ROWS = 2_000;
const BATCH = 800;
const START = Date.UTC(2026, 8, 20);

const ROW_SQL = `
  WITH number AS n, intDiv(n, 8) AS session, n % 8 AS step,
    toInt64(${START} + session * 15551000 + step * 17000 + (n % 3) * 1000) AS ms
  SELECT
    multiIf(n % 97 = 5, NULL, n % 89 = 6, '', concat('u', toString((session * 7919) % 400))) AS user,
    if(n % 83 = 7, NULL, ms) AS time,
    if(n % 61 = 3, 'crash', ['open', 'page', 'page', 'hide', 'open', 'page', 'page', 'hide'][step + 1]) AS type,
    multiIf(session % 11 = 4, NULL, session % 3 = 0, 'h5-news', 'wx-mall') AS app
  FROM numbers(${ROWS})`;

/** [file, ClickHouse format, compression method, strings as dictionaries, time as ISO text]. */
const FIXTURES = [
  ['events-lz4.arrow', 'Arrow', 'lz4_frame', true, false],
  ['events-lz4.arrows', 'ArrowStream', 'lz4_frame', false, false],
  ['events-zstd.arrow', 'Arrow', 'zstd', false, false],
  ['events-zstd.arrows', 'ArrowStream', 'zstd', true, false],
  ['events-iso-lz4.arrow', 'Arrow', 'lz4_frame', false, true],
];

function select(dictionary, iso) {
  const text = (c) => (dictionary ? `toLowCardinality(${c})` : c);
  const time = iso
    ? `if(time IS NULL, 'yesterday', formatDateTime(fromUnixTimestamp64Milli(time, 'UTC'), '%Y-%m-%dT%H:%i:%SZ', 'UTC'))`
    : 'time';
  return `SELECT ${text('user')} AS user, ${time} AS time, ${text('type')} AS type, ${text('app')} AS app FROM (${ROW_SQL})`;
}

function write(file, format, settings, sql) {
  const path = join(out, file);
  rmSync(path, { force: true });
  query(`INSERT INTO FUNCTION file('${path}', ${format}) ${sql} SETTINGS ${settings}`, 'CSV');
  const rows = query(`SELECT count() FROM file('${path}', ${format})`, 'CSV').trim();
  console.log(`${file}: ${rows} rows, ${statSync(path).size} bytes`);
}

mkdirSync(out, { recursive: true });
const common =
  `max_block_size = ${BATCH}, min_insert_block_size_rows = ${BATCH}, min_insert_block_size_bytes = 0` +
  `, max_threads = 1, engine_file_truncate_on_insert = 1`;
for (const [file, format, method, dictionary, iso] of FIXTURES) {
  const settings =
    `${common}, output_format_arrow_compression_method = '${method}'` +
    `, output_format_arrow_low_cardinality_as_dictionary = ${dictionary ? 1 : 0}`;
  write(file, format, settings, select(dictionary, iso));
}
write(
  'events.ndjson.gz',
  'JSONEachRow',
  `${common}, output_format_json_quote_64bit_integers = 0`,
  `SELECT * FROM (${ROW_SQL})`,
);
write(
  'events.ndjson.lz4',
  'JSONEachRow',
  `${common}, output_format_json_quote_64bit_integers = 0`,
  `SELECT * FROM (${ROW_SQL})`,
);
const ndjson = join(out, 'events.ndjson');
writeFileSync(ndjson, gunzipSync(readFileSync(join(out, 'events.ndjson.gz'))));
for (const [file, flags] of [
  ['ndjson-linked.lz4', ['-BD', '-B4', '--content-size', '-BX']],
  ['ndjson-independent.lz4', ['-B5', '--no-frame-crc']],
]) {
  execFileSync('lz4', ['-q', '-f', ...flags, ndjson, join(out, file)]);
  console.log(`${file}: ${statSync(join(out, file)).size} bytes`);
}
rmSync(ndjson);
