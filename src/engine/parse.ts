import { allocateFresh, type Allocate } from './scratch.js';
import { keepShapeOf } from './shapes.js';
import { KIND_HIDE, KIND_OPEN, KIND_PAGE, type Diagnostics, type EventColumns } from './types.js';

/** Why a row was rejected; the keys of `diagnostics.reasons`. */
export type RejectReason = 'not-object' | 'bad-type' | 'bad-user' | 'bad-time' | 'bad-app';

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1];
}

/**
 * Parses an ISO-8601 date-time that ends in 'Z' or an offset (±hh:mm or ±hhmm) to epoch ms,
 * truncated to whole milliseconds. A date alone or a local time without offset is ambiguous:
 * NaN. So is any out-of-range field.
 */
export function parseIsoDateTime(s: string): number {
  const m = ISO_DATE_TIME.exec(s);
  if (m === null) return NaN;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = +m[4];
  const mi = +m[5];
  const sec = m[6] === undefined ? 0 : +m[6];
  const ms = m[7] === undefined ? 0 : Math.floor(+(m[7] + '00').slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  if (h > 23 || mi > 59 || sec > 59) return NaN;
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = +m[10];
    const om = +m[11];
    if (oh > 23 || om > 59) return NaN;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, sec, ms);
  return utc.getTime() - offsetMin * 60_000;
}

/**
 * Turns rows into columns, one row at a time, so that a caller can feed it in slices (to
 * keep a page responsive) or from a stream. Bad rows are counted, never thrown.
 */
export class EventParser {
  protected capacity = 0;
  protected n = 0;
  protected userCol!: Int32Array;
  protected timeCol!: Float64Array;
  protected kindCol!: Uint8Array;
  protected appCol!: Int32Array;
  private readonly userIndex = new Map<string, number>();
  private readonly numericUserIndex = new Map<number, number>();
  private readonly appIndex = new Map<string, number>();
  private readonly users: string[] = [];
  private readonly apps: string[] = [];
  private rejected = 0;
  private readonly reasons: Record<string, number> = {};

  private readonly allocate: Allocate;

  /**
   * @param expectedRows - room to make at first (the columns grow as needed).
   * @param allocate - internal: where the columns' arrays come from (reused scratch arrays
   *   when the columns never leave the engine).
   */
  constructor(expectedRows = 1024, allocate: Allocate = allocateFresh) {
    this.allocate = allocate;
    this.resize(Math.max(16, expectedRows));
  }

  /** Number of rows seen so far, accepted or not. */
  get rows(): number {
    return this.n + this.rejected;
  }

  /**
   * Adds rows[from..to) of an array. One tight loop with the columns in locals: this is where
   * a million events are read, and each row costs a few property reads and, when the user
   * differs from the previous row's, one Map lookup.
   */
  addRange(rows: ArrayLike<unknown>, from = 0, to = rows.length): void {
    if (this.n + (to - from) > this.capacity) this.grow(this.n + (to - from));
    const userCol = this.userCol;
    const timeCol = this.timeCol;
    const kindCol = this.kindCol;
    const appCol = this.appCol;
    let n = this.n;
    // Rows of one user and app often come together (a session at a time): skip the Maps for
    // repeats. Before the first row, "last" is a value no row can hold: the private Map.
    let lastUser: unknown = this.userIndex;
    let lastUserIndex = -1;
    let lastApp: unknown = this.userIndex;
    let lastAppIndex = -1;
    for (let i = from; i < to; i++) {
      const row = rows[i];
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        this.reject('not-object');
        continue;
      }
      const r = row as Record<string, unknown>;
      const type = r.type;
      const kind =
        type === 'open'
          ? KIND_OPEN
          : type === 'page'
            ? KIND_PAGE
            : type === 'hide'
              ? KIND_HIDE
              : -1;
      if (kind < 0) {
        this.reject('bad-type');
        continue;
      }
      const userValue = r.user;
      let user = lastUserIndex;
      if (userValue !== lastUser) {
        user = this.internUser(userValue);
        if (user < 0) {
          this.reject('bad-user');
          continue;
        }
        lastUser = userValue;
        lastUserIndex = user;
      }
      const timeValue = r.time;
      // Whole ms; NaN and ±Infinity fail `time - time === 0`.
      const time =
        typeof timeValue === 'number'
          ? Math.floor(timeValue)
          : typeof timeValue === 'string'
            ? parseIsoDateTime(timeValue)
            : NaN;
      if (time - time !== 0) {
        this.reject('bad-time');
        continue;
      }
      const appValue = r.app;
      let app = lastAppIndex;
      if (appValue !== lastApp) {
        app = this.internApp(appValue);
        if (app < 0) {
          this.reject('bad-app');
          continue;
        }
        lastApp = appValue;
        lastAppIndex = app;
      }
      userCol[n] = user;
      timeCol[n] = time;
      kindCol[n] = kind;
      appCol[n] = app;
      n++;
    }
    this.n = n;
  }

  /** Adds one row. Prefer addRange over an array of rows: it reads them in one tight loop. */
  add(row: unknown): void {
    this.one[0] = row;
    this.addRange(this.one);
  }

  /** The columns of every accepted row. The parser must not be used afterwards. */
  finish(): EventColumns {
    const diagnostics: Diagnostics = {
      accepted: this.n,
      rejected: this.rejected,
      reasons: { ...this.reasons },
    };
    return {
      length: this.n,
      user: this.userCol,
      time: this.timeCol,
      kind: this.kindCol,
      app: this.appCol,
      users: this.users,
      apps: this.apps,
      diagnostics,
    };
  }

  private readonly one: unknown[] = [undefined];
  protected reject(reason: RejectReason): void {
    this.rejected++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }

  protected internUser(user: unknown): number {
    if (typeof user === 'string') {
      if (user === '') return -1;
      return this.internUserString(user);
    }
    if (typeof user === 'number') {
      if (!Number.isFinite(user)) return -1;
      let idx = this.numericUserIndex.get(user);
      if (idx === undefined) {
        idx = this.internUserString(String(user));
        this.numericUserIndex.set(user, idx);
      }
      return idx;
    }
    return -1;
  }

  private internUserString(user: string): number {
    let idx = this.userIndex.get(user);
    if (idx === undefined) {
      idx = this.users.length;
      this.users.push(user);
      this.userIndex.set(user, idx);
    }
    return idx;
  }

  /** 0 for no app, -1 for an app id that is not a string or number, else 1 + index. */
  protected internApp(app: unknown): number {
    if (app === undefined || app === null || app === '') return 0;
    let id: string;
    if (typeof app === 'string') id = app;
    else if (typeof app === 'number' && Number.isFinite(app)) id = String(app);
    else return -1;
    let idx = this.appIndex.get(id);
    if (idx === undefined) {
      this.apps.push(id);
      idx = this.apps.length;
      this.appIndex.set(id, idx);
    }
    return idx;
  }

  protected grow(min: number): void {
    this.resize(Math.max(min, Math.ceil(this.capacity * 1.5)));
  }

  /** New columns of `capacity` rows, with the rows so far copied over. */
  private resize(capacity: number): void {
    const { allocate, n } = this;
    this.userCol = copyInto(allocate(0, Int32Array, capacity), this.userCol, n);
    this.timeCol = copyInto(allocate(1, Float64Array, capacity), this.timeCol, n);
    this.kindCol = copyInto(allocate(2, Uint8Array, capacity), this.kindCol, n);
    this.appCol = copyInto(allocate(3, Int32Array, capacity), this.appCol, n);
    this.capacity = capacity;
  }
}

keepShapeOf(new EventParser(0));

function copyInto<T extends Int32Array | Float64Array | Uint8Array>(to: T, from: T, n: number): T {
  if (n > 0) to.set(from.subarray(0, n) as never);
  return to;
}

/**
 * Parses any iterable of rows into columns.
 * @param allocate - internal: where the columns' arrays come from (see EventParser).
 */
export function parseEvents(
  events: Iterable<unknown>,
  allocate: Allocate = allocateFresh,
): EventColumns {
  const array = Array.isArray(events);
  const parser = new EventParser(array ? events.length : undefined, allocate);
  if (array) parser.addRange(events);
  else for (const row of events) parser.add(row);
  return parser.finish();
}
