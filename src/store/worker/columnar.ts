import type { ReadColumnar, SinkFormat } from '../events-loader.js';

/**
 * The worker's readers of NDJSON, Arrow and Parquet files: each reader, and the library behind
 * it (apache-arrow, hyparquet), is imported only when such a file comes, so that neither the
 * worker's first download nor the kit grows.
 */
export const readColumnar: ReadColumnar = async (format, file) =>
  format === 'ndjson'
    ? (await ndjsonReader()).ndjsonScanSink()
    : format === 'arrow'
      ? (await arrowReader()).arrowSink(file)
      : (await parquetReader()).parquetSink(file);

const ndjsonReader = () => import('./formats/ndjson-scan.js');
const arrowReader = () => import('./formats/arrow-sink.js');
const parquetReader = () => import('./formats/parquet.js');

/**
 * Starts importing a format's reader (its chunk fetched and compiled) before its first bytes
 * arrive: readColumnar's import() then finds it loaded. A failure is left to readColumnar.
 */
export function preloadColumnar(format: SinkFormat): void {
  const load =
    format === 'ndjson' ? ndjsonReader : format === 'arrow' ? arrowReader : parquetReader;
  load().catch(() => {});
}
