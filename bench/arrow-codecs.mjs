/**
 * `npm run bench -- --arrow-codecs [--sizes=1m,10m]`: reading compressed Arrow IPC in Node, LZ4
 * frame (ClickHouse's default) and zstd beside the uncompressed file; 1 M events unless
 * --sizes says otherwise.
 *
 * Data: the browser bench's files (bench/events-src-files.ts: demo/synthetic's events): its
 * Arrow stream (dictionary-encoded strings, ms timestamps, record batches of 122 880 rows), the
 * baseline, and its chDB-written `arrow-lz4` / `arrow-zstd` files (bench/arrow-compressed.mjs:
 * ClickHouse's own Arrow writer from the bench's Parquet file, the IPC file format, record
 * batches of about 50 000 rows, LowCardinality strings as dictionaries with a delta per batch,
 * '' for no app). Needs chdb (scripts/install-chdb.sh installs it into .cache/chdb).
 *
 * Timed: the worker's reader (src/store/worker/formats/arrow-sink.ts, the code that runs for
 * `events-src`) given the bytes in 64 KB chunks as a download gives them, up to its finished
 * columns, after warm-up runs; medians. Each file's rows and diagnostics must equal the
 * uncompressed file's. Target: the compressed read within 3 × of the uncompressed one (here
 * there is no download for the reading to overlap; the goal of a whole compressed load within
 * 1.5 × of the uncompressed file's is the browser bench's, bench/browser.mjs).
 *
 * Breakdown (one more read of each file, with the parts wrapped in timers): decompression (the
 * codecs apache-arrow calls), the kit's column conversion (BatchReader.add without the parser:
 * dictionaries, codes, times), the parser (ColumnarEventParser.addColumns), and the rest
 * (apache-arrow's message and vector loading, the framer, the queue). Beside it: dictionary
 * entries the kit decoded and entries the parser interned, each against the dictionaries'
 * final sizes (a quadratic cost shows there as a multiple).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeCompressedArrow } from './arrow-compressed.mjs';
import { importTs } from './import-ts.mjs';

const TARGET_RATIO = 3;
const CHUNK = 65_536;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function readColumns(arrowSink, bytes) {
  const sink = arrowSink({
    url: 'x.arrows',
    size: bytes.length,
    signal: new AbortController().signal,
  });
  for (let at = 0; at < bytes.length; at += CHUNK) sink.push(bytes.subarray(at, at + CHUNK));
  return sink.finish(async () => {});
}

/** What must be the same for every file: counts, users and apps, sums of each row's codes. */
function digest(columns) {
  const sum = (values) => {
    let total = 0;
    for (let i = 0; i < columns.length; i++) total += values[i];
    return total;
  };
  return {
    length: columns.length,
    diagnostics: columns.diagnostics,
    users: [...columns.users].sort(),
    apps: [...columns.apps].sort(),
    time: sum(columns.time),
    kinds: sum(columns.kind),
  };
}

async function timeRead(arrowSink, bytes, runs, warmup) {
  const times = [];
  let columns;
  for (let i = 0; i < runs + warmup; i++) {
    const t = performance.now();
    columns = await readColumns(arrowSink, bytes);
    if (i >= warmup) times.push(performance.now() - t);
  }
  return { ms: median(times), columns };
}

/** Replaces `object[name]` with a timed wrapper adding to `into[key]`; returns the undo. */
function timed(object, name, into, key) {
  const original = object[name];
  object[name] = function (...args) {
    const t = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      into[key] += performance.now() - t;
    }
  };
  return () => (object[name] = original);
}

/** One read of `bytes` with its parts timed (see the header). */
async function breakdown(m, bytes) {
  const parts = { total: 0, decode: 0, convert: 0, parse: 0, decoded: 0, interned: 0 };
  await m.useCodecs(m.compressionRegistry);
  const undo = [];
  for (const type of [0, 1])
    undo.push(timed(m.compressionRegistry.get(type), 'decode', parts, 'decode'));
  undo.push(timed(m.BatchReader.prototype, 'add', parts, 'convert'));
  undo.push(timed(m.ColumnarEventParser.prototype, 'addColumns', parts, 'parse'));
  const proto = m.ColumnarEventParser.prototype;
  const { internUser } = proto;
  proto.internUser = function (value) {
    parts.interned++;
    return internUser.call(this, value);
  };
  undo.push(() => (proto.internUser = internUser));
  const { decode } = TextDecoder.prototype;
  TextDecoder.prototype.decode = function (input, options) {
    parts.decoded += input?.byteLength ?? 0;
    return decode.call(this, input, options);
  };
  undo.push(() => (TextDecoder.prototype.decode = decode));
  try {
    const t = performance.now();
    await readColumns(m.arrowSink, bytes);
    parts.total = performance.now() - t;
  } finally {
    for (const f of undo) f();
  }
  parts.convert -= parts.parse;
  return parts;
}

/** The bytes of the dictionaries' strings and the users in the file (the digest's users). */
function dictionarySizes(summary) {
  let bytes = 0;
  for (const s of [...summary.users, ...summary.apps]) bytes += Buffer.byteLength(String(s));
  return { bytes, users: summary.users.length };
}

async function runSize(m, root, events, quick) {
  const runs = events >= 5_000_000 ? 3 : quick ? 5 : 11;
  const warmup = events >= 5_000_000 ? 1 : 2;
  const dir = mkdtempSync(join(tmpdir(), 'ua-bench-arrow-'));
  try {
    const { files } = await m.writeEventsFiles(dir, events, '2026-03-31', 'Asia/Shanghai', [
      'arrow',
      'parquet',
    ]);
    const written = await writeCompressedArrow(root, dir, files.parquet, `${events / 1e6}m`, [
      'arrow-lz4',
      'arrow-zstd',
    ]);
    if (!written.files) {
      console.log(`compressed Arrow: skipped (${written.skipped})`);
      return null;
    }
    rmSync(join(dir, files.parquet));
    const paths = {
      none: join(dir, files.arrow),
      lz4_frame: join(dir, written.files['arrow-lz4']),
      zstd: join(dir, written.files['arrow-zstd']),
    };
    const label = `${events / 1e6} M`;
    console.log(
      `\ncompressed Arrow IPC in Node, ${label} events (the worker's reader, 64 KB chunks; medians of ${runs}; load ${loadavg()[0].toFixed(2)})`,
    );
    console.log(
      'file                       size      ÷ uncompressed   read      ÷ uncompressed   target',
    );
    const base = statSync(paths.none).size;
    let baseMs = 0;
    let baseColumns;
    let met = true;
    const rows = [];
    for (const [method, path] of Object.entries(paths)) {
      const bytes = new Uint8Array(readFileSync(path));
      const { ms, columns } = await timeRead(m.arrowSink, bytes, runs, warmup);
      const summary = digest(columns);
      if (method === 'none') {
        baseMs = ms;
        baseColumns = summary;
      } else if (!isDeepStrictEqual(summary, baseColumns)) {
        console.log(`${method}: the columns differ from the uncompressed file's`);
        met = false;
      }
      const ratio = ms / baseMs;
      const ok = method === 'none' || ratio <= TARGET_RATIO;
      met &&= ok;
      const name = method === 'none' ? 'uncompressed (baseline)' : method;
      console.log(
        `${name.padEnd(26)} ${mb(bytes.length).padStart(8)}  ${(bytes.length / base).toFixed(2).padStart(8)} ×      ` +
          `${`${ms.toFixed(0)} ms`.padStart(7)}  ${ratio.toFixed(2).padStart(8)} ×       ` +
          (method === 'none' ? '' : `≤ ${TARGET_RATIO} × ${ok ? 'ok' : 'MISSED'}`),
      );
      rows.push([name, await breakdown(m, bytes), dictionarySizes(summary)]);
    }
    console.log(
      `breakdown of one more read each (${label}; load ${loadavg()[0].toFixed(2)}): ms, and the share of the read`,
    );
    console.log(
      'file                       read      decompress      columns (kit)   parser          apache-arrow + rest   dictionary bytes decoded   users interned',
    );
    const cell = (ms, total) =>
      `${`${ms.toFixed(0)} ms`.padStart(7)} ${`${((ms / total) * 100).toFixed(0)} %`.padStart(5)}`;
    for (const [name, p, sizes] of rows) {
      const rest = p.total - p.decode - p.convert - p.parse;
      console.log(
        `${name.padEnd(26)} ${`${p.total.toFixed(0)} ms`.padStart(7)}   ${cell(p.decode, p.total)}   ${cell(p.convert, p.total)}   ${cell(p.parse, p.total)}   ${cell(rest, p.total)}         ` +
          `${mb(p.decoded).padStart(9)} (${(p.decoded / sizes.bytes).toFixed(1)} × the entries)   ` +
          `${p.interned} (${(p.interned / sizes.users).toFixed(2)} × the users)`,
      );
    }
    return met;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runArrowCodecsBench({ root, quick, sizes = [1_000_000] }) {
  const m = await importTs(
    root,
    [
      `export { writeEventsFiles } from './bench/events-src-files.ts';`,
      `export { arrowSink } from './src/store/worker/formats/arrow-sink.ts';`,
      `export { BatchReader } from './src/store/worker/formats/arrow.ts';`,
      `export { useCodecs } from './src/store/worker/formats/arrow-compression.ts';`,
      `export { ColumnarEventParser } from './src/engine/parse-columns.ts';`,
      `export { compressionRegistry } from 'apache-arrow';`,
    ],
    'bench-arrow-codecs',
  );
  let met = true;
  for (const events of sizes) {
    const ok = await runSize(m, root, events, quick);
    if (ok === null) return null;
    met &&= ok;
  }
  return met;
}
