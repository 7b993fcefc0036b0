import { EventParser } from './parse.js';
import { KIND_HIDE, KIND_OPEN, KIND_PAGE } from './types.js';

/**
 * A column of a columnar batch: a value per row, or a code per row into a dictionary of
 * values (a negative code is a null).
 */
export type BatchColumn =
  ArrayLike<unknown> | { codes: ArrayLike<number>; dictionary: ArrayLike<unknown> };

/** Rows as columns, for EventParser.addColumns. */
export interface ColumnBatch {
  length: number;
  user: BatchColumn;
  /** Epoch ms per row; NaN where the time is missing or not a time. */
  time: ArrayLike<number>;
  type: BatchColumn;
  /** null: no app column (every row has no app). */
  app: BatchColumn | null;
}

function isCoded(
  column: BatchColumn,
): column is { codes: ArrayLike<number>; dictionary: ArrayLike<unknown> } {
  return 'codes' in column && 'dictionary' in column;
}

/** The kind of a `type` value; -1 when it is none of the three. */
function kindOf(type: unknown): number {
  return type === 'open'
    ? KIND_OPEN
    : type === 'page'
      ? KIND_PAGE
      : type === 'hide'
        ? KIND_HIDE
        : -1;
}

const UNSEEN = -2;

interface ColumnIds {
  /** The id of row i's value (negative: rejected). */
  at(i: number): number;
}

class CodedIds implements ColumnIds {
  constructor(
    private readonly codes: ArrayLike<number>,
    private readonly dictionary: ArrayLike<unknown>,
    private readonly ids: Int32Array,
    private readonly idOf: (value: unknown) => number,
  ) {}

  at(i: number): number {
    const code = this.codes[i];
    if (code < 0) return this.idOf(null);
    let id = this.ids[code];
    if (id === UNSEEN) id = this.ids[code] = this.idOf(this.dictionary[code]);
    return id;
  }
}

/** Plain values: the id of a run of equal values is looked up once. */
class ValueIds implements ColumnIds {
  private last: unknown = UNSEEN_VALUE;
  private lastId = 0;

  constructor(
    private readonly values: ArrayLike<unknown>,
    private readonly idOf: (value: unknown) => number,
  ) {}

  at(i: number): number {
    const value = this.values[i];
    if (value !== this.last) {
      this.last = value;
      this.lastId = this.idOf(value);
    }
    return this.lastId;
  }
}

/** A value no column holds. */
const UNSEEN_VALUE = Symbol('unseen');

/**
 * An EventParser that also takes rows as columns (an Arrow record batch, a Parquet row group):
 * the columnar readers of events-src use it; the JSON paths (and the kit's main thread) need
 * only EventParser.
 */
export class ColumnarEventParser extends EventParser {
  /**
   * Adds the rows of a columnar batch (an Arrow record batch, a Parquet row group). Each row is
   * judged as addRange judges the object `{ user, time, type, app }`, in the same order, so the
   * columns and diagnostics equal those of the same events as objects. A dictionary-coded
   * column costs one lookup per row in an Int32Array: each dictionary entry is interned once,
   * when a kept row first uses it.
   */
  addColumns(batch: ColumnBatch): void {
    const length = batch.length;
    if (this.n + length > this.capacity) this.grow(this.n + length);
    const userCol = this.userCol;
    const timeCol = this.timeCol;
    const kindCol = this.kindCol;
    const appCol = this.appCol;
    const users = this.idsOf(batch.user, this.internUserFn, this.userDictionaries);
    const kinds = this.idsOf(batch.type, kindOf, this.typeDictionaries);
    const apps =
      batch.app === null ? null : this.idsOf(batch.app, this.internAppFn, this.appDictionaries);
    const times = batch.time;
    let n = this.n;
    for (let i = 0; i < length; i++) {
      const kind = kinds.at(i);
      if (kind < 0) {
        this.reject('bad-type');
        continue;
      }
      const user = users.at(i);
      if (user < 0) {
        this.reject('bad-user');
        continue;
      }
      const time = Math.floor(times[i]);
      if (time - time !== 0) {
        this.reject('bad-time');
        continue;
      }
      const app = apps === null ? 0 : apps.at(i);
      if (app < 0) {
        this.reject('bad-app');
        continue;
      }
      userCol[n] = user;
      timeCol[n] = time;
      kindCol[n] = kind;
      appCol[n] = app;
      n++;
    }
    this.n = n;
  }

  private readonly internUserFn = (value: unknown): number => this.internUser(value);
  private readonly internAppFn = (value: unknown): number => this.internApp(value);
  /** Per dictionary seen: the id of each entry, UNSEEN until a row uses it. */
  private readonly userDictionaries = new WeakMap<object, Int32Array>();
  private readonly typeDictionaries = new WeakMap<object, Int32Array>();
  private readonly appDictionaries = new WeakMap<object, Int32Array>();

  private idsOf(
    column: BatchColumn,
    idOf: (value: unknown) => number,
    seen: WeakMap<object, Int32Array>,
  ): ColumnIds {
    if (!isCoded(column)) return new ValueIds(column, idOf);
    let ids = seen.get(column.dictionary);
    if (ids === undefined) {
      ids = new Int32Array(column.dictionary.length).fill(UNSEEN);
      seen.set(column.dictionary, ids);
    }
    return new CodedIds(column.codes, column.dictionary, ids, idOf);
  }
}
