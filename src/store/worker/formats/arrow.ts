/**
 * Arrow record batches into the engine's columns. Loaded lazily, in the worker, only when an
 * Arrow file is given: apache-arrow stays out of every other bundle.
 */
import { makeVector, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import type { ColumnarEventParser } from '../../../engine/parse-columns.js';
import { REQUIRED_COLUMNS, missingColumn } from './columns.js';
import { DictionaryEntries, idColumn, timeColumn, type ArrowData } from './arrow-data.js';

/** Adds each record batch it is given to a parser, over the columns of one schema. */
export class BatchReader {
  readonly #hasApp: boolean;
  /** Each dictionary's entries, each chunk read once (a delta only adds its own). */
  readonly #dictionaries = new DictionaryEntries(valuesOf);

  /** Throws the missing-column error when `schema` lacks a column the kit needs. */
  constructor(
    schema: Schema,
    private readonly parser: ColumnarEventParser,
  ) {
    const names = schema.fields.map((f) => f.name);
    for (const name of REQUIRED_COLUMNS)
      if (!names.includes(name)) throw missingColumn('Arrow', name);
    this.#hasApp = names.includes('app');
  }

  add(batch: RecordBatch): void {
    const { parser } = this;
    const dictionaries = this.#dictionaries;
    const column = (name: string) => batch.getChild(name)!.data[0] as unknown as ArrowData;
    parser.addColumns({
      length: batch.numRows,
      user: idColumn(column('user'), valuesOf, dictionaries),
      time: timeColumn(column('time'), valuesOf, parser.timeSlots(batch.numRows)),
      type: idColumn(column('type'), valuesOf, dictionaries),
      app: this.#hasApp ? idColumn(column('app'), valuesOf, dictionaries) : null,
    });
  }
}

/** Every value of a Data of a type arrow-data.ts does not read itself, nulls as null. */
function valuesOf(data: ArrowData): unknown[] {
  const vector = makeVector(data as unknown as Data);
  const values = new Array<unknown>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = vector.isValid(i) ? vector.get(i) : null;
  return values;
}
