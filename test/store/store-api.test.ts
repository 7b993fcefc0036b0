/**
 * MetricsStore's smaller promises, each checked where it shows: the selected metric, app
 * names over in-browser ids, the User Timing measures a benchmark reads, the options checked
 * before an in-browser load, the format an events-src names, columns without a worker, and
 * subscribe / setReport / retry. (Found by mutation testing: `npm run mutate -- store`.)
 */
import { expect } from '@open-wc/testing';
import { HttpResponse, http } from 'msw';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { StoreConfig } from '../../src/store/types.js';
import { guardAgainstStrayErrors } from './guard.js';
import {
  ALL_APPS,
  EVENTS_JSON_URL,
  errorReason,
  fixtureEvents,
  readyReport,
  sleep,
  useMsw,
} from './helpers.js';

const BASE: Partial<StoreConfig> = { range: 7, end: '2026-03-10', timeZone: 'UTC' };

describe('MetricsStore API', () => {
  const stores: MetricsStore[] = [];
  const msw = useMsw();
  guardAgainstStrayErrors();
  afterEach(() => {
    for (const s of stores.splice(0)) s.dispose();
  });
  const newStore = (config: Partial<StoreConfig>) => {
    const store = new MetricsStore({ ...BASE, ...config });
    stores.push(store);
    return store;
  };
  let events: unknown[];
  before(async () => {
    events = await fixtureEvents();
  });

  it('selects a metric, tells once per change, and names the metrics a bad one is not', () => {
    const store = newStore({});
    let changes = 0;
    store.subscribe(() => changes++);
    store.setMetric('opens');
    expect(store.metric).to.equal('opens');
    expect(changes).to.equal(1);
    store.setMetric('opens');
    expect(changes).to.equal(1);
    expect(() => store.setMetric('bogus' as never)).to.throw(
      RangeError,
      'metric: expected one of newUsers, activeUsers, opens, pageVisits, avgDurationPerOpen, avgDurationPerUser, avgOpensPerUser, got bogus',
    );
    expect(store.metric).to.equal('opens');
  });

  it('stops telling a listener that unsubscribed', () => {
    const store = newStore({});
    let changes = 0;
    const unsubscribe = store.subscribe(() => changes++);
    store.setMetric('opens');
    unsubscribe();
    store.setMetric('pageVisits');
    expect(changes).to.equal(1);
  });

  it('shows in-browser app ids under the names given, and as themselves again without', async () => {
    const store = newStore({ events });
    await readyReport(store);
    expect(store.dataSpan).to.deep.equal({
      first: Date.UTC(2026, 2, 1, 12), // 42's open on Mar 1
      last: Date.UTC(2026, 2, 10, 8, 0, 30), // u2's hide on Mar 10
    });
    store.setAppNames([{ id: 'mini', name: 'Mini program', kind: 'mini-program' }]);
    expect(store.apps).to.deep.equal({
      status: 'ready',
      value: [
        { id: 'mini', name: 'Mini program', kind: 'mini-program' },
        { id: 'h5', name: 'h5' },
      ],
    });
    store.setAppNames(null);
    expect(store.apps).to.deep.equal({
      status: 'ready',
      value: [
        { id: 'mini', name: 'mini' },
        { id: 'h5', name: 'h5' },
      ],
    });
  });

  it('keeps names given before the events load for the list that comes', async () => {
    const store = newStore({ events });
    store.setAppNames([{ id: 'h5', name: 'The H5 app' }]);
    expect(store.apps.status).not.to.equal('ready'); // nothing listed before the load
    await readyReport(store);
    expect(store.apps).to.deep.equal({
      status: 'ready',
      value: [
        { id: 'mini', name: 'mini' },
        { id: 'h5', name: 'The H5 app' },
      ],
    });
  });

  it('measures parse, transfer and compute, and fetch in endpoint mode, keeping no entries', async () => {
    const names: string[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name.startsWith('ua-kit:')) names.push(e.name);
    });
    observer.observe({ entryTypes: ['measure'] });
    try {
      await readyReport(newStore({ events }));
      msw.use(
        http.get('/api-measure/report', () => HttpResponse.json({ nope: true })),
        http.get('/api-measure/apps', () => HttpResponse.json({ apps: [] })),
      );
      await errorReason(newStore({ endpoint: '/api-measure' }));
      await readyReport(newStore({ eventsSrc: EVENTS_JSON_URL }));
      await sleep(50); // observers are told in a task of their own
    } finally {
      observer.disconnect();
    }
    for (const name of ['parse', 'transfer', 'compute', 'load']) {
      expect(names, name).to.include(`ua-kit:${name}`);
    }
    expect(performance.getEntriesByName('ua-kit:compute')).to.have.length(0);
  });

  it('checks merge-gap, range and end before an in-browser load, and uses the gap in seconds', async () => {
    expect(await errorReason(newStore({ events, mergeGap: 1e9 }))).to.equal(
      'merge-gap: expected a number of seconds ≥ 0, got 1000000000',
    );
    expect(await errorReason(newStore({ events, mergeGap: '5' as never }))).to.equal(
      'merge-gap: expected a number of seconds ≥ 0, got 5',
    );
    expect(await errorReason(newStore({ events, range: 5 as never }))).to.equal(
      'range: expected 1, 7 or 30, got 5',
    );
    expect(await errorReason(newStore({ events, end: '2026-13-01' }))).to.equal(
      "end: expected a date 'YYYY-MM-DD', got '2026-13-01'",
    );
    // u1's second open came 20 s after a hide: one open with a gap of 30 s (the default, and
    // given), two with 0 s.
    const given = await readyReport(newStore({ events, app: 'mini', mergeGap: 30 }));
    const none = await readyReport(newStore({ events, app: 'mini', mergeGap: 0 }));
    expect(given.totals.opens).to.equal(2);
    expect(none.totals.opens).to.equal(3);
  });

  it('reads an events-src in the format it names, and sniffs it when the name is no format', async () => {
    const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
    msw.use(
      http.get('/api-format/events', () =>
        HttpResponse.text(ndjson, { headers: { 'Content-Type': 'application/json' } }),
      ),
    );
    const named = await readyReport(
      newStore({ eventsSrc: '/api-format/events', eventsFormat: 'ndjson' }),
    );
    expect(named.totals).to.deep.equal(ALL_APPS.totals);
    const unknown = await readyReport(
      newStore({ eventsSrc: '/api-format/events', eventsFormat: 'yaml' as never }),
    );
    expect(unknown.totals).to.deep.equal(ALL_APPS.totals); // sniffed: not '[', so NDJSON
  });

  it('takes events as columns in events mode', async () => {
    const store = newStore({
      columns: {
        length: 1,
        user: ['a'],
        time: Float64Array.of(Date.UTC(2026, 2, 10, 10)),
        type: ['open'],
        app: null,
      },
    });
    expect(store.mode).to.equal('events');
    if (typeof Worker === 'undefined') {
      // No worker here: the main thread says why it cannot read them.
      expect(await errorReason(store)).to.equal(
        'Events as columns are read in the background worker, which this page cannot start',
      );
    } else {
      expect((await readyReport(store)).totals.activeUsers).to.equal(1);
    }
  });

  it('shows a Report set by hand without touching the app list, and ignores Retry then', async () => {
    const store = newStore({});
    const report = await readyReport(newStore({ events }));
    store.setReport(report);
    expect(store.report).to.deep.equal({ status: 'ready', value: report });
    expect(store.apps).to.deep.equal({ status: 'idle' });
    store.retry();
    await sleep(20);
    expect(store.report).to.deep.equal({ status: 'ready', value: report });
  });
});
