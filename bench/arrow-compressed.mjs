/**
 * The browser bench's compressed Arrow files, as ClickHouse exports them: the bench's Parquet
 * file (bench/events-src-files.ts) read by chDB and written back with ClickHouse's own Arrow
 * writer (`FORMAT Arrow`, the IPC file format), one file per body codec: LZ4_FRAME
 * (ClickHouse's default, `output_format_arrow_compression_method = 'lz4_frame'`) and ZSTD.
 * Strings are LowCardinality columns written as Arrow dictionaries
 * (`output_format_arrow_low_cardinality_as_dictionary = 1`), `time` an Int64 of epoch ms, `app`
 * a String where '' is no app: the columns of `ua-kit sql clickhouse`'s table, exported by the
 * README's one-liner. chDB is optional (scripts/install-chdb.sh puts it into .cache/chdb).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs } from './import-ts.mjs';

/** The bench's format names and the ClickHouse codec of each. */
export const COMPRESSED_ARROW = { 'arrow-lz4': 'lz4_frame', 'arrow-zstd': 'zstd' };

/** chDB's module, or the reason it cannot load (and how to get it). */
async function chdbOrReason(root) {
  const { chdb } = await importTs(
    root,
    [`export * as chdb from './src/server/clickhouse/chdb.ts';`],
    'bench-arrowz',
  );
  try {
    return { module: chdb.loadChdb(root) };
  } catch (e) {
    return {
      reason:
        `${e.message.split(':')[0]} (\`bash scripts/install-chdb.sh\` installs chDB ` +
        `${chdb.CHDB_VERSION} into .cache/chdb, about 550 MB; a symlink to another checkout's ` +
        `.cache/chdb does too)`,
    };
  }
}

/** Quotes a path for a ClickHouse string literal. */
const literal = (path) => `'${path.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/**
 * Writes `formats` (names of COMPRESSED_ARROW) of the Parquet file `dir/parquet` into `dir`;
 * returns `{ files: { format: name } }`, or `{ skipped: reason }` when chDB is missing.
 */
export async function writeCompressedArrow(root, dir, parquet, tag, formats) {
  const { module, reason } = await chdbOrReason(root);
  if (!module) return { skipped: reason };
  const scratch = mkdtempSync(join(tmpdir(), 'ua-bench-chdb-'));
  const session = new module.Session(scratch);
  const files = {};
  try {
    for (const format of formats) {
      const name = `events-${tag}-${format.replace('arrow-', '')}.arrow`;
      session.query(
        `INSERT INTO FUNCTION file(${literal(join(dir, name))}, Arrow)
         SELECT toLowCardinality(user) AS user, toUnixTimestamp64Milli(time) AS time,
                toLowCardinality(type) AS type, toLowCardinality(ifNull(app, '')) AS app
         FROM file(${literal(join(dir, parquet))}, Parquet)
         SETTINGS max_threads = 1, input_format_parquet_preserve_order = 1,
                  output_format_arrow_low_cardinality_as_dictionary = 1,
                  output_format_arrow_compression_method = '${COMPRESSED_ARROW[format]}',
                  engine_file_truncate_on_insert = 1`,
      );
      files[format] = name;
    }
  } finally {
    session.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { files };
}
