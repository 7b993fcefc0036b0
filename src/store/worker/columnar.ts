import type { EventsFormat, OnRows, ReadColumnar } from '../events-loader.js';
import type { EventColumns } from '../../engine/types.js';

type Reader = (bytes: Uint8Array, onRows: OnRows) => Promise<EventColumns>;

const readers: { [F in EventsFormat]?: Promise<Reader> } = {};

/**
 * The reader of Arrow or Parquet files, and the library behind it (apache-arrow, hyparquet):
 * each imported only when such a file comes, so that neither the worker's first download nor
 * the kit grows. Called with the file's first bytes (events-loader's prepare), so the
 * reader's chunks load and compile while the rest of the file downloads; once per format (a
 * failed import is tried again next time).
 */
export function loadReader(format: EventsFormat): Promise<Reader> {
  let reader = readers[format];
  if (reader === undefined) {
    reader = readers[format] =
      format === 'arrow'
        ? import('./formats/arrow.js').then((m) => m.readArrow)
        : import('./formats/parquet.js').then((m) => m.readParquet);
    reader.catch(() => delete readers[format]);
  }
  return reader;
}

/** The worker's reader of Arrow and Parquet files (loadReader). */
export const readColumnar: ReadColumnar = async (format, bytes, onRows) =>
  (await loadReader(format))(bytes, onRows);
