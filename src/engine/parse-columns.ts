import { EventParser, type RejectReason } from './parse.js';
import { KIND_HIDE, KIND_OPEN, KIND_PAGE } from './types.js';

/**
 * A column of a columnar batch: a value per row, or a code per row into a dictionary of
 * values (a negative code is a null).
 */
export type BatchColumn = ArrayLike<unknown> | CodedColumn;

/** A code per row into a dictionary of values; a negative code is a null. */
export interface CodedColumn {
  codes: ArrayLike<number>;
  dictionary: ArrayLike<unknown>;
}

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

function isCoded(column: BatchColumn): column is CodedColumn {
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

/** The ids of an absent dictionary. */
const NO_IDS = new Int32Array(0);

/** The kind of each entry of a dictionary of types (-1: none of the three). */
function kindsOf(dictionary: ArrayLike<unknown>): Int8Array {
  const kinds = new Int8Array(dictionary.length);
  for (let c = 0; c < dictionary.length; c++) kinds[c] = kindOf(dictionary[c]);
  return kinds;
}

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
    const { user, type, app } = batch;
    if (isCoded(user) && isCoded(type) && (app === null || isCoded(app))) {
      this.addCodedRows(length, user, type, app, batch.time);
      return;
    }
    const userCol = this.userCol;
    const timeCol = this.timeCol;
    const kindCol = this.kindCol;
    const appCol = this.appCol;
    const users = this.idsOf(user, this.internUserFn, this.userDictionaries);
    const kinds = this.idsOf(type, kindOf, this.typeDictionaries);
    const apps = app === null ? null : this.idsOf(app, this.internAppFn, this.appDictionaries);
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

  /**
   * addColumns when user, type and app are all dictionary-coded (an Arrow file's usual shape):
   * each type entry is judged once up front, each user and app entry interned when a row first
   * uses it, and the rows go through one tight loop over the typed arrays, with no call per row.
   */
  private addCodedRows(
    length: number,
    user: CodedColumn,
    type: CodedColumn,
    app: CodedColumn | null,
    times: ArrayLike<number>,
  ): void {
    const userCol = this.userCol;
    const timeCol = this.timeCol;
    const kindCol = this.kindCol;
    const appCol = this.appCol;
    const kinds = kindsOf(type.dictionary);
    const typeCodes = type.codes;
    const userCodes = user.codes;
    const userValues = user.dictionary;
    const userIds = this.entryIds(user.dictionary, this.userDictionaries);
    const appCodes = app === null ? null : app.codes;
    const appValues = app === null ? [] : app.dictionary;
    const appIds = app === null ? NO_IDS : this.entryIds(app.dictionary, this.appDictionaries);
    let n = this.n;
    let badType = 0;
    let badUser = 0;
    let badTime = 0;
    let badApp = 0;
    // Without a branch that only a bad row takes: such a branch has no type feedback while
    // the loop is optimized, and the first bad row would throw the optimized code away. Each
    // row is written at n, and n moves on only when the row is kept. The flags are 0 or 1,
    // at most one of them set: the first check a row fails, in addRange's order.
    for (let i = 0; i < length; i++) {
      const typeCode = typeCodes[i];
      const kind = typeCode < 0 ? -1 : kinds[typeCode];
      const typeBad = kind >>> 31;
      const userCode = typeBad === 0 ? userCodes[i] : -1;
      let id = userCode < 0 ? -1 : userIds[userCode];
      if (id === UNSEEN) id = userIds[userCode] = this.internUser(userValues[userCode]);
      const userBad = (id >>> 31) & (typeBad ^ 1);
      const time = Math.floor(times[i]);
      const timeBad = (time - time === 0 ? 0 : 1) & ((typeBad | userBad) ^ 1);
      const earlierBad = typeBad | userBad | timeBad;
      const appCode = appCodes !== null && earlierBad === 0 ? appCodes[i] : -1;
      let appId = appCode < 0 ? 0 : appIds[appCode]; // a null app (or none): no app
      if (appId === UNSEEN) appId = appIds[appCode] = this.internApp(appValues[appCode]);
      const appBad = appId >>> 31;
      userCol[n] = id;
      timeCol[n] = time;
      kindCol[n] = kind;
      appCol[n] = appId;
      n += (earlierBad | appBad) ^ 1;
      badType += typeBad;
      badUser += userBad;
      badTime += timeBad;
      badApp += appBad;
    }
    this.n = n;
    this.rejectMany('bad-type', badType);
    this.rejectMany('bad-user', badUser);
    this.rejectMany('bad-time', badTime);
    this.rejectMany('bad-app', badApp);
  }

  private rejectMany(reason: RejectReason, count: number): void {
    for (let i = 0; i < count; i++) this.reject(reason);
  }

  /**
   * The ids of a dictionary's entries (UNSEEN until a row uses one), kept per dictionary. A
   * dictionary that has grown since (an Arrow delta appended to the same array) keeps the ids
   * of its old entries; the room for new ones at least doubles, so that growing by a delta per
   * batch costs O(entries) in all.
   */
  private entryIds(dictionary: ArrayLike<unknown>, seen: WeakMap<object, Int32Array>): Int32Array {
    const ids = seen.get(dictionary);
    if (ids !== undefined && ids.length >= dictionary.length) return ids;
    const old = ids ?? NO_IDS;
    const grown = new Int32Array(Math.max(dictionary.length, old.length * 2)).fill(UNSEEN);
    grown.set(old);
    seen.set(dictionary, grown);
    return grown;
  }

  /**
   * Room in the parser's own time column for the next `length` rows' times. A reader that
   * converts times (an Arrow file's int64 timestamps) writes them here and passes this array
   * as the batch's `time` to addColumns, which compacts the kept rows in place (a row's time
   * is read before any row at or after it is written): no time column of its own to allocate
   * and copy.
   */
  timeSlots(length: number): Float64Array {
    if (this.n + length > this.capacity) this.grow(this.n + length);
    return this.timeCol.subarray(this.n, this.n + length);
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
    const ids = this.entryIds(column.dictionary, seen);
    return new CodedIds(column.codes, column.dictionary, ids, idOf);
  }
}
