import { expect } from '@open-wc/testing';
import { HttpResponse, delay, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { Progress, StoreConfig } from '../../src/store/types.js';
import { guardAgainstStrayErrors } from './guard.js';
import {
  ALL_APPS,
  DAY_MAR_9_TOTALS,
  EVENTS_JSON_URL,
  EVENTS_NDJSON_URL,
  MINI_TOTALS,
  RANGE_30_TOTALS,
  errorReason,
  fixtureEvents,
  generateEvents,
  itWithWorkers,
  readyReport,
  sleep,
  until,
  useMsw,
} from './helpers.js';

const BASE: Partial<StoreConfig> = { range: 7, end: '2026-03-10', timeZone: 'UTC' };

/** Records the store's progress events. */
function progressOf(store: MetricsStore): Progress[] {
  const seen: Progress[] = [];
  store.addEventListener('report-progress', (e) => seen.push(e.detail));
  return seen;
}

const RealWorker = globalThis.Worker;

/** Replaces the global Worker for one test; restored afterwards by `restoreWorker`. */
function stubWorker(replacement: unknown): void {
  (globalThis as { Worker: unknown }).Worker = replacement;
}
function restoreWorker(): void {
  globalThis.Worker = RealWorker;
}

/** A Worker that records its instances, so that a test can reach them. */
function spyWorkers(): Worker[] {
  const instances: Worker[] = [];
  stubWorker(
    class extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        instances.push(this);
      }
    },
  );
  return instances;
}

let events: unknown[];

describe('MetricsStore, in-browser mode', () => {
  const stores: MetricsStore[] = [];
  afterEach(() => {
    restoreWorker();
    for (const s of stores.splice(0)) s.dispose();
  });
  const msw = useMsw();
  guardAgainstStrayErrors();
  const newStore = (config: Partial<StoreConfig>) => {
    const store = new MetricsStore({ ...BASE, ...config });
    stores.push(store);
    return store;
  };

  before(async () => {
    events = await fixtureEvents();
  });

  describe('events array', () => {
    itWithWorkers('computes the hand-computed Report in a worker', async () => {
      const store = newStore({ events });
      expect(store.mode).to.equal('events');
      const report = await readyReport(store);
      expect(store.computeSite).to.equal('worker');
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect(report.previousTotals).to.deep.equal(ALL_APPS.previousTotals);
      expect(report.growth).to.deep.equal(ALL_APPS.growth);
      expect(report.diagnostics).to.deep.equal(ALL_APPS.diagnostics);
      expect(report.period).to.deep.equal({
        start: Date.UTC(2026, 2, 4),
        end: Date.UTC(2026, 2, 11),
      });
    });

    it('lists the distinct apps of the events (id = name, no kind)', async () => {
      const store = newStore({ events });
      await readyReport(store);
      expect(store.apps).to.deep.equal({
        status: 'ready',
        value: [
          { id: 'mini', name: 'mini' },
          { id: 'h5', name: 'h5' },
        ],
      });
    });

    it('reports parse and compute progress', async () => {
      const store = newStore({ events });
      const progress = progressOf(store);
      await readyReport(store);
      expect(progress[0]).to.deep.equal({ phase: 'parse', done: 0, total: 16 });
      expect(progress).to.deep.include({ phase: 'parse', done: 16, total: 16 });
      expect(progress.at(-1)).to.deep.equal({ phase: 'compute', done: 0, total: null });
    });

    it('recomputes a new range, day or app without parsing again', async () => {
      const store = newStore({ events });
      const progress = progressOf(store);
      await readyReport(store);
      const parses = progress.filter((p) => p.phase === 'parse').length;
      expect(parses).to.be.greaterThan(0);

      store.configure({ range: 30 });
      expect((await readyReport(store)).totals).to.deep.equal(RANGE_30_TOTALS);
      store.configure({ range: 1, end: '2026-03-09' });
      const day = await readyReport(store);
      expect(day.totals).to.deep.equal(DAY_MAR_9_TOTALS);
      expect(day.series).to.have.length(24);
      store.configure({ range: 7, end: '2026-03-10', app: 'mini' });
      expect((await readyReport(store)).totals).to.deep.equal(MINI_TOTALS);

      expect(progress.filter((p) => p.phase === 'parse')).to.have.length(parses);
      expect(progress.filter((p) => p.phase === 'compute')).to.have.length(4);
    });

    it('a merge gap of 10 s splits the open that 30 s merged', async () => {
      const store = newStore({ events, app: 'mini', mergeGap: 10 });
      // u1's second open came 20 s after the hide: now 2 opens; stay stays 180 + 10 s
      const report = await readyReport(store);
      expect(report.totals.opens).to.equal(3);
      expect(report.totals.avgDurationPerOpen).to.equal(190 / 3);
    });

    it('a new array parses again', async () => {
      const store = newStore({ events });
      await readyReport(store);
      const progress = progressOf(store);
      store.configure({ events: events.filter((e) => (e as { user: unknown }).user !== 'u2') });
      const report = await readyReport(store);
      expect(report.totals.activeUsers).to.equal(2);
      expect(progress.some((p) => p.phase === 'parse')).to.equal(true);
    });

    itWithWorkers(
      'equals computeReport on the main thread, for many events and every option',
      async () => {
        const many = generateEvents(30_000, 700, 7);
        const store = newStore({
          events: many,
          range: 30,
          end: '2026-03-10',
          timeZone: 'Asia/Tokyo',
        });
        const variants: Array<Partial<StoreConfig>> = [
          {},
          { range: 7, app: 'h5' },
          { range: 1, end: '2026-02-01', timeZone: 'America/New_York', mergeGap: 5 },
        ];
        for (const variant of variants) {
          store.configure(variant);
          const fromWorker = await readyReport(store);
          const c = store.config;
          const expected = computeReport(many, {
            range: c.range,
            end: c.end!,
            timeZone: c.timeZone!,
            app: c.app ?? undefined,
            mergeGapMs: c.mergeGap === null ? undefined : c.mergeGap * 1000,
          });
          expect(fromWorker).to.deep.equal(expected);
          expect(fromWorker.totals.activeUsers).to.be.greaterThan(0);
        }
        expect(store.computeSite).to.equal('worker');
      },
    );

    it('a bad option is a readable error; fixing it recovers without parsing again', async () => {
      const store = newStore({ events, range: 5 as 7 });
      expect(await errorReason(store)).to.equal('range: expected 1, 7 or 30, got 5');
      store.configure({ range: 7, mergeGap: -1 });
      expect(await errorReason(store)).to.equal(
        'merge-gap: expected a number of seconds ≥ 0, got -1',
      );
      store.configure({ mergeGap: null });
      expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
    });

    it('events that are not an array are an error', async () => {
      const store = newStore({ events: { length: 1 } as unknown as unknown[] });
      expect(await errorReason(store)).to.equal('events: expected an array of events');
    });
  });

  describe('events-src', () => {
    itWithWorkers('a JSON array: fetched and parsed in the worker', async () => {
      const store = newStore({ eventsSrc: EVENTS_JSON_URL });
      const progress = progressOf(store);
      const report = await readyReport(store);
      expect(store.mode).to.equal('events-src');
      expect(store.computeSite).to.equal('worker');
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect(report.diagnostics).to.deep.equal(ALL_APPS.diagnostics);
      const loads = progress.filter((p) => p.phase === 'load');
      expect(loads[0]).to.deep.include({ phase: 'load', done: 0 });
      expect(loads.at(-1)!.done).to.be.greaterThan(1000);
      expect(progress.filter((p) => p.phase === 'parse').at(-1)).to.deep.equal({
        phase: 'parse',
        done: 16,
        total: 16,
      });
      expect(store.apps.status === 'ready' && store.apps.value.map((a) => a.id)).to.deep.equal([
        'mini',
        'h5',
      ]);
    });

    it('NDJSON by its extension: streamed line by line; a line that is not JSON is counted', async () => {
      const store = newStore({ eventsSrc: EVENTS_NDJSON_URL });
      const report = await readyReport(store);
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect(report.diagnostics).to.deep.equal({
        accepted: 13,
        rejected: 4,
        reasons: { 'bad-user': 1, 'bad-time': 1, 'bad-type': 1, 'bad-json': 1 },
      });
    });

    it('NDJSON by its media type, or by a body that does not start with [', async () => {
      const ndjson = await (await fetch(EVENTS_NDJSON_URL)).text();
      const json = await (await fetch(EVENTS_JSON_URL)).text();
      msw.use(
        http.get('/feed/typed', () =>
          HttpResponse.text(ndjson, { headers: { 'Content-Type': 'application/x-ndjson' } }),
        ),
        http.get('/feed/jsonl', () =>
          HttpResponse.text(ndjson, { headers: { 'Content-Type': 'application/jsonl' } }),
        ),
        http.get('/feed/sniffed', () =>
          HttpResponse.text(ndjson, { headers: { 'Content-Type': 'text/plain' } }),
        ),
        http.get('/feed/array', () =>
          HttpResponse.text(`\n  ${json}`, { headers: { 'Content-Type': 'text/plain' } }),
        ),
      );
      for (const path of ['/feed/typed', '/feed/jsonl', '/feed/sniffed', '/feed/array']) {
        const store = newStore({ eventsSrc: path });
        const report = await readyReport(store);
        expect(report.totals, path).to.deep.equal(ALL_APPS.totals);
        expect(report.diagnostics!.rejected, path).to.equal(path === '/feed/array' ? 3 : 4);
      }
    });

    it('NDJSON arriving in pieces that split lines and characters', async () => {
      const ndjson = (await (await fetch(EVENTS_NDJSON_URL)).text()).replace('/home', '/hôme☃');
      const bytes = new TextEncoder().encode(ndjson);
      msw.use(
        http.get('/feed/chunked.ndjson', () => {
          const stream = new ReadableStream<Uint8Array>({
            async start(controller) {
              for (let i = 0; i < bytes.length; i += 37) {
                controller.enqueue(bytes.slice(i, i + 37));
                if (i % 370 === 0) await delay(5);
              }
              controller.close();
            },
          });
          return new HttpResponse(stream, { headers: { 'Content-Type': 'application/x-ndjson' } });
        }),
      );
      const store = newStore({ eventsSrc: '/feed/chunked.ndjson' });
      const report = await readyReport(store);
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect(report.diagnostics!.accepted).to.equal(13);
    });

    it('recomputes on range change without fetching or parsing again', async () => {
      let requests = 0;
      const json = await (await fetch(EVENTS_JSON_URL)).text();
      msw.use(
        http.get('/feed/counted.json', () => {
          requests++;
          return HttpResponse.text(json, { headers: { 'Content-Type': 'application/json' } });
        }),
      );
      const store = newStore({ eventsSrc: '/feed/counted.json' });
      const progress = progressOf(store);
      await readyReport(store);
      const before = progress.filter((p) => p.phase !== 'compute').length;
      expect(before).to.be.greaterThan(0);
      store.configure({ range: 30 });
      expect((await readyReport(store)).totals).to.deep.equal(RANGE_30_TOTALS);
      store.configure({ app: 'mini', range: 7 });
      expect((await readyReport(store)).totals).to.deep.equal(MINI_TOTALS);
      expect(requests).to.equal(1);
      expect(progress.filter((p) => p.phase !== 'compute')).to.have.length(before);
    });

    const failures: Array<[string, () => Response, string]> = [
      ['404', () => new HttpResponse(null, { status: 404 }), 'The server answered 404 Not Found'],
      ['a network failure', () => HttpResponse.error(), 'Could not reach the server'],
      [
        'a JSON array cut short',
        () =>
          HttpResponse.text('[{"user": 1,', { headers: { 'Content-Type': 'application/json' } }),
        'The events file is truncated: its JSON array is not closed (the file ends after byte 12)',
      ],
      [
        'an empty 204',
        () => new HttpResponse(null, { status: 204 }),
        'The answer is empty (204 No Content)',
      ],
    ];
    for (const [name, answer, reason] of failures) {
      it(`${name} → "${reason}", and Retry loads again`, async () => {
        let fixed = false;
        const json = await (await fetch(EVENTS_JSON_URL)).text();
        msw.use(
          http.get('/feed/flaky', () =>
            fixed
              ? HttpResponse.text(json, { headers: { 'Content-Type': 'application/json' } })
              : answer(),
          ),
        );
        const store = newStore({ eventsSrc: '/feed/flaky' });
        expect(await errorReason(store)).to.equal(reason);
        expect(store.apps.status === 'error' && store.apps.error).to.equal(reason);
        fixed = true;
        store.retry();
        expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
        expect(store.apps.status).to.equal('ready');
      });
    }

    it('a file that stalls → "timed out"', async () => {
      msw.use(
        http.get('/feed/stalled.json', async () => {
          await delay(2000);
          return HttpResponse.json([]);
        }),
      );
      const store = newStore({ eventsSrc: '/feed/stalled.json', timeout: 200 });
      expect(await errorReason(store)).to.equal('The request timed out after 0.2 s');
    });

    /**
     * An NDJSON body of `events`, one line every `everyMs`, and then `stallMs` of silence; a
     * body its reader cancels (the timed-out fetch) ends at once, so nothing outlives its test.
     */
    function trickle(everyMs: number, stallMs = 0): ReadableStream<Uint8Array> {
      const lines = (events as unknown[]).map((e) =>
        new TextEncoder().encode(JSON.stringify(e) + '\n'),
      );
      let i = 0;
      let cancelled = () => {};
      const ended = new Promise<void>((resolve) => (cancelled = resolve));
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const more = await Promise.race([
            delay(i < lines.length ? everyMs : stallMs).then(() => true),
            ended.then(() => false),
          ]);
          if (!more) return;
          if (i < lines.length) controller.enqueue(lines[i++]);
          else controller.close();
        },
        cancel: () => cancelled(),
      });
    }

    it('the timeout is for silence, not for the whole body: a file that keeps coming loads', async () => {
      // 16 lines 50 ms apart: about 0.8 s in all, against a 0.3 s timeout.
      msw.use(http.get('/feed/trickle.ndjson', () => new HttpResponse(trickle(50))));
      const store = newStore({ eventsSrc: '/feed/trickle.ndjson', timeout: 300 });
      expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
    });

    it('a file that stops coming half way → "timed out"', async () => {
      msw.use(http.get('/feed/halt.ndjson', () => new HttpResponse(trickle(20, 1000))));
      const store = newStore({ eventsSrc: '/feed/halt.ndjson', timeout: 200 });
      expect(await errorReason(store)).to.equal('The request timed out after 0.2 s');
    });
  });

  describe('precedence', () => {
    it('events win over events-src, which wins over endpoint', async () => {
      let endpointRequests = 0;
      msw.use(
        http.get('/never/*', () => {
          endpointRequests++;
          return HttpResponse.json({});
        }),
      );
      const few = events.filter((e) => (e as { user: unknown }).user === 'u2');
      const store = newStore({ events: few, eventsSrc: EVENTS_JSON_URL, endpoint: '/never' });
      expect(store.mode).to.equal('events');
      expect((await readyReport(store)).totals.activeUsers).to.equal(1);
      store.configure({ events: null });
      expect(store.mode).to.equal('events-src');
      expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
      expect(endpointRequests).to.equal(0);
      store.configure({ eventsSrc: null, endpoint: null });
      expect(store.mode).to.equal(null);
      await until(store, () => store.report.status === 'idle');
      expect(store.report).to.deep.equal({ status: 'idle' });
      expect(store.apps).to.deep.equal({ status: 'idle' });
    });
  });

  describe('workers', () => {
    /**
     * Polls the dev server's count of `/__slow/KEY` requests (web-test-runner.config.mjs) until
     * `check` holds: these tests end a worker mid-fetch, served by the dev server, not msw.
     */
    async function waitForCount(
      key: string,
      check: (c: { reached: number; answered: number }) => boolean,
    ): Promise<void> {
      const end = performance.now() + 10_000;
      for (;;) {
        const c = (await (await fetch(`/__slow-count/${key}`)).json()) as {
          reached: number;
          answered: number;
        };
        if (check(c)) return;
        if (performance.now() > end) throw new Error(`timed out waiting for /__slow/${key}`);
        await sleep(20);
      }
    }

    it('computes on the main thread when no Worker can be constructed', async () => {
      stubWorker(
        class {
          constructor() {
            throw new Error('Workers are disabled');
          }
        },
      );
      const many = generateEvents(5_000, 200, 3);
      const store = newStore({ events: many });
      const report = await readyReport(store);
      expect(store.computeSite).to.equal('main');
      expect(report).to.deep.equal(
        computeReport(many, { range: 7, end: '2026-03-10', timeZone: 'UTC' }),
      );
      store.configure({ range: 30 });
      expect((await readyReport(store)).range).to.equal(30);

      const fromUrl = newStore({ eventsSrc: EVENTS_NDJSON_URL });
      expect((await readyReport(fromUrl)).totals).to.deep.equal(ALL_APPS.totals);
      expect(fromUrl.computeSite).to.equal('main');
    });

    itWithWorkers('computes on the main thread when the worker fails to start', async () => {
      stubWorker(
        class extends RealWorker {
          constructor(_url: string | URL, options?: WorkerOptions) {
            super('/no-such-worker.js', options);
          }
        },
      );
      const store = newStore({ events });
      const report = await readyReport(store);
      expect(store.computeSite).to.equal('main');
      expect(report.totals).to.deep.equal(ALL_APPS.totals);

      const fromUrl = newStore({ eventsSrc: EVENTS_JSON_URL });
      expect((await readyReport(fromUrl)).totals).to.deep.equal(ALL_APPS.totals);
      expect(fromUrl.computeSite).to.equal('main');
    });

    itWithWorkers(
      'a worker that crashes mid-job → an error with Retry, and Retry starts a new worker',
      async () => {
        const workers = spyWorkers();
        const key = `crash-${Math.random().toString(36).slice(2)}`;
        const store = newStore({ eventsSrc: `/__slow/${key}?first=1500` });
        await waitForCount(key, (c) => c.reached === 1); // the worker runs: it is fetching
        expect(workers).to.have.length(1);
        workers[0].dispatchEvent(new ErrorEvent('error', { message: 'out of memory' }));
        expect(await errorReason(store)).to.equal(
          'The background computation stopped: out of memory',
        );
        store.retry();
        expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
        expect(workers).to.have.length(2);
        expect(store.computeSite).to.equal('worker');
      },
    );

    itWithWorkers('dispose ends the worker and its fetch; resume loads again', async () => {
      const workers = spyWorkers();
      const key = `dispose-${Math.random().toString(36).slice(2)}`;
      const store = newStore({ eventsSrc: `/__slow/${key}?first=500` });
      const seen: string[] = [];
      store.addEventListener('report-load', () => seen.push('load'));
      store.addEventListener('report-error', () => seen.push('error'));
      await waitForCount(key, (c) => c.reached === 1); // the worker is fetching
      store.dispose();
      expect(store.computeSite).to.equal(null);
      await waitForCount(key, (c) => c.answered === 1); // the answer was sent, to an ended worker
      await sleep(0);
      expect(seen).to.deep.equal([]);
      store.resume();
      expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
      expect(workers).to.have.length(2);
    });

    it('hands tens of thousands of distinct users to the worker', async () => {
      // Every event its own user: the ids cross to the worker in packed chunks.
      const n = 40_000;
      const many = Array.from({ length: n }, (_, i) => ({
        user: i % 3 === 0 ? `ü-${i}-☃` : i % 3 === 1 ? `\uFEFFbom-${i}` : i,
        time: Date.UTC(2026, 2, 10, 12) - i * 1000,
        type: 'open',
      }));
      const store = newStore({ events: many, range: 1 });
      const report = await readyReport(store);
      expect(report.totals.activeUsers).to.equal(n);
      expect(report).to.deep.equal(
        computeReport(many, { range: 1, end: '2026-03-10', timeZone: 'UTC' }),
      );
    });
  });
});
