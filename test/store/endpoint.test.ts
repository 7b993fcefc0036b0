import { expect } from '@open-wc/testing';
import { HttpResponse, delay, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import type { Report } from '../../src/engine/types.js';
import { checkRenderable, endpointUrl, parseApps } from '../../src/store/endpoint.js';
import {
  LoadError,
  formatSeconds,
  isAbort,
  reasonOf,
  statusLine,
  throwIfAborted,
} from '../../src/store/errors.js';
import { inflightCount } from '../../src/store/http.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { REASON_PHRASES } from '../fixtures/reason-phrases.js';
import { guardAgainstStrayErrors } from './guard.js';
import {
  ALL_APPS,
  errorReason,
  fixtureEvents,
  readyReport,
  sleep,
  until,
  quiet,
  useMsw,
  waitFor,
} from './helpers.js';

const API = '/ua-api';
const APPS = {
  apps: [
    { id: 'mini', name: 'Shop mini program', kind: 'mini-program' },
    { id: 'h5', name: '<b>H5</b> site', kind: 'h5' },
  ],
};

let events: unknown[];
/** Reports as a server built with ua-kit/engine would answer them. */
const reportFor = (app: string | null, range: 1 | 7 | 30 = 7): Report =>
  computeReport(events, {
    range,
    end: '2026-03-10',
    timeZone: 'UTC',
    app: app ?? undefined,
  });

describe('MetricsStore, endpoint mode', () => {
  const stores: MetricsStore[] = [];
  // Registered before msw's own afterEach: stores stop before the handlers go.
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });
  const msw = useMsw();
  guardAgainstStrayErrors();
  const newStore = (config: ConstructorParameters<typeof MetricsStore>[0]) => {
    const store = new MetricsStore(config);
    stores.push(store);
    return store;
  };

  before(async () => {
    events = await fixtureEvents();
  });

  describe('success', () => {
    it('loads /apps and /report, with the query the contract names', async () => {
      const urls: string[] = [];
      msw.use(
        http.get(`${API}/apps`, ({ request }) => {
          urls.push(request.url);
          return HttpResponse.json(APPS);
        }),
        http.get(`${API}/report`, ({ request }) => {
          urls.push(request.url);
          return HttpResponse.json(reportFor('mini'));
        }),
      );
      const store = newStore({
        endpoint: API,
        app: 'mini',
        range: 7,
        end: '2026-03-10',
        timeZone: 'Asia/Shanghai',
      });
      expect(store.mode).to.equal('endpoint');
      const report = await readyReport(store);
      expect(report.app).to.equal('mini');
      // mini: u1 and 42 → 2 active users, 2 opens, 190 s of stay
      expect(report.totals.activeUsers).to.equal(2);
      expect(report.totals.opens).to.equal(2);
      await until(store, () => store.apps.status === 'ready');
      expect(store.apps).to.deep.equal({
        status: 'ready',
        value: [
          { id: 'mini', name: 'Shop mini program', kind: 'mini-program' },
          { id: 'h5', name: '<b>H5</b> site', kind: 'h5' },
        ],
      });
      const reportUrl = new URL(urls.find((u) => u.includes('/report'))!);
      expect(reportUrl.pathname).to.equal('/ua-api/report');
      expect([...reportUrl.searchParams]).to.deep.equal([
        ['app', 'mini'],
        ['range', '7'],
        ['end', '2026-03-10'],
        ['tz', 'Asia/Shanghai'],
      ]);
    });

    it("leaves out unset params: no app, no end (the server's T+1), tz = the browser's", async () => {
      let url: URL | null = null;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, ({ request }) => {
          url = new URL(request.url);
          return HttpResponse.json(reportFor(null));
        }),
      );
      const store = newStore({ endpoint: `${API}/` });
      const report = await readyReport(store);
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect([...url!.searchParams]).to.deep.equal([
        ['range', '7'],
        ['tz', new Intl.DateTimeFormat().resolvedOptions().timeZone],
      ]);
    });

    it('keeps the previous Report while a new one loads', async () => {
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async ({ request }) => {
          const range = Number(new URL(request.url).searchParams.get('range')) as 7 | 30;
          if (range === 30) await delay(100);
          return HttpResponse.json(reportFor(null, range));
        }),
      );
      const store = newStore({ endpoint: API });
      const first = await readyReport(store);
      store.configure({ range: 30 });
      await Promise.resolve(); // the load starts in a microtask
      expect(store.report.status).to.equal('loading');
      expect(store.report.status === 'loading' && store.report.previous).to.equal(first);
      const second = await readyReport(store);
      expect(second.range).to.equal(30);
    });

    it('dispatches report-load with the Report', async () => {
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, () => HttpResponse.json(reportFor(null))),
      );
      const store = newStore({ endpoint: API });
      const event = await new Promise<CustomEvent<Report>>((resolve) =>
        store.addEventListener('report-load', resolve, { once: true }),
      );
      expect(event.detail.totals).to.deep.equal(ALL_APPS.totals);
    });
  });

  describe('failures: each a readable error, and Retry then succeeds', () => {
    const broken: Array<[string, () => Response | Promise<Response>, string]> = [
      ['a network failure', () => HttpResponse.error(), 'Could not reach the server'],
      [
        'HTTP 500',
        () => new HttpResponse('oops', { status: 500 }),
        'The server answered 500 Internal Server Error',
      ],
      [
        'HTTP 404',
        () => new HttpResponse(null, { status: 404 }),
        'The server answered 404 Not Found',
      ],
      [
        'invalid JSON',
        () => new HttpResponse('{"app": nul', { headers: { 'Content-Type': 'application/json' } }),
        'The answer is not valid JSON',
      ],
      [
        'a Report of the wrong shape',
        () => {
          const r = reportFor(null) as unknown as { totals: Record<string, unknown> };
          r.totals.opens = '3';
          return HttpResponse.json(r);
        },
        'The report is malformed: totals.opens must be a number',
      ],
      [
        'an empty 204',
        () => new HttpResponse(null, { status: 204 }),
        'The answer is empty (204 No Content)',
      ],
    ];

    for (const [name, answer, reason] of broken) {
      it(`${name} → "${reason}"`, async () => {
        let fixed = false;
        let requests = 0;
        msw.use(
          http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
          http.get(`${API}/report`, () => {
            requests++;
            return fixed ? HttpResponse.json(reportFor(null)) : answer();
          }),
        );
        const store = newStore({ endpoint: API });
        const errors: string[] = [];
        store.addEventListener('report-error', (e) => errors.push(e.detail.reason));
        expect(await errorReason(store)).to.equal(reason);
        expect(errors).to.deep.equal([reason]);
        expect(requests).to.equal(1);

        fixed = true;
        store.retry();
        const report = await readyReport(store);
        expect(report.totals).to.deep.equal(ALL_APPS.totals);
        expect(requests).to.equal(2);
      });
    }

    it('a timeout → "The request timed out after 0.2 s", and Retry then succeeds', async () => {
      let slow = true;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async () => {
          if (slow) await delay(1500);
          return HttpResponse.json(reportFor(null));
        }),
      );
      const store = newStore({ endpoint: API, timeout: 200 });
      const started = performance.now();
      expect(await errorReason(store)).to.equal('The request timed out after 0.2 s');
      expect(performance.now() - started).to.be.below(1400);
      slow = false;
      // The retried answer must not race a 0.2 s limit on a busy machine: allow it more time.
      store.configure({ timeout: 10_000 });
      store.retry();
      expect((await readyReport(store)).totals).to.deep.equal(ALL_APPS.totals);
    });

    it('the default timeout reads "timed out after 15 s"', () => {
      expect(new MetricsStore().config.timeout).to.equal(15_000);
      expect(formatSeconds(15_000)).to.equal('15 s');
      expect(formatSeconds(1_500)).to.equal('1.5 s');
    });

    it('keeps the last good Report in the error state', async () => {
      let fail = false;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, () =>
          fail ? new HttpResponse(null, { status: 503 }) : HttpResponse.json(reportFor(null)),
        ),
      );
      const store = newStore({ endpoint: API });
      const good = await readyReport(store);
      fail = true;
      store.configure({ app: 'h5' });
      expect(await errorReason(store)).to.equal('The server answered 503 Service Unavailable');
      expect(store.report.status === 'error' && store.report.previous).to.equal(good);
    });

    it('an invalid option is an error before any request', async () => {
      let requests = 0;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, () => {
          requests++;
          return HttpResponse.json(reportFor(null));
        }),
      );
      const store = newStore({ endpoint: API, end: '2026-13-01' });
      expect(await errorReason(store)).to.equal(
        "end: expected a date 'YYYY-MM-DD', got '2026-13-01'",
      );
      store.configure({ end: null, timeZone: 'Mars/Olympus' });
      await until(store, () => store.report.status === 'error' && /Mars/.test(store.report.error));
      expect(store.report.status === 'error' && store.report.error).to.equal(
        "timeZone: unknown time zone 'Mars/Olympus'",
      );
      expect(requests).to.equal(0);
      await until(store, () => store.apps.status === 'ready'); // the app list does not depend on them
    });
  });

  describe('the app list', () => {
    it('a malformed /apps answer is an error of the app list only', async () => {
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json({ apps: [{ id: 'mini' }] })),
        http.get(`${API}/report`, () => HttpResponse.json(reportFor(null))),
      );
      const store = newStore({ endpoint: API });
      await readyReport(store);
      await until(store, () => store.apps.status === 'error');
      expect(store.apps).to.deep.equal({
        status: 'error',
        error: 'The app list is malformed: apps[0].name must be a string',
        previous: undefined,
      });
    });

    it('is fetched once per endpoint, not on every range or app change', async () => {
      let appsRequests = 0;
      msw.use(
        http.get(`${API}/apps`, () => {
          appsRequests++;
          return HttpResponse.json(APPS);
        }),
        http.get(`${API}/report`, () => HttpResponse.json(reportFor(null))),
      );
      const store = newStore({ endpoint: API });
      await readyReport(store);
      store.configure({ range: 30 });
      await until(store, () => store.report.status === 'ready' && store.config.range === 30);
      store.configure({ app: 'h5' });
      await readyReport(store);
      expect(appsRequests).to.equal(1);
    });

    it('Retry fetches a failed app list again', async () => {
      let fail = true;
      msw.use(
        http.get(`${API}/apps`, () =>
          fail ? new HttpResponse(null, { status: 500 }) : HttpResponse.json(APPS),
        ),
        http.get(`${API}/report`, () => HttpResponse.json(reportFor(null))),
      );
      const store = newStore({ endpoint: API });
      await until(store, () => store.apps.status === 'error');
      expect(store.apps.status === 'error' && store.apps.error).to.equal(
        'The server answered 500 Internal Server Error',
      );
      fail = false;
      store.retry();
      await until(store, () => store.apps.status === 'ready');
    });

    // Each way of dropping an app list in flight aborts its request; the abort is never shown.
    const dropApps: Array<[string, (store: MetricsStore) => void, string]> = [
      ['dispose()', (store) => store.dispose(), 'loading'],
      ['setReport(report, apps)', (store) => store.setReport(reportFor(null), []), 'ready'],
      [
        'a switch to another endpoint',
        (store) => store.configure({ endpoint: '/ua-api-2' }),
        'ready',
      ],
    ];
    for (const [name, drop, after] of dropApps) {
      it(`${name} while /apps loads leaves the app list without an error`, async () => {
        const realFetch = window.fetch;
        const appsFetches: Array<Promise<Response>> = [];
        window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
          const answer = realFetch(input, init);
          if (String(input).endsWith('/apps')) appsFetches.push(answer);
          return answer;
        }) as typeof fetch;
        msw.use(
          http.get(`${API}/apps`, async () => {
            await delay(5_000);
            return HttpResponse.json(APPS);
          }),
          http.get('/ua-api-2/apps', () => HttpResponse.json(APPS)),
          http.get('*/report', () => HttpResponse.json(reportFor(null))),
        );
        try {
          const store = newStore({ endpoint: API });
          const statuses: string[] = [];
          store.subscribe(() => statuses.push(store.apps.status));
          await waitFor(() => appsFetches.length === 1);
          drop(store);
          // The aborted fetch has settled (rejected), and with it everything that follows.
          await appsFetches[0].then(
            () => expect.fail('the /apps request was not aborted'),
            () => undefined,
          );
          if (after === 'ready') await until(store, () => store.apps.status !== 'loading');
          await sleep(0);
          expect(statuses).not.to.include('error');
          expect(store.apps.status).to.equal(after);
        } finally {
          window.fetch = realFetch;
        }
      });
    }

    it('parseApps keeps id, name and a known kind', () => {
      expect(
        parseApps({
          apps: [
            { id: 'a', name: 'A', kind: 'h5', extra: 1 },
            { id: 'b', name: 'B', kind: 'tv' },
          ],
        }),
      ).to.deep.equal([
        { id: 'a', name: 'A', kind: 'h5' },
        { id: 'b', name: 'B' },
      ]);
      expect(parseApps([])).to.equal('the answer must be a JSON object { apps: [...] }');
      expect(parseApps({ apps: {} })).to.equal('apps must be an array');
      expect(parseApps({ apps: [{ id: '', name: 'x' }] })).to.equal(
        'apps[0].id must be a non-empty string',
      );
      expect(parseApps({ apps: [{ id: 'a', name: 'A', kind: 3 }] })).to.equal(
        'apps[0].kind must be a string',
      );
    });
  });

  describe('races, aborts and sharing', () => {
    it('a slow answer for app A arriving after the answer for app B leaves B shown', async () => {
      const reached: string[] = [];
      const answered: string[] = [];
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async ({ request }) => {
          const app = new URL(request.url).searchParams.get('app');
          reached.push(app!);
          if (app === 'mini') await delay(400);
          answered.push(app!);
          return HttpResponse.json(reportFor(app));
        }),
      );
      const store = newStore({ endpoint: API, app: 'mini' });
      await waitFor(() => reached.includes('mini')); // A's request is at the server
      store.configure({ app: 'h5' });
      const report = await readyReport(store);
      expect(report.app).to.equal('h5');
      await waitFor(() => answered.length === 2); // A's answer has been sent
      await quiet(store);
      expect(answered).to.deep.equal(['h5', 'mini']);
      expect(store.report.status).to.equal('ready');
      expect(store.report.status === 'ready' && store.report.value.app).to.equal('h5');
    });

    it('a late answer that ignores the abort still never replaces a newer one', async () => {
      // A fetch that answers whatever the signal says: the store's own abort (getJson rejects
      // at once when its signal fires) drops the late answer.
      const realFetch = window.fetch;
      const pending: Array<() => void> = [];
      let lateRead = false;
      window.fetch = ((input: RequestInfo | URL) => {
        const url = new URL(String(input), location.href);
        const app = url.searchParams.get('app');
        const body = url.pathname.endsWith('/apps') ? APPS : reportFor(app);
        const answer = () => new Response(JSON.stringify(body));
        if (app !== 'mini') return Promise.resolve(answer());
        const late = answer();
        const read = late.text.bind(late);
        late.text = () => read().finally(() => (lateRead = true));
        return new Promise<Response>((resolve) => pending.push(() => resolve(late)));
      }) as typeof fetch;
      try {
        const store = newStore({ endpoint: API, app: 'mini' });
        await waitFor(() => pending.length === 1);
        store.configure({ app: 'h5' });
        expect((await readyReport(store)).app).to.equal('h5');
        expect(pending).to.have.length(1);
        pending[0]();
        await waitFor(() => lateRead); // the late answer was read, and then dropped
        await quiet(store);
        expect(store.report.status === 'ready' && store.report.value.app).to.equal('h5');
      } finally {
        window.fetch = realFetch;
      }
    });

    it('an answer already on its way when the store moves on is dropped (the generation guard)', async () => {
      // Two stores share one fetch. When it answers, A's report-load comes first, and a portal
      // listener there gives B a fixed Report. B's own answer has left getJson by then (the
      // abort comes too late to reject it); only the generation counter keeps it out.
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, () => HttpResponse.json(reportFor(null))),
      );
      const config = { endpoint: API, end: '2026-03-10', timeZone: 'UTC' };
      const a = newStore(config);
      const b = newStore(config);
      const fixed = reportFor('mini', 30);
      const bLoads: Report[] = [];
      b.addEventListener('report-load', (e) => bLoads.push(e.detail));
      a.addEventListener('report-load', () => b.setReport(fixed), { once: true });
      await readyReport(a);
      // B's dropped answer would have arrived in the same task as A's: a later task sees all.
      await sleep(0);
      expect(b.report.status === 'ready' && b.report.value).to.equal(fixed);
      expect(bLoads).to.deep.equal([fixed]);
    });

    it('aborts the request in flight when the configuration changes', async () => {
      const realFetch = window.fetch;
      const signals: Array<[string, AbortSignal]> = [];
      window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
        signals.push([String(input), init!.signal!]);
        return realFetch(input, init);
      }) as typeof fetch;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async ({ request }) => {
          const range = Number(new URL(request.url).searchParams.get('range')) as 7 | 30;
          if (range === 7) await delay(300);
          return HttpResponse.json(reportFor(null, range));
        }),
      );
      try {
        const store = newStore({ endpoint: API });
        await waitFor(() => signals.some(([url]) => url.includes('/report')));
        store.configure({ range: 30 });
        expect((await readyReport(store)).range).to.equal(30);
        const reports = signals.filter(([url]) => url.includes('/report'));
        expect(reports).to.have.length(2);
        expect(reports[0][0]).to.contain('range=7');
        expect(reports[0][1].aborted).to.equal(true);
        expect(reports[1][1].aborted).to.equal(false);
      } finally {
        window.fetch = realFetch;
      }
    });

    it('configuring the same values again makes no new request', async () => {
      let requests = 0;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, () => {
          requests++;
          return HttpResponse.json(reportFor(null));
        }),
      );
      const store = newStore({ endpoint: API, range: 7 });
      await readyReport(store);
      store.configure({ range: 7, endpoint: API });
      store.configure({ range: 30 });
      store.configure({ range: 7 }); // back within the same batch
      await quiet(store);
      expect(store.report.status).to.equal('ready');
      expect(requests).to.equal(1);
    });

    it('identical concurrent requests from two stores share one fetch', async () => {
      let reports = 0;
      let apps = 0;
      msw.use(
        http.get(`${API}/apps`, () => {
          apps++;
          return HttpResponse.json(APPS);
        }),
        http.get(`${API}/report`, async () => {
          reports++;
          await delay(100);
          return HttpResponse.json(reportFor(null));
        }),
      );
      const config = { endpoint: API, end: '2026-03-10', timeZone: 'UTC' };
      const a = newStore(config);
      const b = newStore(config);
      const [ra, rb] = await Promise.all([readyReport(a), readyReport(b)]);
      expect(ra.totals).to.deep.equal(ALL_APPS.totals);
      expect(rb.totals).to.deep.equal(ALL_APPS.totals);
      expect(reports).to.equal(1);
      expect(apps).to.equal(1);
      expect(inflightCount()).to.equal(0);
    });

    it('stores with different timeouts do not share a fetch: a short limit fails only its own store', async () => {
      let reports = 0;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async () => {
          reports++;
          await delay(800);
          return HttpResponse.json(reportFor(null));
        }),
      );
      const config = { endpoint: API, end: '2026-03-10', timeZone: 'UTC' };
      const short = newStore({ ...config, timeout: 200 });
      const long = newStore({ ...config, timeout: 10_000 });
      const [reason, report] = await Promise.all([errorReason(short), readyReport(long)]);
      expect(reason).to.equal('The request timed out after 0.2 s');
      expect(report.totals).to.deep.equal(ALL_APPS.totals);
      expect(reports).to.equal(2);
    });

    it('a shared fetch survives one store leaving and is aborted when the last leaves', async () => {
      const realFetch = window.fetch;
      const signals: AbortSignal[] = [];
      window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input).includes('/report')) signals.push(init!.signal!);
        return realFetch(input, init);
      }) as typeof fetch;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async () => {
          await delay(300);
          return HttpResponse.json(reportFor(null));
        }),
      );
      try {
        const a = newStore({ endpoint: API, timeZone: 'UTC' });
        const b = newStore({ endpoint: API, timeZone: 'UTC' });
        await waitFor(() => signals.length > 0);
        await sleep(0); // both stores' loads started in the same task
        expect(signals).to.have.length(1);
        a.dispose();
        expect(signals[0].aborted).to.equal(false);
        expect((await readyReport(b)).totals).to.deep.equal(ALL_APPS.totals);

        const c = newStore({ endpoint: API, timeZone: 'UTC', range: 30 });
        const d = newStore({ endpoint: API, timeZone: 'UTC', range: 30 });
        await waitFor(() => signals.length > 1);
        await sleep(0);
        expect(signals).to.have.length(2);
        c.dispose();
        d.dispose();
        expect(signals[1].aborted).to.equal(true);
      } finally {
        window.fetch = realFetch;
      }
    });

    it('dispose aborts without an error, and resume loads again', async () => {
      let reached = 0;
      let answered = 0;
      msw.use(
        http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
        http.get(`${API}/report`, async () => {
          reached++;
          await delay(200);
          answered++;
          return HttpResponse.json(reportFor(null));
        }),
      );
      const store = newStore({ endpoint: API });
      const seen: string[] = [];
      store.addEventListener('report-error', () => seen.push('error'));
      store.addEventListener('report-load', () => seen.push('load'));
      await waitFor(() => reached === 1);
      store.dispose();
      await waitFor(() => answered === 1); // the answer was sent, to an aborted request
      await quiet();
      expect(seen).to.deep.equal([]);
      expect(store.report.status).to.equal('loading');
      store.resume();
      await readyReport(store);
      expect(seen).to.deep.equal(['load']);
    });
  });

  describe('helpers', () => {
    it('endpointUrl appends the path and keeps the endpoint’s own query', () => {
      expect(endpointUrl('https://x.test/api/', 'apps')).to.equal('https://x.test/api/apps');
      expect(
        endpointUrl('https://x.test/api?key=k', 'report', { app: 'a b', range: 7, end: null }),
      ).to.equal('https://x.test/api/report?key=k&app=a+b&range=7');
      expect(endpointUrl('/api', 'apps')).to.equal(`${location.origin}/api/apps`);
    });

    it('statusLine names every status a portal meets when the answer has no phrase (HTTP/2)', () => {
      for (const [status, phrase] of Object.entries(REASON_PHRASES)) {
        expect(statusLine(Number(status), '')).to.equal(`${status} ${phrase}`);
        expect(statusLine(Number(status), '  ')).to.equal(`${status} ${phrase}`);
      }
      expect(statusLine(404, ' Nope ')).to.equal('404 Nope');
      expect(statusLine(599)).to.equal('599');
    });

    it('isAbort: an AbortError of the platform, never a LoadError nor anything else', () => {
      expect(isAbort(new DOMException('stopped', 'AbortError'))).to.equal(true);
      expect(isAbort({ name: 'AbortError' })).to.equal(true);
      const named = new LoadError('The request timed out after 1 s');
      named.name = 'AbortError';
      expect(isAbort(named)).to.equal(false);
      for (const other of [null, undefined, 'AbortError', new Error('x'), { name: 'Abort' }]) {
        expect(isAbort(other), String(other)).to.equal(false);
      }
      const controller = new AbortController();
      expect(() => throwIfAborted(controller.signal)).not.to.throw();
      controller.abort();
      expect(() => throwIfAborted(controller.signal)).to.throw(
        DOMException,
        'The operation was aborted',
      );
      expect(new LoadError('x').name).to.equal('LoadError');
    });

    it('formatSeconds and reasonOf: the words of an error state', () => {
      expect(formatSeconds(15_000)).to.equal('15 s');
      expect(formatSeconds(1_500)).to.equal('1.5 s');
      expect(formatSeconds(1_000)).to.equal('1 s');
      expect(formatSeconds(999)).to.equal('1 s');
      expect(formatSeconds(250)).to.equal('0.25 s');
      expect(formatSeconds(50)).to.equal('0.05 s');
      expect(reasonOf(new Error('Boom'))).to.equal('Boom');
      expect(reasonOf(new TypeError(''))).to.equal('TypeError');
      expect(reasonOf('plain')).to.equal('plain');
    });

    it('checkRenderable names a zone the browser does not know (cut when long) and a time a Date cannot hold', () => {
      const good = reportFor(null);
      expect(checkRenderable(good)).to.equal(null);
      expect(checkRenderable({ ...good, timeZone: 'Mars/Base' })).to.equal(
        "timeZone 'Mars/Base' is not a time zone this browser knows",
      );
      const long = 'X'.repeat(61);
      expect(checkRenderable({ ...good, timeZone: long })).to.equal(
        `timeZone '${'X'.repeat(60)}…' is not a time zone this browser knows`,
      );
      expect(checkRenderable({ ...good, timeZone: 'X'.repeat(60) })).to.equal(
        `timeZone '${'X'.repeat(60)}' is not a time zone this browser knows`,
      );
      const shifted = (change: (r: Report) => void) => {
        const copy = structuredClone(good);
        change(copy);
        return checkRenderable(copy);
      };
      const bound = ' is not a date (epoch ms within ±8.64e15)';
      expect(shifted((r) => (r.period.start = -8.64e15 - 1))).to.equal(`period.start${bound}`);
      expect(shifted((r) => (r.period.end = 9e15))).to.equal(`period.end${bound}`);
      expect(shifted((r) => (r.previous.start = -9e15))).to.equal(`previous.start${bound}`);
      expect(shifted((r) => (r.previous.end = 9e15))).to.equal(`previous.end${bound}`);
      expect(shifted((r) => (r.series[3].start = 9e15))).to.equal(`series[3].start${bound}`);
      expect(shifted((r) => (r.previousSeries![2].start = 9e15))).to.equal(
        `previousSeries[2].start${bound}`,
      );
      expect(shifted((r) => (r.period.end = 8.64e15))).to.equal(null); // the last instant a Date holds
    });

    it('parseApps names the first bad field', () => {
      const cases: Array<[unknown, string]> = [
        [null, 'the answer must be a JSON object { apps: [...] }'],
        [[], 'the answer must be a JSON object { apps: [...] }'],
        ['apps', 'the answer must be a JSON object { apps: [...] }'],
        [{ apps: {} }, 'apps must be an array'],
        [{ apps: [null] }, 'apps[0] must be an object { id, name }'],
        [{ apps: [{ id: 'a', name: 'A' }, ['b']] }, 'apps[1] must be an object { id, name }'],
        [{ apps: [7] }, 'apps[0] must be an object { id, name }'],
        [{ apps: [{ id: '', name: 'A' }] }, 'apps[0].id must be a non-empty string'],
        [{ apps: [{ id: 1, name: 'A' }] }, 'apps[0].id must be a non-empty string'],
        [{ apps: [{ id: 'a', name: 1 }] }, 'apps[0].name must be a string'],
        [{ apps: [{ id: 'a', name: 'A', kind: 3 }] }, 'apps[0].kind must be a string'],
      ];
      for (const [value, message] of cases) expect(parseApps(value), message).to.equal(message);
      expect(parseApps({ apps: [{ id: 'a', name: 'A', kind: null }] })).to.deep.equal([
        { id: 'a', name: 'A' },
      ]);
      expect(
        parseApps({
          apps: ['mini-program', 'h5', 'mini-game', 'tv'].map((kind) => ({
            id: kind,
            name: kind,
            kind,
          })),
        }),
      ).to.deep.equal([
        { id: 'mini-program', name: 'mini-program', kind: 'mini-program' },
        { id: 'h5', name: 'h5', kind: 'h5' },
        { id: 'mini-game', name: 'mini-game', kind: 'mini-game' },
        { id: 'tv', name: 'tv' },
      ]);
    });

    it('endpointUrl leaves out empty values and trims every trailing slash', () => {
      expect(
        endpointUrl('https://x.test/api//', 'report', { app: '', range: 0, end: undefined }),
      ).to.equal('https://x.test/api/report?range=0');
    });

    it('statusLine falls back to the standard reason phrase', () => {
      expect(statusLine(500, '')).to.equal('500 Internal Server Error');
      expect(statusLine(418, '')).to.equal('418');
      expect(statusLine(404, 'Nope')).to.equal('404 Nope');
    });
  });
});
