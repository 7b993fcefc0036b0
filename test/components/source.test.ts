import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LitElement, render, type TemplateResult } from 'lit';
import { HttpResponse, delay, http } from 'msw';
import '../../src/components/source/source.js';
import type { UaSource } from '../../src/components/source/source.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Report } from '../../src/engine/types.js';
import { ReportErrorEvent } from '../../src/events/report-error.js';
import { ReportLoadEvent } from '../../src/events/report-load.js';
import { ReportProgressEvent } from '../../src/events/report-progress.js';
import type { MetricsStore } from '../../src/store/metrics-store.js';
import { StoreController, type StoreHost } from '../../src/internal/store-controller.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import {
  ALL_APPS,
  EVENTS_JSON_URL,
  fixtureEvents,
  sleep,
  useMsw,
  waitFor,
} from '../store/helpers.js';

/** The smallest widget: finds its store like the real ones and shows the report's status. */
class StoreProbe extends LitElement implements StoreHost {
  static override properties = {
    store: { attribute: false },
    source: { type: String },
  };
  store: MetricsStore | null = null;
  source: string | null = null;
  readonly controller = new StoreController(this);

  override updated(changed: Map<PropertyKey, unknown>) {
    if (changed.has('store') || changed.has('source')) this.controller.resolve();
  }

  override render() {
    const state = this.controller.store?.report;
    return html`<p>${state ? state.status : 'no source'}</p>`;
  }
}
customElements.define('store-probe', StoreProbe);

const API = '/source-api';
const APPS = { apps: [{ id: 'mini', name: 'Mini', kind: 'mini-program' }] };
let events: unknown[];
const reportFor = (app: string | null, range: 1 | 7 | 30 = 7): Report =>
  computeReport(events, { range, end: '2026-03-10', timeZone: 'UTC', app: app ?? undefined });

/** Answers the endpoint and counts the /report requests. */
function serve(msw: ReturnType<typeof useMsw>, options: { slow?: number } = {}) {
  const counts = { report: 0, apps: 0, urls: [] as string[] };
  msw.use(
    http.get(`${API}/apps`, () => {
      counts.apps++;
      return HttpResponse.json(APPS);
    }),
    http.get(`${API}/report`, async ({ request }) => {
      counts.report++;
      counts.urls.push(request.url);
      if (options.slow) await delay(options.slow);
      const q = new URL(request.url).searchParams;
      return HttpResponse.json(reportFor(q.get('app'), Number(q.get('range')) as 7));
    }),
  );
  return counts;
}

/**
 * Renders markup into a fresh container in the body. (open-wc's `fixture` waits for an
 * animation frame when the root is not a Lit element, which a background tab may not give.)
 */
const mounted: HTMLElement[] = [];
function mount(template: TemplateResult): HTMLDivElement {
  const container = document.createElement('div');
  document.body.append(container);
  render(template, container);
  mounted.push(container);
  return container;
}

describe('ua-source', () => {
  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
  });
  const msw = useMsw();
  guardAgainstStrayErrors();

  before(async () => {
    events = await fixtureEvents();
  });

  it('is accessible and has no UI of its own; its children render', async () => {
    const el = await fixture<UaSource>(html`<ua-source><p>child</p></ua-source>`);
    await expect(el).to.be.accessible();
    expect(getComputedStyle(el).display).to.equal('contents');
    expect(el.shadowRoot!.querySelector('slot')).to.not.equal(null);
    expect(el.querySelector('p')!.getBoundingClientRect().height).to.be.greaterThan(0);
    expect(el.report).to.equal(null);
    expect(el.store.report).to.deep.equal({ status: 'idle' });
  });

  it('passes its attributes to the store, with the defaults', async () => {
    const el = await fixture<UaSource>(html`<ua-source></ua-source>`);
    expect(el.range).to.equal(7);
    expect(el.timeout).to.equal(15_000);
    expect(el.metric).to.equal('activeUsers');
    el.setAttribute('endpoint', '/nowhere');
    el.setAttribute('events-src', '/x.ndjson');
    el.setAttribute('app', 'mini');
    el.setAttribute('range', '30');
    el.setAttribute('end-date', '2026-03-10');
    el.setAttribute('time-zone', 'Asia/Shanghai');
    el.setAttribute('merge-gap', '45');
    el.setAttribute('timeout', '5000');
    el.store.dispose(); // configuration only: nothing is fetched
    await el.updateComplete;
    expect(el.store.config).to.deep.include({
      endpoint: '/nowhere',
      eventsSrc: '/x.ndjson',
      events: null,
      app: 'mini',
      range: 30,
      end: '2026-03-10',
      timeZone: 'Asia/Shanghai',
      mergeGap: 45,
      timeout: 5000,
    });
    el.removeAttribute('merge-gap');
    el.removeAttribute('timeout');
    el.removeAttribute('app');
    await el.updateComplete;
    expect(el.store.config).to.deep.include({ mergeGap: null, timeout: 15_000, app: null });
  });

  it('loads from the endpoint and fires report-load; report returns the Report', async () => {
    const counts = serve(msw);
    const el = document.createElement('ua-source');
    el.setAttribute('endpoint', API);
    el.setAttribute('time-zone', 'UTC');
    const loaded = oneEvent(el, 'report-load');
    document.body.append(el);
    try {
      const event = await loaded;
      expect(event).to.be.instanceOf(ReportLoadEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail.totals).to.deep.equal(ALL_APPS.totals);
      expect(el.report).to.equal(event.detail);
      expect(counts.report).to.equal(1);
    } finally {
      el.remove();
    }
  });

  it('fires report-error with the reason, and retry() loads again', async () => {
    let fail = true;
    msw.use(
      http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
      http.get(`${API}/report`, () =>
        fail ? new HttpResponse(null, { status: 500 }) : HttpResponse.json(reportFor(null)),
      ),
    );
    const el = await fixture<UaSource>(html`<ua-source endpoint=${API}></ua-source>`);
    const error = await oneEvent(el, 'report-error');
    expect(error).to.be.instanceOf(ReportErrorEvent);
    expect(error.detail.reason).to.equal('The server answered 500 Internal Server Error');
    expect(el.report).to.equal(null);
    fail = false;
    const loaded = oneEvent(el, 'report-load');
    el.retry();
    expect((await loaded).detail.totals).to.deep.equal(ALL_APPS.totals);
  });

  it('computes from the events property and fires report-progress', async () => {
    const progress: ReportProgressEvent[] = [];
    const el = await fixture<UaSource>(
      html`<ua-source
        end-date="2026-03-10"
        time-zone="UTC"
        .events=${events}
        @report-progress=${(e: ReportProgressEvent) => progress.push(e)}
      ></ua-source>`,
    );
    if (!el.report) await oneEvent(el, 'report-load');
    expect(el.report!.totals).to.deep.equal(ALL_APPS.totals);
    expect(progress.length).to.be.greaterThan(0);
    expect(progress[0]).to.be.instanceOf(ReportProgressEvent);
    expect(progress.map((p) => p.detail.phase)).to.include.members(['parse', 'compute']);
  });

  it('events win over events-src, which wins over endpoint', async () => {
    const counts = serve(msw);
    const few = events.filter((e) => (e as { user: unknown }).user === 'u2');
    const el = await fixture<UaSource>(
      html`<ua-source
        endpoint=${API}
        events-src=${EVENTS_JSON_URL}
        end-date="2026-03-10"
        time-zone="UTC"
        .events=${few}
      ></ua-source>`,
    );
    if (!el.report) await oneEvent(el, 'report-load');
    expect(el.report!.totals.activeUsers).to.equal(1);
    const next = oneEvent(el, 'report-load');
    el.events = null;
    expect((await next).detail.totals).to.deep.equal(ALL_APPS.totals); // from events-src
    expect(counts.report).to.equal(0);
  });

  it('metric: attribute and property set the store’s; the store’s changes show on the element', async () => {
    const el = await fixture<UaSource>(html`<ua-source metric="opens"></ua-source>`);
    expect(el.metric).to.equal('opens');
    expect(el.store.metric).to.equal('opens');
    el.metric = 'pageVisits';
    expect(el.store.metric).to.equal('pageVisits');
    el.store.setMetric('newUsers');
    expect(el.metric).to.equal('newUsers');
    el.setAttribute('metric', 'nonsense');
    expect(el.metric).to.equal('newUsers');
    expect(el.store.metric).to.equal('newUsers');
  });

  it('three widgets over one source make exactly one /report request', async () => {
    const counts = serve(msw, { slow: 50 });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <ua-source id="shared" endpoint=${API} time-zone="UTC">
          <store-probe></store-probe>
          <div><store-probe></store-probe></div>
        </ua-source>
        <store-probe source="shared"></store-probe>
      </div>`,
    );
    const probes = [...wrapper.querySelectorAll<StoreProbe>('store-probe')];
    const source = wrapper.querySelector('ua-source')!;
    expect(probes.map((p) => p.controller.store)).to.deep.equal([
      source.store,
      source.store,
      source.store,
    ]);
    await waitFor(() => source.report !== null);
    await Promise.all(probes.map((p) => p.updateComplete));
    expect(probes.map((p) => p.shadowRoot!.textContent!.trim())).to.deep.equal([
      'ready',
      'ready',
      'ready',
    ]);
    expect(counts.report).to.equal(1);
    expect(counts.apps).to.equal(1);
  });

  it('a widget named before its source connects finds it when it does', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <store-probe source="late"></store-probe>
      </div>`,
    );
    const probe = wrapper.querySelector<StoreProbe>('store-probe')!;
    expect(probe.controller.store).to.equal(null);
    const source = document.createElement('ua-source');
    source.id = 'late';
    wrapper.append(source);
    expect(probe.controller.store).to.equal(source.store);
  });

  it('removed mid-request: aborts the request, no error; reconnected: loads again', async () => {
    const realFetch = window.fetch;
    const signals = new Map<string, AbortSignal>();
    window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      signals.set(new URL(String(input), location.href).href, init!.signal!);
      return realFetch(input, init);
    }) as typeof fetch;
    let started = false;
    let abortSeen: boolean | null = null;
    msw.use(
      http.get(`${API}/apps`, () => HttpResponse.json(APPS)),
      http.get(`${API}/report`, async ({ request }) => {
        // msw's request carries no signal from the page: look at the one fetch was given.
        const signal = signals.get(request.url)!;
        started = true;
        await Promise.race([
          delay(1000),
          new Promise((resolve) => signal.addEventListener('abort', resolve)),
        ]);
        abortSeen ??= signal.aborted;
        return HttpResponse.json(reportFor(null));
      }),
    );
    const seen: string[] = [];
    const el = document.createElement('ua-source');
    el.setAttribute('endpoint', API);
    el.setAttribute('time-zone', 'UTC');
    el.addEventListener('report-load', () => seen.push('load'));
    el.addEventListener('report-error', () => seen.push('error'));
    try {
      document.body.append(el);
      await waitFor(() => started); // the request is at the server
      el.remove();
      await waitFor(() => abortSeen !== null);
      expect(abortSeen).to.equal(true);
      await sleep(50);
      expect(seen).to.deep.equal([]);

      const loaded = oneEvent(el, 'report-load');
      document.body.append(el);
      expect((await loaded).detail.totals).to.deep.equal(ALL_APPS.totals);
      expect(seen).to.deep.equal(['load']);
    } finally {
      el.remove();
      window.fetch = realFetch;
    }
  });

  it('moved within the page (removed and inserted in one task): the request goes on', async () => {
    const counts = serve(msw, { slow: 150 });
    const a = mount(html``);
    const b = mount(html``);
    const el = document.createElement('ua-source');
    el.setAttribute('endpoint', API);
    a.append(el);
    await sleep(30);
    b.append(el); // a move: disconnected, then connected again at once
    await oneEvent(el, 'report-load');
    expect(counts.report).to.equal(1);
  });

  it('a range attribute change loads the new range', async () => {
    const counts = serve(msw);
    const el = await fixture<UaSource>(
      html`<ua-source endpoint=${API} time-zone="UTC" end-date="2026-03-10"></ua-source>`,
    );
    if (!el.report) await oneEvent(el, 'report-load');
    const next = oneEvent(el, 'report-load');
    el.setAttribute('range', '30');
    expect((await next).detail.range).to.equal(30);
    expect(new URL(counts.urls[1]).searchParams.get('range')).to.equal('30');
    expect(new URL(counts.urls[1]).searchParams.get('end')).to.equal('2026-03-10');
  });
});
