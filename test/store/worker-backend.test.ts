/**
 * The worker side of in-browser mode: WorkerBackend on the page and report.worker.ts in a
 * module Web Worker, through the worker's protocol — loading (transferred columns, a batch of
 * columns, a URL fetched in the worker), computing, failing readably, aborting and disposing.
 * Chromium runs it with its own Worker; `npm run mutate -- worker` runs it under Node with
 * the `web-worker` package's Worker (scripts/node-test-worker.mjs); without any Worker (the
 * store's Node run) it is skipped. URLs are `data:` URLs, which a worker fetches with no
 * server and no service worker. The numbers are worked out by hand below.
 */
import { expect } from '@open-wc/testing';
import { parseEvents } from '../../src/engine/parse.js';
import type { ReportOptions } from '../../src/engine/types.js';
import { WorkerBackend } from '../../src/store/worker/compute-backend.js';
import { setWorkerUrl } from '../../src/store/worker-url.js';
import type { Progress } from '../../src/store/types.js';
import { rejection } from './rejection.js';

const describeWithWorkers = typeof Worker === 'undefined' ? describe.skip : describe;

/**
 * a (app x): open 03-10 10:00:00, page 10:00:10, hide 10:01:00 — one open of 60 s, one page.
 * b (app y): open 03-09 08:00:00, hide 08:00:30 — one open of 30 s, the day before.
 * One row with an empty user: rejected.
 */
const ROWS = [
  { user: 'a', app: 'x', type: 'open', time: '2026-03-10T10:00:00Z' },
  { user: 'a', app: 'x', type: 'page', time: '2026-03-10T10:00:10Z' },
  { user: 'a', app: 'x', type: 'hide', time: '2026-03-10T10:01:00Z' },
  { user: 'b', app: 'y', type: 'open', time: '2026-03-09T08:00:00Z' },
  { user: 'b', app: 'y', type: 'hide', time: '2026-03-09T08:00:30Z' },
  { user: '', type: 'open', time: 1 },
];
const LOADED = {
  apps: ['x', 'y'],
  diagnostics: { accepted: 5, rejected: 1, reasons: { 'bad-user': 1 } },
  span: { first: Date.UTC(2026, 2, 9, 8), last: Date.UTC(2026, 2, 10, 10, 1) },
};
/** Range 1 ending 03-10 in UTC: a in the period, b in the comparison window (03-09). */
const OPTIONS: ReportOptions = { range: 1, end: '2026-03-10', timeZone: 'UTC' };
const TOTALS = {
  newUsers: 1,
  activeUsers: 1,
  opens: 1,
  pageVisits: 1,
  avgDurationPerOpen: 60,
  avgDurationPerUser: 60,
  avgOpensPerUser: 1,
};
const PREVIOUS_TOTALS = {
  ...TOTALS,
  pageVisits: 0,
  avgDurationPerOpen: 30,
  avgDurationPerUser: 30,
};

const dataUrl = (type: string, body: string) => `data:${type},${encodeURIComponent(body)}`;
/** A module worker of its own, as a data: URL (set with setWorkerUrl). */
const workerScript = (code: string) => dataUrl('text/javascript', `${code}\nexport {};`);
/** Ready, then answers a compute with its own name as the error, and crashes on anything else. */
const CRASHING = workerScript(`
  self.postMessage({ type: 'ready' });
  self.addEventListener('message', (e) => {
    if (e.data.type === 'compute') {
      self.postMessage({ type: 'error', job: e.data.job, reason: self.name });
    } else {
      setTimeout(() => { throw new Error('boom'); });
    }
  });`);
/** Fails before it is ready. */
const FAILING = workerScript(`setTimeout(() => { throw new Error('no start'); });`);
/** Never says it is ready. */
const SILENT = workerScript('');

const JSON_URL = dataUrl('application/json', JSON.stringify(ROWS));
const NDJSON_URL = dataUrl('application/x-ndjson', ROWS.map((r) => JSON.stringify(r)).join('\n'));

describeWithWorkers('WorkerBackend and the report worker', function () {
  // A job that never settles fails here (Stryker runs mocha without a timeout of its own).
  this.timeout(5000);
  const backends: WorkerBackend[] = [];
  const newBackend = () => {
    const backend = new WorkerBackend();
    backends.push(backend);
    return backend;
  };
  afterEach(() => {
    setWorkerUrl(null);
    for (const b of backends.splice(0)) b.dispose();
  });
  const signal = () => new AbortController().signal;

  it('takes columns by transfer and computes the hand-computed Report from them', async () => {
    const backend = newBackend();
    expect(backend.kind).to.equal('worker');
    const cols = parseEvents(ROWS);
    const loaded = await backend.loadColumns(cols, signal());
    expect({ ...loaded, id: 0 }).to.deep.equal({ id: 0, ...LOADED });
    expect(cols.time.byteLength).to.equal(0); // transferred: the page's copy is gone
    const progress: Progress[] = [];
    const report = await backend.compute(loaded.id, OPTIONS, (p) => progress.push(p), signal());
    expect(report.totals).to.deep.equal(TOTALS);
    expect(report.previousTotals).to.deep.equal(PREVIOUS_TOTALS);
    expect(report.diagnostics).to.deep.equal(LOADED.diagnostics);
    expect(report.series[10].pageVisits).to.equal(1);
    expect(progress).to.deep.equal([{ phase: 'compute', done: 0, total: null }]);
    // Another report from the same columns: a new day, nothing loaded again.
    const before = await backend.compute(
      loaded.id,
      { ...OPTIONS, end: '2026-03-09' },
      () => {},
      signal(),
    );
    expect(before.totals).to.deep.equal({ ...PREVIOUS_TOTALS, newUsers: 1 });
    expect(backend.broken).to.equal(false);
  });

  it('fetches and parses JSON and NDJSON in the worker, with progress', async () => {
    const backend = newBackend();
    const progress: Progress[] = [];
    const json = await backend.loadUrl(JSON_URL, null, 5000, (p) => progress.push(p), signal());
    expect({ ...json, id: 0 }).to.deep.equal({ id: 0, ...LOADED });
    expect(progress.at(-1)).to.deep.include({ phase: 'parse' });
    const ndjson = await backend.loadUrl(NDJSON_URL, 'ndjson', 5000, () => {}, signal());
    expect({ ...ndjson, id: 0 }).to.deep.equal({ id: 0, ...LOADED });
    expect(ndjson.id).not.to.equal(json.id);
    const report = await backend.compute(ndjson.id, OPTIONS, () => {}, signal());
    expect(report.totals).to.deep.equal(TOTALS);
    // One data set at a time: the JSON one was let go when the NDJSON one loaded.
    const stale = await rejection(backend.compute(json.id, OPTIONS, () => {}, signal()));
    expect(stale.message).to.equal('The events are no longer loaded');
  });

  it('reads a batch of columns, plain and dictionary-coded', async () => {
    const backend = newBackend();
    const loaded = await backend.loadBatch(
      {
        length: 3,
        user: { codes: Int32Array.of(0, 0, 1), dictionary: ['a', 'b'] },
        time: Float64Array.of(
          Date.UTC(2026, 2, 10, 10),
          Date.UTC(2026, 2, 10, 10, 1),
          Date.UTC(2026, 2, 10, 12),
        ),
        type: ['open', 'hide', 'open'],
        app: null,
      },
      signal(),
    );
    expect({ ...loaded, id: 0 }).to.deep.equal({
      id: 0,
      apps: [],
      diagnostics: { accepted: 3, rejected: 0, reasons: {} },
      span: { first: Date.UTC(2026, 2, 10, 10), last: Date.UTC(2026, 2, 10, 12) },
    });
    const report = await backend.compute(loaded.id, OPTIONS, () => {}, signal());
    // a: 60 s; b: an open without a hide, 0 s. Both new and active.
    expect(report.totals).to.deep.equal({
      newUsers: 2,
      activeUsers: 2,
      opens: 2,
      pageVisits: 0,
      avgDurationPerOpen: 30,
      avgDurationPerUser: 30,
      avgOpensPerUser: 1,
    });
  });

  it('fails readably: a body that is no events, bad options, data never loaded', async () => {
    const backend = newBackend();
    const bad = await rejection(
      backend.loadUrl(
        dataUrl('application/json', '[{"user": "a",'),
        'json',
        5000,
        () => {},
        signal(),
      ),
    );
    expect(bad.name).to.equal('LoadError');
    expect(bad.message).to.match(/JSON/);
    const loaded = await backend.loadColumns(parseEvents(ROWS), signal());
    const zone = await rejection(
      backend.compute(loaded.id, { ...OPTIONS, timeZone: 'Mars/Olympus' }, () => {}, signal()),
    );
    expect(zone.message).to.equal("timeZone: unknown time zone 'Mars/Olympus'");
    const never = await rejection(backend.compute(loaded.id + 100, OPTIONS, () => {}, signal()));
    expect(never.message).to.equal('The events are no longer loaded');
    // None of that broke the worker.
    expect((await backend.compute(loaded.id, OPTIONS, () => {}, signal())).totals).to.deep.equal(
      TOTALS,
    );
  });

  it('aborts a job: an AbortError at once, and the worker goes on with the next', async () => {
    const backend = newBackend();
    const controller = new AbortController();
    const load = backend.loadUrl(JSON_URL, null, 5000, () => {}, controller.signal);
    controller.abort();
    expect((await rejection(load)).name).to.equal('AbortError');
    const already = await rejection(backend.loadColumns(parseEvents(ROWS), controller.signal));
    expect(already.name).to.equal('AbortError');
    const loaded = await backend.loadUrl(JSON_URL, null, 5000, () => {}, signal());
    expect(loaded.apps).to.deep.equal(LOADED.apps);
  });

  it('dispose ends the worker: jobs in flight fail as aborted, later ones as stopped', async () => {
    const backend = newBackend();
    const loaded = await backend.loadColumns(parseEvents(ROWS), signal());
    const inFlight = backend.compute(loaded.id, OPTIONS, () => {}, signal());
    backend.dispose();
    expect(backend.broken).to.equal(true);
    expect((await rejection(inFlight)).name).to.equal('AbortError');
    const later = await rejection(backend.compute(loaded.id, OPTIONS, () => {}, signal()));
    expect(later.message).to.equal('The background worker stopped');
  });
  it('transfers a batch’s typed arrays to the worker, and fails readably on a broken batch', async () => {
    const backend = newBackend();
    const codes = Int32Array.of(0);
    const time = Float64Array.of(Date.UTC(2026, 2, 10, 10));
    const type = ['open'];
    await backend.loadBatch(
      { length: 1, user: { codes, dictionary: ['a'] }, time, type, app: null },
      signal(),
    );
    expect(codes.byteLength).to.equal(0);
    expect(time.byteLength).to.equal(0);
    expect(type).to.deep.equal(['open']); // a plain array is copied
    const broken = await rejection(
      backend.loadBatch({ length: 1, user: ['a'], time: null as never, type, app: null }, signal()),
    );
    expect(broken.name).to.equal('LoadError');
  });

  it('knows the data it had is gone once a new load failed, and rejects an aborted compute at once', async () => {
    const backend = newBackend();
    const loaded = await backend.loadColumns(parseEvents(ROWS), signal());
    await rejection(
      backend.loadUrl(dataUrl('application/json', '[{'), 'json', 5000, () => {}, signal()),
    );
    const gone = await rejection(backend.compute(loaded.id, OPTIONS, () => {}, signal()));
    expect(gone.message).to.equal('The events are no longer loaded');
    const aborted = new AbortController();
    aborted.abort();
    const e = await rejection(backend.compute(loaded.id, OPTIONS, () => {}, aborted.signal));
    expect(e.name).to.equal('AbortError');
  });

  it('starts the worker set with setWorkerUrl, named ua-kit-report; a crash fails its jobs', async () => {
    setWorkerUrl(CRASHING);
    const backend = newBackend();
    const named = await rejection(backend.compute(1, OPTIONS, () => {}, signal()));
    expect(named.message).to.equal('ua-kit-report');
    const crash = await rejection(backend.loadColumns(parseEvents(ROWS), signal()));
    expect(crash.name).to.equal('LoadError');
    expect(crash.message).to.match(/^The background computation stopped: .*boom/);
    expect(backend.broken).to.equal(true);
    const later = await rejection(backend.compute(1, OPTIONS, () => {}, signal()));
    expect(later.message).to.equal('The background worker stopped');
  });

  it('tells a worker that could not start apart, and keeps the columns it did not send', async () => {
    setWorkerUrl(FAILING);
    const backend = newBackend();
    const cols = parseEvents(ROWS);
    const e = await rejection(backend.loadColumns(cols, signal()));
    expect(e.name).to.equal('WorkerStartError');
    expect(e.message).to.match(/^The report worker could not start: .*no start/);
    expect(backend.broken).to.equal(true);
    expect(cols.time.byteLength).to.be.greaterThan(0);
  });

  it('stops waiting for a worker that never gets ready when the caller aborts', async () => {
    setWorkerUrl(SILENT);
    const backend = newBackend();
    const controller = new AbortController();
    const waiting = backend.loadColumns(parseEvents(ROWS), controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(waiting)).name).to.equal('AbortError');
  });
});
