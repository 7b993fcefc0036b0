/**
 * Arrow IPC (file or stream format) into the engine's columns. Loaded lazily, in the worker,
 * only when an Arrow file is given: apache-arrow stays out of every other bundle.
 */
import { makeVector, tableFromIPC, type Data } from 'apache-arrow';
import { ColumnarEventParser } from '../../../engine/parse-columns.js';
import type { EventColumns } from '../../../engine/types.js';
import { LoadError } from '../../errors.js';
import type { OnRows } from '../../events-loader.js';
import { REQUIRED_COLUMNS, missingColumn } from './columns.js';
import { idColumn, timeColumn, type ArrowData } from './arrow-data.js';

/** Reads every record batch of `bytes` into the engine's columns. */
export async function readArrow(bytes: Uint8Array, onRows: OnRows): Promise<EventColumns> {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new LoadError(`The Arrow file cannot be read (${errorText(e)}); is it truncated?`);
  }
  const names = table.schema.fields.map((f) => f.name);
  for (const name of REQUIRED_COLUMNS)
    if (!names.includes(name)) throw missingColumn('Arrow', name);
  const hasApp = names.includes('app');
  const parser = new ColumnarEventParser(table.numRows);
  const dictionaries = new WeakMap<object, unknown[]>();
  let done = 0;
  for (const batch of table.batches) {
    const column = (name: string) => batch.getChild(name)!.data[0] as unknown as ArrowData;
    parser.addColumns({
      length: batch.numRows,
      user: idColumn(column('user'), valuesOf, dictionaries),
      time: timeColumn(column('time'), valuesOf, parser.timeSlots(batch.numRows)),
      type: idColumn(column('type'), valuesOf, dictionaries),
      app: hasApp ? idColumn(column('app'), valuesOf, dictionaries) : null,
    });
    done += batch.numRows;
    await onRows(done, table.numRows);
  }
  return parser.finish();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Every value of a Data of a type arrow-data.ts does not read itself, nulls as null. */
function valuesOf(data: ArrowData): unknown[] {
  const vector = makeVector(data as unknown as Data);
  const values = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = vector.isValid(i) ? vector.get(i) : null;
  return values;
}
