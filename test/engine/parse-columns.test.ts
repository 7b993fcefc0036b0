/**
 * ColumnarEventParser (what the Arrow and Parquet readers of events-src feed): rows given as
 * columns, plain or dictionary-coded, are judged as the same rows given as objects are, in
 * the same order of checks (type, user, time, app). Each case's columns and diagnostics are
 * worked out by hand, and checked again against EventParser on the same rows as objects.
 */
import { expect } from '@open-wc/testing';
import { EventParser, KIND_HIDE, KIND_OPEN, KIND_PAGE } from '../../src/engine/index.js';
import type { EventColumns } from '../../src/engine/index.js';
import { ColumnarEventParser, type ColumnBatch } from '../../src/engine/parse-columns.js';

/** The columns' filled part as plain arrays, to compare. */
function plain(cols: EventColumns) {
  const n = cols.length;
  return {
    length: n,
    user: Array.from(cols.user.subarray(0, n)),
    time: Array.from(cols.time.subarray(0, n)),
    kind: Array.from(cols.kind.subarray(0, n)),
    app: Array.from(cols.app.subarray(0, n)),
    users: cols.users,
    apps: cols.apps,
    diagnostics: cols.diagnostics,
  };
}

/** The rows of a batch as objects, with `app` left out where the batch has no app column. */
function rowsOf(batch: ColumnBatch): unknown[] {
  const value = (column: ColumnBatch['user'], i: number): unknown => {
    if (!('codes' in column)) return column[i];
    const code = column.codes[i];
    return code < 0 ? null : column.dictionary[code];
  };
  return Array.from({ length: batch.length }, (_, i) => {
    const row: Record<string, unknown> = {
      user: value(batch.user, i),
      time: batch.time[i],
      type: value(batch.type, i),
    };
    if (batch.app !== null) row.app = value(batch.app, i);
    return row;
  });
}

/** The same rows through EventParser.addRange, starting from room for none. */
function asObjects(...batches: ColumnBatch[]): EventColumns {
  const parser = new EventParser(0);
  for (const batch of batches) parser.addRange(rowsOf(batch));
  return parser.finish();
}

describe('ColumnarEventParser', () => {
  it('reads plain columns, row by row as objects are judged, growing past its first room', () => {
    // 40 good rows: user u0, u1, u2 in turn; an open every second from 1 000.7 ms (floored);
    // app 'x' on odd rows, none (null) on even ones. Then one bad row of each kind.
    const good = 40;
    const users: unknown[] = Array.from({ length: good }, (_, i) => `u${i % 3}`);
    const times: number[] = Array.from({ length: good }, (_, i) => 1000.7 + 1000 * i);
    const types: unknown[] = new Array<unknown>(good).fill('open');
    const apps: unknown[] = Array.from({ length: good }, (_, i) => (i % 2 === 1 ? 'x' : null));
    users.push('u0', '', 'u0', 'u0', 'u0', 7);
    times.push(1, 2, NaN, Infinity, 5, 6.5);
    types.push('close', 'page', 'page', 'page', 'hide', 'page');
    apps.push('x', 'x', 'x', 'x', {}, 12);
    const batch: ColumnBatch = {
      length: good + 6,
      user: users,
      time: times,
      type: types,
      app: apps,
    };

    const parser = new ColumnarEventParser(0); // room for 16 rows: it must grow to 41
    parser.addColumns(batch);
    expect(parser.rows).to.equal(46);
    const cols = plain(parser.finish());

    expect(cols.length).to.equal(41); // the 40 good rows and user 7's page
    expect(cols.users).to.deep.equal(['u0', 'u1', 'u2', '7']);
    expect(cols.apps).to.deep.equal(['x', '12']);
    expect(cols.user.slice(0, 4)).to.deep.equal([0, 1, 2, 0]);
    expect(cols.time.slice(0, 3)).to.deep.equal([1000, 2000, 3000]);
    expect(cols.time[39]).to.equal(40_000);
    expect(cols.kind.slice(0, 40)).to.deep.equal(new Array(40).fill(KIND_OPEN));
    expect(cols.app.slice(0, 4)).to.deep.equal([0, 1, 0, 1]); // 0: no app, 1: apps[0]
    // Row 46: user 7 (as '7', index 3), a page at 6 ms (floored), app 12 (as '12', index 2).
    expect([cols.user[40], cols.time[40], cols.kind[40], cols.app[40]]).to.deep.equal([
      3,
      6,
      KIND_PAGE,
      2,
    ]);
    // 'close': bad type; '': bad user; NaN and Infinity: bad time; {}: bad app.
    expect(cols.diagnostics).to.deep.equal({
      accepted: 41,
      rejected: 5,
      reasons: { 'bad-type': 1, 'bad-user': 1, 'bad-time': 2, 'bad-app': 1 },
    });
    expect(cols).to.deep.equal(plain(asObjects(batch)));
  });

  it('reads dictionary-coded columns (a negative code is a null), twice over one dictionary', () => {
    const userDictionary = ['p', 'q'];
    const typeDictionary = ['open', 'page', 'hide', 'bogus'];
    const appDictionary = ['x', 'y'];
    const batch: ColumnBatch = {
      length: 6,
      user: { codes: Int32Array.of(0, 1, -1, 0, 1, 0), dictionary: userDictionary },
      time: Float64Array.of(10, 20, 30, 40, 50, 60.9),
      type: { codes: Int32Array.of(0, 1, 0, 3, 2, 2), dictionary: typeDictionary },
      app: { codes: Int32Array.of(0, 0, 0, 0, -1, 1), dictionary: appDictionary },
    };
    const parser = new ColumnarEventParser(0);
    parser.addColumns(batch);
    parser.addColumns(batch); // the same dictionaries again: the same ids
    const cols = plain(parser.finish());
    // Per batch: p open 10 x; q page 20 x; (null user); (bogus type); q hide 50 (no app);
    // p hide 60 y.
    const once = {
      user: [0, 1, 1, 0],
      time: [10, 20, 50, 60],
      kind: [KIND_OPEN, KIND_PAGE, KIND_HIDE, KIND_HIDE],
      app: [1, 1, 0, 2],
    };
    expect(cols).to.deep.equal({
      length: 8,
      user: [...once.user, ...once.user],
      time: [...once.time, ...once.time],
      kind: [...once.kind, ...once.kind],
      app: [...once.app, ...once.app],
      users: ['p', 'q'],
      apps: ['x', 'y'],
      diagnostics: { accepted: 8, rejected: 4, reasons: { 'bad-user': 2, 'bad-type': 2 } },
    });
    expect(cols).to.deep.equal(plain(asObjects(batch, batch)));
  });

  it('reads a batch without an app column as rows without an app', () => {
    const batch: ColumnBatch = {
      length: 2,
      user: ['a', 'a'],
      time: [1, 2],
      type: { codes: Uint8Array.of(0, 1), dictionary: ['open', 'hide'] },
      app: null,
    };
    const parser = new ColumnarEventParser(2);
    parser.addColumns(batch);
    const cols = plain(parser.finish());
    expect(cols.app).to.deep.equal([0, 0]);
    expect(cols.kind).to.deep.equal([KIND_OPEN, KIND_HIDE]);
    expect(cols.apps).to.deep.equal([]);
    expect(cols).to.deep.equal(plain(asObjects(batch)));
  });
});

describe('ColumnarEventParser: the coded rows loop (every id column dictionary-coded)', () => {
  // Rows as [type code, user code, time, app code]; each bad row fails where a comment says,
  // and only its first failure counts (addRange's order: type, user, time, app). Users and
  // apps that only rejected rows hold are interned exactly when addRange interns them: a
  // row's user once its type passed, its app once its time passed.
  const users = ['u0', 'typeBadOnly', '', 'timeBadOnly', 'appBadOnly', 'u5', 7, 'userBadToo'];
  const types = ['open', 'page', 'hide', 'bogus'];
  const apps = ['x', true, '', 'y', 'rejectedOnly'];
  const rows: Array<[number, number, number, number]> = [
    [0, 0, 10, 0], //        good: u0 open 10 x
    [3, 1, 20, 4], //        bad type (bogus); its user and app are never interned
    [-1, 1, 20, 0], //       bad type (null)
    [0, 2, 30, 0], //        bad user ('')
    [1, -1, 30, 4], //       bad user (null); its app is never interned
    [0, 3, NaN, 4], //       bad time: its user is interned, its app is not
    [2, 4, 40, 1], //        bad app (true): its user is interned
    [0, 5, Infinity, 1], //  bad time, and a bad app after it: bad time only
    [3, 7, NaN, 1], //       bad type, user, time and app: bad type only
    [0, 2, NaN, 0], //       bad user and time: bad user only
    [2, 6, 50.9, -1], //     good: user 7 (a number) hide 50, no app (null code)
    [1, 5, 60, 2], //        good: u5 page 60, no app ('')
    [0, 0, 70, 3], //        good: u0 open 70 y
  ];
  const coded = (at: number, dictionary: unknown[]) => ({
    codes: Int32Array.from(rows, (r) => r[at]),
    dictionary,
  });
  const batch: ColumnBatch = {
    length: rows.length,
    user: coded(1, users),
    time: Float64Array.from(rows, (r) => r[2]),
    type: coded(0, types),
    app: coded(3, apps),
  };
  const once = {
    // u0, 7, u5, u0, by id in order of interning: u0, timeBadOnly, appBadOnly, u5 (row 8,
    // rejected for its time after its user was interned), 7.
    user: [0, 4, 3, 0],
    time: [10, 50, 60, 70],
    kind: [KIND_OPEN, KIND_HIDE, KIND_PAGE, KIND_OPEN],
    app: [1, 0, 0, 2],
  };

  it('judges each fault alone and with others as addRange does, interning only what it does', () => {
    const parser = new ColumnarEventParser(0);
    parser.addColumns(batch);
    const cols = plain(parser.finish());
    expect(cols).to.deep.equal({
      length: 4,
      ...once,
      users: ['u0', 'timeBadOnly', 'appBadOnly', 'u5', '7'],
      apps: ['x', 'y'],
      diagnostics: {
        accepted: 4,
        rejected: 9,
        reasons: { 'bad-type': 3, 'bad-user': 3, 'bad-time': 2, 'bad-app': 1 },
      },
    });
    expect(cols).to.deep.equal(plain(asObjects(batch)));
  });

  it('keeps the ids of one dictionary, and maps a new dictionary of the same values to them', () => {
    const reordered: ColumnBatch = {
      length: 3,
      user: { codes: Int32Array.of(1, 0, 2), dictionary: ['u5', 'u0', 'new'] },
      time: Float64Array.of(1, 2, 3),
      type: { codes: Int8Array.of(0, 0, 1), dictionary: ['page', 'open'] },
      app: { codes: Int32Array.of(0, 1, 1), dictionary: ['y', 'x'] },
    };
    const parser = new ColumnarEventParser(0);
    parser.addColumns(batch);
    parser.addColumns(reordered);
    parser.addColumns(batch);
    const cols = plain(parser.finish());
    expect(cols.users).to.deep.equal(['u0', 'timeBadOnly', 'appBadOnly', 'u5', '7', 'new']);
    expect(cols.user.slice(4, 7)).to.deep.equal([0, 3, 5]);
    expect(cols.app.slice(4, 7)).to.deep.equal([2, 1, 1]);
    expect(cols.length).to.equal(11);
    expect(cols).to.deep.equal(plain(asObjects(batch, reordered, batch)));
  });

  it('keeps the ids of a dictionary that grew since (an Arrow delta appended to the same array), each user interned once', () => {
    const users: unknown[] = ['a', 'b'];
    const apps: unknown[] = ['x'];
    const coded = (codes: number[], dictionary: unknown[]) => ({
      codes: Int32Array.from(codes),
      dictionary,
    });
    const batchOf = (userCodes: number[], appCodes: number[], plainTypes = false): ColumnBatch => ({
      length: userCodes.length,
      user: coded(userCodes, users),
      time: Float64Array.from(userCodes, (_, i) => 1000 * (i + 1)),
      type: plainTypes
        ? userCodes.map(() => 'open')
        : coded(
            userCodes.map(() => 0),
            ['open'],
          ),
      app: coded(appCodes, apps),
    });
    const parser = new ColumnarEventParser(0);
    const spied = parser as unknown as { internUser(value: unknown): number };
    const internUser = spied.internUser.bind(parser);
    const interned: unknown[] = [];
    spied.internUser = (value) => (interned.push(value), internUser(value));
    const batches: ColumnBatch[] = [batchOf([0, 1, 0], [0, 0, 0])];
    parser.addColumns(batches[0]);
    users.push('c', 'd'); // a delta: 2 entries more in the same array
    apps.push('y');
    batches.push(batchOf([2, 0, 3, 1], [1, 0, 1, 0]));
    parser.addColumns(batches[1]);
    for (let k = 0; k < 20; k++) users.push(`e${k}`); // past twice the ids' room
    batches.push(batchOf([23, 1, 4, 2], [1, 1, 0, 0]));
    parser.addColumns(batches[2]);
    users.push('f'); // and through the plain-type path (a coded user beside plain types)
    batches.push(batchOf([24, 0, 23, 5], [0, 1, 0, 1], true));
    parser.addColumns(batches[3]);
    const cols = plain(parser.finish());
    expect(interned).to.deep.equal(['a', 'b', 'c', 'd', 'e19', 'e0', 'f', 'e1']);
    expect(cols.users).to.deep.equal(['a', 'b', 'c', 'd', 'e19', 'e0', 'f', 'e1']);
    expect(cols.user).to.deep.equal([0, 1, 0, 2, 0, 3, 1, 4, 1, 5, 2, 6, 0, 4, 7]);
    expect(cols).to.deep.equal(plain(asObjects(...batches)));
  });

  it('reads coded users and types without an app column, bad rows among them', () => {
    const noApp: ColumnBatch = { ...batch, app: null };
    const parser = new ColumnarEventParser(0);
    parser.addColumns(noApp);
    const cols = plain(parser.finish());
    // Without apps, row 7 (a bad app) is good: appBadOnly hide 40.
    expect(cols.length).to.equal(5);
    expect(cols.app).to.deep.equal([0, 0, 0, 0, 0]);
    expect(cols.apps).to.deep.equal([]);
    expect(cols.diagnostics?.reasons).to.deep.equal({
      'bad-type': 3,
      'bad-user': 3,
      'bad-time': 2,
    });
    expect(cols).to.deep.equal(plain(asObjects(noApp)));
  });

  it('judges coded and plain columns together as objects, a null code being a null', () => {
    const mixed: ColumnBatch = {
      length: rows.length,
      user: rows.map((r) => (r[1] < 0 ? null : users[r[1]])), // plain
      time: batch.time,
      type: batch.type,
      app: batch.app,
    };
    const parser = new ColumnarEventParser(0);
    parser.addColumns(mixed);
    const cols = plain(parser.finish());
    expect(cols.time).to.deep.equal(once.time);
    expect(cols.diagnostics?.rejected).to.equal(9);
    expect(cols).to.deep.equal(plain(asObjects(mixed)));
  });

  it('judges coded users and types with a plain app column as objects', () => {
    const plainApp: ColumnBatch = {
      ...batch,
      app: rows.map((r) => (r[3] < 0 ? null : apps[r[3]])),
    };
    const parser = new ColumnarEventParser(0);
    parser.addColumns(plainApp);
    const cols = plain(parser.finish());
    expect(cols.time).to.deep.equal(once.time);
    expect(cols.apps).to.deep.equal(['x', 'y']);
    expect(cols).to.deep.equal(plain(asObjects(plainApp)));
  });

  it("gives room for the next rows' times in its own column, after the rows kept so far", () => {
    const parser = new ColumnarEventParser(0); // room for 16
    const times = [10, NaN, 30, 40.5, NaN, 60];
    const add = (count: number) => {
      const slots = parser.timeSlots(count);
      expect(slots.length).to.equal(count);
      for (let i = 0; i < count; i++) slots[i] = times[i % times.length] + 100 * i;
      parser.addColumns({
        length: count,
        user: { codes: new Int32Array(count), dictionary: ['a'] },
        time: slots,
        type: { codes: new Uint8Array(count), dictionary: ['page'] },
        app: null,
      });
    };
    add(12); // 8 kept
    add(30); // past the first room: 20 more kept
    const cols = plain(parser.finish());
    const kept = (count: number) =>
      Array.from({ length: count }, (_, i) => Math.floor(times[i % 6] + 100 * i)).filter(
        (t) => !Number.isNaN(t),
      );
    expect(cols.time).to.deep.equal([...kept(12), ...kept(30)]);
    expect(cols.length).to.equal(28);
    expect(cols.diagnostics?.reasons).to.deep.equal({ 'bad-time': 14 });
  });
});
