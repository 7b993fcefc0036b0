/**
 * Faults (issue 7): an endpoint that is down and comes back, fifty choices of app and range
 * within a second, elements removed while their request is in flight. Real widgets over a real
 * `<ua-source>`, msw's service worker answering.
 *
 * A worker that crashes mid-job is covered where the worker is: test/store/in-browser.test.ts,
 * "a worker that crashes mid-job → an error with Retry, and Retry starts a new worker" (the
 * widgets render that error state as any other; the fuzz in endpoint-fuzz.test.ts checks that
 * state in every widget).
 */
import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { HttpResponse, delay, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import type { Range, Report } from '../../src/engine/types.js';
import { inflightCount } from '../../src/store/http.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { EVENTS_JSON_URL, fixtureEvents, quiet, sleep, useMsw, waitFor } from '../store/helpers.js';
import {
  clickRetry,
  inShadow,
  mountEndpoint,
  mountWidgets,
  settle,
  type Widgets,
} from './harness.js';

let events: unknown[];
const reportFor = (range: Range, app: string | null = null): Report =>
  computeReport(events, { range, end: '2026-03-10', timeZone: 'UTC', app: app ?? undefined });

/** The text of the overview's card of one metric. */
function cardValue(w: Widgets, metric: string): string {
  return inShadow(w.overview, `[data-metric="${metric}"] .value`)?.textContent ?? '';
}

/** Records the AbortSignal of every fetch (msw's service worker never sees an abort). */
function recordFetches(): { calls: Array<{ url: string; signal: AbortSignal }>; restore(): void } {
  const realFetch = window.fetch;
  const calls: Array<{ url: string; signal: AbortSignal }> = [];
  window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), signal: init!.signal! });
    return realFetch(input, init);
  }) as typeof fetch;
  return { calls, restore: () => (window.fetch = realFetch) };
}

/** Resolves with the next `report-load` or `report-error` of `target`. */
function nextOutcome(target: EventTarget): Promise<string> {
  return new Promise((resolve) => {
    const on = (e: Event) => {
      target.removeEventListener('report-load', on);
      target.removeEventListener('report-error', on);
      resolve(e.type);
    };
    target.addEventListener('report-load', on);
    target.addEventListener('report-error', on);
  });
}

describe('faults', () => {
  const mounted: Widgets[] = [];
  const restores: Array<() => void> = [];
  afterEach(() => {
    for (const w of mounted.splice(0)) w.container.remove();
    for (const restore of restores.splice(0)) restore();
  });
  const msw = useMsw();
  guardAgainstStrayErrors();

  before(async () => {
    events = await fixtureEvents();
  });

  it('endpoint down, then up: every widget shows the error with Retry; Retry recovers', async () => {
    let up = false;
    const hits = { report: 0, apps: 0 };
    msw.use(
      http.get('/down/report', () => {
        hits.report++;
        return up ? HttpResponse.json(reportFor(7)) : HttpResponse.error();
      }),
      http.get('/down/apps', () => {
        hits.apps++;
        return up
          ? HttpResponse.json({ apps: [{ id: 'mini', name: 'Mini', kind: 'mini-program' }] })
          : HttpResponse.error();
      }),
    );
    const w = mountEndpoint('/down');
    mounted.push(w);
    await settle(w);
    await expect(w.overview).to.be.accessible();
    for (const el of [w.overview, w.trend!, w.table]) {
      expect(inShadow(el, '[part~="error"] .reason')!.textContent).to.equal(
        'Could not reach the server',
      );
      expect(inShadow(el, 'button[part~="retry"]')).to.not.equal(null);
    }
    expect(inShadow(w.appSelect, '[part~="error"]')!.textContent).to.equal(
      'Could not load the apps: Could not reach the server',
    );

    // Still down: Retry asks again and shows the error again.
    let outcome = nextOutcome(w.source);
    clickRetry(w.overview);
    expect(await outcome).to.equal('report-error');
    await settle(w);
    expect(hits).to.deep.equal({ report: 2, apps: 2 });

    // Up again: Retry (from any widget) loads the Report and the app list.
    up = true;
    outcome = nextOutcome(w.source);
    clickRetry(w.trend!);
    expect(await outcome).to.equal('report-load');
    await settle(w);
    expect(hits).to.deep.equal({ report: 3, apps: 3 });
    // fixture, all apps, Mar 4–10: 3 active users, 3 opens (test/store/helpers.ts ALL_APPS)
    expect(cardValue(w, 'activeUsers')).to.equal('3');
    expect(cardValue(w, 'opens')).to.equal('3');
    expect(inShadow(w.overview, '[part~="error"]')).to.equal(null);
    expect(inShadow(w.appSelect, '[part~="error"]')).to.equal(null);
    expect(w.appSelect.shadowRoot!.querySelectorAll('option')).to.have.length(2);
  });

  it('50 changes of app and range within a second: only the last is shown, every other request aborted', async () => {
    const APPS = Array.from({ length: 25 }, (_, i) => ({ id: `app-${i}`, name: `App ${i}` }));
    const bases = { 1: reportFor(1), 7: reportFor(7), 30: reportFor(30) };
    /** A Report per app and range, told apart by its active users: 7000 + 100·i + range. */
    const answer = (app: string | null, range: Range): Report => {
      const i = app === null ? -1 : Number(app.slice(4));
      const r = structuredClone(bases[range]);
      r.app = app;
      r.totals.activeUsers = 7000 + 100 * i + range;
      return r;
    };
    let served = 0;
    msw.use(
      http.get('/busy/apps', () => HttpResponse.json({ apps: APPS })),
      http.get('/busy/report', async ({ request }) => {
        const q = new URL(request.url).searchParams;
        // Slower than the changes come: each request is still in flight when superseded.
        if (served++ > 0) await delay(300);
        return HttpResponse.json(answer(q.get('app'), Number(q.get('range')) as Range));
      }),
    );
    const w = mountEndpoint('/busy', { trend: false });
    mounted.push(w);
    await settle(w);
    expect(cardValue(w, 'activeUsers')).to.equal('6,907'); // all apps (−1), range 7
    const fetches = recordFetches();
    restores.push(fetches.restore);
    const loads: Report[] = [];
    const errors: string[] = [];
    w.source.addEventListener('report-load', (e) => loads.push(e.detail));
    w.source.addEventListener('report-error', (e) => errors.push(e.detail.reason));

    const select = inShadow<HTMLSelectElement>(w.appSelect, 'select')!;
    const radio = (r: Range) => inShadow<HTMLInputElement>(w.rangeSelect, `input[value="${r}"]`)!;
    const cycle: Range[] = [30, 1, 7];
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      if (i % 2 === 0) {
        select.value = `app-${i / 2}`;
        select.dispatchEvent(new Event('change'));
      } else {
        radio(cycle[((i - 1) / 2) % 3]).click();
      }
      // One change every 19 ms (sooner when rendering fell behind), each in a task of its own.
      await sleep(Math.max(0, started + (i + 1) * 19 - performance.now()));
    }
    const elapsed = performance.now() - started;
    // Scheduled 19 ms apart: 0.95 s. On a machine this loaded, handling one change (renders, an
    // abort, a request through the service worker) can take longer than 19 ms; the bound only
    // keeps the burst a burst. The time taken is logged.
    expect(elapsed, 'the 50 changes came in a burst').to.be.below(2500);
    // The last choices: app-24 (step 48) and range cycle[24 % 3] = 30 (step 49).
    expect(w.source.store.config).to.deep.include({ app: 'app-24', range: 30 });

    await waitFor(() => loads.length > 0);
    await quiet(w.source.store); // settled: nothing in flight that could still answer
    await settle(w);
    expect(errors).to.deep.equal([]);
    expect(loads).to.have.length(1);
    expect(loads[0].app).to.equal('app-24');
    expect(loads[0].range).to.equal(30);
    expect(cardValue(w, 'activeUsers')).to.equal('9,430'); // 7000 + 2400 + 30
    expect(w.table.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(30);

    const reports = fetches.calls.filter((c) => new URL(c.url).pathname === '/busy/report');
    expect(reports, 'one request per change').to.have.length(50);
    const last = new URL(reports[49].url).searchParams;
    expect([last.get('app'), last.get('range')]).to.deep.equal(['app-24', '30']);
    const notAborted = reports.slice(0, -1).filter((c) => !c.signal.aborted);
    expect(
      notAborted.map((c) => c.url),
      'superseded requests not aborted',
    ).to.deep.equal([]);
    expect(reports[49].signal.aborted).to.equal(false);
    expect(inflightCount()).to.equal(0);
    console.log(
      `faults · 50 changes in ${Math.round(elapsed)} ms: ${reports.length} requests, 49 aborted, 1 shown`,
    );
  });

  describe('an element removed mid-request', () => {
    it('<ua-source endpoint>: its requests are aborted, no error, nothing pending', async () => {
      let reached = 0;
      let answered = 0;
      msw.use(
        http.get('/slow/apps', async () => {
          await delay(400);
          answered++;
          return HttpResponse.json({ apps: [] });
        }),
        http.get('/slow/report', async () => {
          reached++;
          await delay(400);
          answered++;
          return HttpResponse.json(reportFor(7));
        }),
      );
      const fetches = recordFetches();
      restores.push(fetches.restore);
      const w = mountEndpoint('/slow');
      mounted.push(w);
      const seen: string[] = [];
      for (const type of ['report-load', 'report-error'] as const) {
        w.source.addEventListener(type, () => seen.push(type));
      }
      await waitFor(() => reached === 1);
      expect(fetches.calls).to.have.length(2);
      w.container.remove();
      await sleep(0);
      expect(fetches.calls.every((c) => c.signal.aborted)).to.equal(true);
      expect(inflightCount()).to.equal(0);
      await waitFor(() => answered === 2); // both answers were sent, to aborted requests
      await quiet();
      expect(seen).to.deep.equal([]);
      expect(w.source.store.report.status).to.equal('loading');
      expect(w.trend!.chart).to.equal(null);
    });

    it('<ua-source events-src>: its worker is ended, no error, nothing pending', async () => {
      const RealWorker = globalThis.Worker;
      const ended: Worker[] = [];
      const started: Worker[] = [];
      globalThis.Worker = class extends RealWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          started.push(this);
        }
        override terminate() {
          ended.push(this);
          super.terminate();
        }
      };
      restores.push(() => (globalThis.Worker = RealWorker));
      let reached = 0;
      let answered = 0;
      const json = await (await fetch(EVENTS_JSON_URL)).text();
      msw.use(
        http.get('/feed/removed.json', async () => {
          reached++;
          await delay(400);
          answered++;
          return HttpResponse.text(json, { headers: { 'Content-Type': 'application/json' } });
        }),
      );
      const w = mountWidgets(
        html`<ua-source events-src="/feed/removed.json" time-zone="UTC">
          <ua-overview></ua-overview>
          <ua-trend></ua-trend>
        </ua-source>`,
      );
      mounted.push(w);
      const seen: string[] = [];
      for (const type of ['report-load', 'report-error'] as const) {
        w.source.addEventListener(type, () => seen.push(type));
      }
      await waitFor(() => reached === 1); // the worker is fetching
      expect(started).to.have.length(1);
      w.container.remove();
      await sleep(0);
      expect(ended).to.deep.equal(started);
      expect(w.source.store.computeSite).to.equal(null);
      await waitFor(() => answered === 1); // the answer was sent, to an ended worker
      await sleep(0);
      expect(seen).to.deep.equal([]);
      expect(w.source.store.report.status).to.equal('loading');
    });

    it('a widget removed while its source loads: no error; put back, it shows the Report', async () => {
      msw.use(
        http.get('/widget/apps', () => HttpResponse.json({ apps: [] })),
        http.get('/widget/report', async () => {
          await delay(200);
          return HttpResponse.json(reportFor(7));
        }),
      );
      const w = mountEndpoint('/widget');
      mounted.push(w);
      await waitFor(() => w.source.store.report.status === 'loading');
      const loaded = nextOutcome(w.source);
      w.overview.remove();
      w.trend!.remove();
      expect(await loaded).to.equal('report-load');
      await Promise.all([w.overview.updateComplete, w.trend!.updateComplete]);
      // Detached, they let go of the store (and show no data source): no error, no cards.
      expect(inShadow(w.overview, '[part~="error"]')).to.equal(null);
      expect(inShadow(w.overview, '[role="radio"]')).to.equal(null);
      expect(w.trend!.chart).to.equal(null);
      w.source.append(w.overview, w.trend!);
      await settle(w);
      expect(cardValue(w, 'activeUsers')).to.equal('3');
      expect(w.trend!.chart).to.not.equal(null);
      expect(w.trend!.chart!.data.labels).to.have.length(7);
    });

    it('<ua-dashboard> removed at once (chart.js still loading): no error, no chart left', async () => {
      msw.use(
        http.get('/dash/apps', () => HttpResponse.json({ apps: [] })),
        http.get('/dash/report', async () => {
          await delay(100);
          return HttpResponse.json(reportFor(7));
        }),
      );
      const container = document.createElement('div');
      document.body.append(container);
      const dash = document.createElement('ua-dashboard');
      dash.setAttribute('endpoint', '/dash');
      container.append(dash);
      await dash.updateComplete;
      const trend = dash.shadowRoot!.querySelector('ua-trend')!;
      container.remove();
      // The positive signals: the trend's chart module has arrived (the same module, so its
      // import has resolved too), and no request is left in flight.
      await import('../../src/components/trend/chart.js');
      await quiet();
      expect(trend.chart).to.equal(null);
      expect(inflightCount()).to.equal(0);
    });
  });
});
