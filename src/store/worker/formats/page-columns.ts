/**
 * `source.columns` in the worker (the message of columns-message.ts): a ColumnBatch as it is,
 * an Arrow Table record batch by record batch, read as an Arrow file's are (arrow-data.ts).
 * Loaded lazily, only when columns are given; apache-arrow is not needed for it.
 */
import { ColumnarEventParser, type BatchColumn } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import type { ArrowPart, PageColumns } from '../columns-message.js';
import { DictionaryEntries, idColumn, timeColumn, type ArrowData } from './arrow-data.js';
import { idValue, msOf } from './columns.js';

/** The page's columns, judged row by row as the JSON paths judge events. */
export function readPageColumns(columns: PageColumns): EventColumns {
  const parser = new ColumnarEventParser(columns.length);
  if (!('batches' in columns)) {
    parser.addColumns(columns);
    return parser.finish();
  }
  const dictionaries = new DictionaryEntries(unread);
  const ids = (part: ArrowPart): BatchColumn =>
    'values' in part ? part.values.map(idValue) : idColumn(part.data, unread, dictionaries);
  for (const b of columns.batches) {
    const ms = parser.timeSlots(b.length);
    if ('values' in b.time) b.time.values.forEach((value, i) => (ms[i] = msOf(value)));
    else timeColumn(b.time.data, unread, ms);
    parser.addColumns({
      length: b.length,
      user: ids(b.user),
      time: ms,
      type: ids(b.type),
      app: b.app && ids(b.app),
    });
  }
  return parser.finish();
}

/** The page sends the values of any type arrow-data.ts does not read (isPlainType). */
function unread(data: ArrowData): never {
  throw new Error(`An Arrow column of type ${data.type.typeId} came without its values`);
}
