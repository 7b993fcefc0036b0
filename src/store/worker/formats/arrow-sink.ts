import type { ColumnarFile, ColumnarSink } from '../../events-loader.js';
import { wholeFileSink } from './byte-sink.js';
import { readArrow } from './arrow.js';

/** An Arrow IPC file, kept as it downloads and read at the end. */
export function arrowSink(file: ColumnarFile): ColumnarSink {
  return wholeFileSink(file.size, readArrow);
}
