import type { ReadColumnar } from '../events-loader.js';

/**
 * The worker's reader of Arrow and Parquet files: each reader, and the library behind it
 * (apache-arrow, hyparquet), is imported only when such a file comes, so that neither the
 * worker's first download nor the kit grows.
 */
export const readColumnar: ReadColumnar = async (format, file) =>
  format === 'arrow'
    ? (await import('./formats/arrow-sink.js')).arrowSink(file)
    : (await import('./formats/parquet.js')).parquetSink(file);
