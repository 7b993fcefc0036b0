import { expect } from '@open-wc/testing';
import {
  DateMillisecond,
  Dictionary,
  Int32,
  Table,
  TimestampMillisecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  TimestampSecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { HttpResponse, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import { ColumnarEventParser } from '../../src/engine/parse-columns.js';
import { EventParser } from '../../src/engine/parse.js';
import { loadEventsFromUrl } from '../../src/store/events-loader.js';
import { readColumnar } from '../../src/store/worker/columnar.js';
import type { Report } from '../../src/engine/types.js';
import '../../src/components/source/source.js';
import {
  OPTIONS,
  asObjects,
  expectWorkerReport,
  numbers,
  useStores,
  sampleRows,
  type Row,
} from './columnar-rows.js';
import { guardAgainstStrayErrors } from './guard.js';
import { errorReason, itWithWorkers, readyReport, useMsw } from './helpers.js';

/**
 * Columns in the worker's fast path (user, type and app all dictionary-coded) and an
 * apache-arrow Table as `source.columns`: the columns, diagnostics and Reports equal those of
 * the same events as objects, bad rows of every kind included.
 */

/** Dictionary codes of `values` (null: -1) and the dictionary. */
function coded<T>(values: T[]): { codes: Int32Array; dictionary: T[] } {
  const dictionary = [...new Set(values.filter((v) => v !== null))];
  return {
    codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))),
    dictionary,
  };
}

const dict = () => new Dictionary(new Utf8(), new Int32());

/** user, type and app as dictionary-encoded strings. */
function dictionaryColumns(rows: Row[]) {
  const column = (name: 'user' | 'type' | 'app') =>
    vectorFromArray(
      rows.map((r) => r[name]),
      dict(),
    );
  return { user: column('user'), type: column('type'), app: column('app') };
}

/** An apache-arrow Table of the rows: dictionary strings, a millisecond timestamp, nulls. */
function arrowTable(rows: Row[], batches = 3): Table {
  const whole = new Table({
    ...dictionaryColumns(rows),
    time: vectorFromArray(
      rows.map((r) => r.time),
      new TimestampMillisecond(),
    ),
  });
  return inBatches(whole, batches);
}

/** The table cut into `batches` record batches (slices: their Data start past offset 0). */
function inBatches(whole: Table, batches: number): Table {
  const size = Math.ceil(whole.numRows / batches);
  const parts: Table[] = [];
  for (let from = 0; from < whole.numRows; from += size) parts.push(whole.slice(from, from + size));
  return new Table(parts.flatMap((t) => t.batches));
}

describe('columns: the coded fast path and an Arrow Table', () => {
  guardAgainstStrayErrors();
  const newStore = useStores();

  const rows = sampleRows(5000);
  const expected = numbers(computeReport(asObjects(rows), OPTIONS));

  it('the sample has bad rows of each kind', () => {
    const reasons = expected.diagnostics!.reasons;
    for (const reason of ['bad-user', 'bad-type', 'bad-time']) {
      expect(reasons[reason], reason).to.be.greaterThan(10);
    }
  });

  it('dictionary-coded columns give the very columns of addRange over objects, in batches', () => {
    // A bad app (an object) is a bad-app row. Rows with several faults count once, for the
    // first check they fail (type, user, time, app).
    const faults: Array<Partial<Omit<Row, 'app'> & { app: unknown }>> = [
      { app: { x: 1 } },
      { type: 'click', user: null, time: null, app: { x: 1 } },
      { user: '', time: null, app: { x: 1 } },
      { time: null, app: { x: 1 } },
      { type: null, time: null },
    ];
    const withBadApp = rows.map((r, i): Omit<Row, 'app'> & { app: unknown } =>
      i % 23 < faults.length ? { ...r, ...faults[i % 23] } : r,
    );
    const objects = withBadApp.map((r) => (r.app === null ? { ...r, app: undefined } : r));
    const reference = new EventParser();
    reference.addRange(objects);
    const want = reference.finish();
    const parser = new ColumnarEventParser(rows.length);
    const user = coded(withBadApp.map((r) => r.user));
    const type = coded(withBadApp.map((r) => r.type));
    const app = coded(withBadApp.map((r) => r.app));
    const time = Float64Array.from(withBadApp, (r) => r.time ?? NaN);
    for (let from = 0; from < rows.length; from += 1700) {
      const to = Math.min(rows.length, from + 1700);
      parser.addColumns({
        length: to - from,
        user: { codes: user.codes.subarray(from, to), dictionary: user.dictionary },
        type: { codes: type.codes.subarray(from, to), dictionary: type.dictionary },
        app: { codes: app.codes.subarray(from, to), dictionary: app.dictionary },
        time: time.subarray(from, to),
      });
    }
    const got = parser.finish();
    expect(got.diagnostics).to.deep.equal(want.diagnostics);
    expect(got.diagnostics.reasons['bad-app']).to.be.greaterThan(10);
    expect(got.users).to.deep.equal(want.users);
    expect(got.apps).to.deep.equal(want.apps);
    const n = want.length;
    expect(got.length).to.equal(n);
    expect([...got.user.subarray(0, n)]).to.deep.equal([...want.user.subarray(0, n)]);
    expect([...got.time.subarray(0, n)]).to.deep.equal([...want.time.subarray(0, n)]);
    expect([...got.kind.subarray(0, n)]).to.deep.equal([...want.kind.subarray(0, n)]);
    expect([...got.app.subarray(0, n)]).to.deep.equal([...want.app.subarray(0, n)]);
  });

  itWithWorkers(
    'an Arrow Table as source.columns: read in the worker, numbers equal computeReport',
    async () => {
      const table = arrowTable(rows);
      expect(table.batches.length).to.equal(3);
      await expectWorkerReport(newStore({ columns: table }), expected);
    },
  );

  itWithWorkers(
    'a Table from tableFromIPC (every column views one buffer): copied, the table still reads',
    async () => {
      const table = tableFromIPC(tableToIPC(arrowTable(rows)));
      const store = newStore({ columns: table });
      expect(numbers(await readyReport(store))).to.deep.equal(expected);
      // Nothing of the file's buffer was transferred away.
      expect(table.getChild('user')!.get(rows.length - 1)).to.equal(rows.at(-1)!.user);
      expect((table.getChild('time')!.data[0].values as BigInt64Array).length).to.be.greaterThan(0);
    },
  );

  itWithWorkers(
    "a Table's own buffers are transferred: detached in the page afterwards",
    async () => {
      const table = new Table({
        ...dictionaryColumns(rows),
        time: makeVector(Float64Array.from(rows, (r) => r.time ?? NaN)),
      });
      const time = table.getChild('time')!.data[0].values as Float64Array;
      const whole = time.byteOffset === 0 && time.byteLength === time.buffer.byteLength;
      const store = newStore({ columns: table });
      expect(numbers(await readyReport(store))).to.deep.equal(expected);
      expect(whole).to.equal(true);
      expect(time.byteLength).to.equal(0);
    },
  );

  itWithWorkers(
    'plain strings, numeric users, second timestamps and a type read through get(i)',
    async () => {
      const good = rows.filter((r) => r.user !== null && r.user !== '' && r.time !== null);
      const seconds = good.map((r) => Math.floor(r.time! / 1000));
      const variants: Array<[string, Table, unknown[]]> = [
        [
          'Utf8 user and type, int32 app, second timestamps, in sliced batches',
          inBatches(
            new Table({
              user: vectorFromArray(
                good.map((r) => r.user),
                new Utf8(),
              ),
              // apache-arrow's builder takes ms (of whole seconds) and stores seconds.
              time: vectorFromArray(
                seconds.map((t) => t * 1000),
                new TimestampSecond(),
              ),
              type: vectorFromArray(
                good.map((r) => r.type),
                new Utf8(),
              ),
              app: vectorFromArray(
                good.map((r) => (r.app === 'mini' ? 1 : 2)),
                new Int32(),
              ),
            }),
            3,
          ),
          good.map((r, i) => ({
            user: r.user,
            time: seconds[i] * 1000,
            type: r.type,
            app: r.app === 'mini' ? 1 : 2,
          })),
        ],
        [
          'numeric users, a DateMillisecond time (read by the page with get(i))',
          new Table({
            user: vectorFromArray(
              good.map((r) => Number(r.user!.slice(1))),
              new Int32(),
            ),
            time: vectorFromArray(
              good.map((r) => new Date(r.time!)),
              new DateMillisecond(),
            ),
            type: vectorFromArray(
              good.map((r) => r.type),
              dict(),
            ),
          }),
          good.map((r) => ({ user: Number(r.user!.slice(1)), time: r.time, type: r.type })),
        ],
      ];
      // µs and ns written exactly (apache-arrow's builder would multiply ms as doubles).
      for (const [Unit, per] of [
        [TimestampMicrosecond, 1000n],
        [TimestampNanosecond, 1_000_000n],
      ] as const) {
        const data = BigInt64Array.from(good, (r) => BigInt(r.time!) * per + per / 2n);
        variants.push([
          `${Unit.name} times`,
          new Table({
            ...dictionaryColumns(good),
            time: makeVector(makeData({ type: new Unit(), length: data.length, data })),
          }),
          asObjects(good),
        ]);
      }
      for (const [name, table, objects] of variants) {
        const report = await readyReport(newStore({ columns: table }));
        expect(numbers(report), name).to.deep.equal(numbers(computeReport(objects, OPTIONS)));
      }
    },
  );

  itWithWorkers('a Table without a time column: an error that names it', async () => {
    const table = new Table({ user: vectorFromArray(['a']), type: vectorFromArray(['open']) });
    expect(await errorReason(newStore({ columns: table }))).to.equal(
      'The Arrow table has no "time" column (it needs user, time and type; app is optional)',
    );
  });

  itWithWorkers('the element: <ua-source>.columns = table, a new range recomputes', async () => {
    const el = document.createElement('ua-source');
    el.setAttribute('range', '30');
    el.setAttribute('end-date', '2026-03-10');
    el.setAttribute('time-zone', 'UTC');
    el.columns = arrowTable(rows);
    const loaded = new Promise<Report>((resolve) =>
      el.addEventListener('report-load', (e) => resolve(e.detail), { once: true }),
    );
    document.body.append(el);
    try {
      expect(numbers(await loaded)).to.deep.equal(expected);
      el.range = 7;
      await el.updateComplete;
      expect(numbers(await readyReport(el.store))).to.deep.equal(
        numbers(computeReport(asObjects(rows), { ...OPTIONS, range: 7 })),
      );
    } finally {
      el.remove();
    }
  });

  describe('an Arrow file in events-src', () => {
    const msw = useMsw();

    it("the reader is asked for with the file's first bytes, not after the last", async () => {
      const bytes = tableToIPC(arrowTable(rows), 'stream');
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(sent, sent + 4096));
          sent += 4096;
        },
      });
      msw.use(http.get('/f/slow.arrows', () => new HttpResponse(stream)));
      const asked: Array<[string, number]> = [];
      const cols = await loadEventsFromUrl('/f/slow.arrows', {
        signal: new AbortController().signal,
        onProgress: () => {},
        timeout: 10_000,
        readColumnar: (format, file) => {
          asked.push([format, sent]);
          return readColumnar(format, file);
        },
      });
      // The stream is read a few chunks ahead; the reader is asked for once, long before the end.
      expect(asked).to.have.length(1);
      expect(asked[0][0]).to.equal('arrow');
      expect(asked[0][1]).to.be.below(bytes.length / 4);
      expect(cols.diagnostics).to.deep.equal(expected.diagnostics);
    });
  });
});
