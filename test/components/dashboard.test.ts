import { expect, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { HttpResponse, delay, http } from 'msw';
import '../../src/components/dashboard/dashboard.js';
import type { UaDashboard } from '../../src/components/dashboard/dashboard.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Range, Report } from '../../src/engine/types.js';
import { widgetsIn, type WidgetSet } from '../fixtures/widgets.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { quiet, sleep, useMsw, waitFor } from '../store/helpers.js';

/*
 * The events, range 7 ending 2026-03-10 in UTC: period Mar 4–10, comparison Feb 25 – Mar 3.
 * App 'shop' (users a, b), app 'news' (users c, d).
 *
 * - a (shop), Mar 4: open 10:00:00, pages 10:00:10 and 10:01:00, hide 10:02:00 → 1 open,
 *   120 s, 2 pages. a's first event: new on Mar 4.
 * - a (shop), Mar 6: open 09:00:00, page 09:00:05, hide 09:00:30 (30 s); open 09:00:45, 15 s
 *   after the hide, so the same open; page 09:00:50, hide 09:01:15 (30 s) → 1 open, 60 s,
 *   2 pages.
 * - b (shop), Mar 6: open 12:00:00, page 12:00:01, hide 12:01:30 → 1 open, 90 s, 1 page. New.
 * - c (news), Mar 1: open 08:00:00, page 08:00:02, hide 08:00:40 → 1 open, 40 s, 1 page, new
 *   on Mar 1 (comparison window).
 * - c (news), Mar 10: open 20:00:00, hide 20:00:20 → 1 open, 20 s, no page. Not new.
 * - d (news), Feb 26: open 11:00:00, page 11:00:30, hide 11:01:00 → 1 open, 60 s, 1 page. New.
 */
const T = (day: string, time: string) => Date.parse(`2026-${day}T${time}Z`);
const EVENTS = [
  { user: 'a', app: 'shop', type: 'open', time: T('03-04', '10:00:00') },
  { user: 'a', app: 'shop', type: 'page', time: T('03-04', '10:00:10'), page: 'home' },
  { user: 'a', app: 'shop', type: 'page', time: T('03-04', '10:01:00'), page: 'cart' },
  { user: 'a', app: 'shop', type: 'hide', time: T('03-04', '10:02:00') },
  { user: 'a', app: 'shop', type: 'open', time: T('03-06', '09:00:00') },
  { user: 'a', app: 'shop', type: 'page', time: T('03-06', '09:00:05'), page: 'home' },
  { user: 'a', app: 'shop', type: 'hide', time: T('03-06', '09:00:30') },
  { user: 'a', app: 'shop', type: 'open', time: T('03-06', '09:00:45') },
  { user: 'a', app: 'shop', type: 'page', time: T('03-06', '09:00:50'), page: 'home' },
  { user: 'a', app: 'shop', type: 'hide', time: T('03-06', '09:01:15') },
  { user: 'b', app: 'shop', type: 'open', time: T('03-06', '12:00:00') },
  { user: 'b', app: 'shop', type: 'page', time: T('03-06', '12:00:01'), page: 'home' },
  { user: 'b', app: 'shop', type: 'hide', time: T('03-06', '12:01:30') },
  { user: 'c', app: 'news', type: 'open', time: T('03-01', '08:00:00') },
  { user: 'c', app: 'news', type: 'page', time: T('03-01', '08:00:02'), page: 'top' },
  { user: 'c', app: 'news', type: 'hide', time: T('03-01', '08:00:40') },
  { user: 'c', app: 'news', type: 'open', time: T('03-10', '20:00:00') },
  { user: 'c', app: 'news', type: 'hide', time: T('03-10', '20:00:20') },
  { user: 'd', app: 'news', type: 'open', time: T('02-26', '11:00:00') },
  { user: 'd', app: 'news', type: 'page', time: T('02-26', '11:00:30'), page: 'top' },
  { user: 'd', app: 'news', type: 'hide', time: T('02-26', '11:01:00') },
];

const WEEK = ['Mar 4', 'Mar 5', 'Mar 6', 'Mar 7', 'Mar 8', 'Mar 9', 'Mar 10'];

/*
 * All apps over the period: new a, b = 2; active a, b, c = 3; opens 1 + 1 + 1 + 1 = 4;
 * pages 2 + 2 + 1 + 0 = 5; stay 120 + 60 + 90 + 20 = 290 s → 72.5 s per open (1m 13s),
 * 96.7 s per user (1m 37s), 4 / 3 = 1.33 opens per user.
 * Comparison: new c, d = 2; active 2; opens 2; pages 2; stay 40 + 60 = 100 s → 50 s, 50 s, 1.
 * Growth: (2−2)/2 = 0 %; (3−2)/2 = +50 %; (4−2)/2 = +100 %; (5−2)/2 = +150 %;
 * (72.5−50)/50 = +45 %; (96.7−50)/50 = +93.3 % → +93 %; (1.33−1)/1 = +33.3 % → +33 %.
 */
const CMP_WEEK = 'vs same period last week';
const ALL_CARDS = [
  ['New users', '2', '0%', CMP_WEEK],
  ['Active users', '3', '▲+50%', CMP_WEEK],
  ['Number of opens', '4', '▲+100%', CMP_WEEK],
  ['Page visits', '5', '▲+150%', CMP_WEEK],
  ['Avg. duration per open', '1m 13s', '▲+45%', CMP_WEEK],
  ['Avg. duration per user', '1m 37s', '▲+93%', CMP_WEEK],
  ['Avg. opens per user', '1.33', '▲+33%', CMP_WEEK],
];
/*
 * Per day: Mar 4 a (new, 1 open of 120 s, 2 pages); Mar 6 a and b (b new, 2 opens of
 * 60 + 90 = 150 s → 75 s each, 3 pages); Mar 10 c (1 open of 20 s, no page); other days 0.
 */
const ALL_ROWS = [
  ['Mar 4', '1', '1', '1', '2', '2m 00s', '2m 00s', '1.00'],
  ['Mar 5', '0', '0', '0', '0', '0s', '0s', '0.00'],
  ['Mar 6', '1', '2', '2', '3', '1m 15s', '1m 15s', '1.00'],
  ['Mar 7', '0', '0', '0', '0', '0s', '0s', '0.00'],
  ['Mar 8', '0', '0', '0', '0', '0s', '0s', '0.00'],
  ['Mar 9', '0', '0', '0', '0', '0s', '0s', '0.00'],
  ['Mar 10', '0', '1', '1', '0', '20s', '20s', '1.00'],
];
/** Active users per day: Mar 4 a; Mar 6 a, b; Mar 10 c. */
const ALL_ACTIVE = [1, 0, 2, 0, 0, 0, 1];
/** Comparison days Feb 25 – Mar 3: d on Feb 26, c on Mar 1. */
const ALL_PREVIOUS_ACTIVE = [0, 1, 0, 0, 1, 0, 0];
/** Page visits per day: Mar 4 a's 2; Mar 6 a's 2 and b's 1. */
const ALL_PAGES = [2, 0, 3, 0, 0, 0, 0];

/*
 * App 'news' only, 7 days: c on Mar 10 — new 0, active 1, opens 1, pages 0, 20 s.
 * Comparison: c (Mar 1) and d — new 2, active 2, opens 2, pages 2, 100 s (50 s, 50 s, 1.00).
 * Growth: −100 %, (1−2)/2 = −50 %, −50 %, −100 %, (20−50)/50 = −60 %, −60 %, 0 %.
 */
const NEWS_CARDS = [
  ['New users', '0', '▼−100%', CMP_WEEK],
  ['Active users', '1', '▼−50%', CMP_WEEK],
  ['Number of opens', '1', '▼−50%', CMP_WEEK],
  ['Page visits', '0', '▼−100%', CMP_WEEK],
  ['Avg. duration per open', '20s', '▼−60%', CMP_WEEK],
  ['Avg. duration per user', '20s', '▼−60%', CMP_WEEK],
  ['Avg. opens per user', '1.00', '0%', CMP_WEEK],
];
const NEWS_ACTIVE = [0, 0, 0, 0, 0, 0, 1];

/*
 * App 'news', 30 days (Feb 9 – Mar 10; comparison Jan 10 – Feb 8, empty): d (Feb 26) and c
 * (Mar 1, Mar 10) — new 2, active 2, opens 3, pages 2, stay 60 + 40 + 20 = 120 s → 40 s per
 * open, 60 s per user, 1.50 opens per user. Growth against zeros (divisor 1): +200 %, +200 %,
 * +300 %, +200 %, +4000 %, +6000 %, +150 %.
 */
const CMP_MONTH = 'vs same period last month';
const NEWS_30_CARDS = [
  ['New users', '2', '▲+200%', CMP_MONTH],
  ['Active users', '2', '▲+200%', CMP_MONTH],
  ['Number of opens', '3', '▲+300%', CMP_MONTH],
  ['Page visits', '2', '▲+200%', CMP_MONTH],
  ['Avg. duration per open', '40s', '▲+4,000%', CMP_MONTH],
  ['Avg. duration per user', '1m 00s', '▲+6,000%', CMP_MONTH],
  ['Avg. opens per user', '1.50', '▲+150%', CMP_MONTH],
];

const API = '/dash-api';
const APPS = {
  apps: [
    { id: 'shop', name: 'Shop', kind: 'mini-program' },
    { id: 'news', name: 'News', kind: 'h5' },
    { id: 'game', name: 'Game', kind: 'mini-game' },
  ],
};

/** What a server built with ua-kit/engine answers for a /report query. */
function answer(request: Request): Report {
  const q = new URL(request.url).searchParams;
  return computeReport(EVENTS, {
    range: Number(q.get('range')) as Range,
    end: q.get('end') ?? undefined,
    timeZone: q.get('tz') ?? undefined,
    app: q.get('app') ?? undefined,
  });
}

interface Served {
  apps: number;
  report: number;
  /** Report answers sent (after the `slow` delay). */
  answered: number;
  queries: URLSearchParams[];
  status: number;
}

/** Answers /apps and /report, counting requests; `status` ≠ 200 makes /report fail. */
function serve(msw: ReturnType<typeof useMsw>, options: { slow?: number } = {}): Served {
  const served: Served = { apps: 0, report: 0, answered: 0, queries: [], status: 200 };
  msw.use(
    http.get(`${API}/apps`, () => {
      served.apps++;
      return HttpResponse.json(APPS);
    }),
    http.get(`${API}/report`, async ({ request }) => {
      served.report++;
      served.queries.push(new URL(request.url).searchParams);
      if (options.slow) await delay(options.slow);
      served.answered++;
      if (served.status !== 200) return new HttpResponse('down', { status: served.status });
      return HttpResponse.json(answer(request));
    }),
  );
  return served;
}

function parts(el: UaDashboard): WidgetSet {
  return widgetsIn(el.shadowRoot!);
}

/** Lets every element of the dashboard finish rendering (the trend: its chart too). */
async function settle(el: UaDashboard): Promise<void> {
  await el.updateComplete;
  const p = parts(el);
  for (const w of [p.source, p.appSelect, p.rangeSelect, p.overview, p.trend, p.table]) {
    await w.updateComplete;
  }
  await el.updateComplete;
}

/** Mounts a dashboard and waits for its first Report; the accessibility check runs meanwhile. */
async function mountLoaded(template: ReturnType<typeof html>): Promise<UaDashboard> {
  const el = fixtureSync<UaDashboard>(template);
  const loaded = oneEvent(el, 'report-load');
  await expect(el).to.be.accessible();
  await loaded;
  await settle(el);
  return el;
}

const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The cards as a person reads them: label | value | badge | comparison. */
function cards(el: UaDashboard): string[][] {
  return [...parts(el).overview.shadowRoot!.querySelectorAll('[role="radio"]')].map((c) => [
    text(c.querySelector('[part="label"]')),
    text(c.querySelector('[part="value"]')),
    text(c.querySelector('[part~="badge"] [aria-hidden="true"]')),
    text(c.querySelector('[part="comparison"]')),
  ]);
}

function rows(el: UaDashboard): string[][] {
  return [...parts(el).table.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((c) => text(c)),
  );
}

function chartData(el: UaDashboard): { labels: unknown[]; data: unknown[][] } {
  const chart = el.shadowRoot!.querySelector('ua-trend')!.chart!;
  return {
    labels: chart.data.labels as unknown[],
    data: chart.data.datasets.map((d) => d.data as unknown[]),
  };
}

const meta = (el: UaDashboard) => text(el.shadowRoot!.querySelector('[part="meta"]'));
const appSelect = (el: UaDashboard) => parts(el).appSelect.shadowRoot!.querySelector('select')!;
const rangeRadio = (el: UaDashboard, range: Range) =>
  parts(el).rangeSelect.shadowRoot!.querySelector<HTMLInputElement>(`input[value="${range}"]`)!;
const errorOf = (w: Element) => w.shadowRoot!.querySelector('[part="error"]');

/** The Report the dashboard's store shows (null unless ready). */
const shown = (el: UaDashboard) => parts(el).source.report;

describe('<ua-dashboard>', () => {
  const msw = useMsw();
  guardAgainstStrayErrors();

  describe('over events', () => {
    it('is accessible, and every widget shows the hand-computed numbers', async () => {
      const el = fixtureSync<UaDashboard>(
        html`<ua-dashboard time-zone="UTC" end-date="2026-03-10" lang="en"></ua-dashboard>`,
      );
      el.events = EVENTS;
      const loaded = oneEvent(el, 'report-load');
      await expect(el).to.be.accessible();
      const event = await loaded;
      expect(event.target).to.equal(el);
      expect(event.detail.totals.activeUsers).to.equal(3);
      await settle(el);
      await expect(el).to.be.accessible();

      expect(cards(el)).to.deep.equal(ALL_CARDS);
      expect(chartData(el)).to.deep.equal({
        labels: WEEK,
        data: [ALL_ACTIVE, ALL_PREVIOUS_ACTIVE],
      });
      expect(rows(el)).to.deep.equal(ALL_ROWS);
      expect(meta(el)).to.equal(
        'Data up to Mar 10, 2026 (T+1) · Period: Mar 4 – 10, 2026 · Time zone: UTC',
      );
      expect(parts(el).source.store.computeSite).to.equal('worker');
      // In-browser mode: the app picker lists the apps found in the events, sorted by name.
      expect([...appSelect(el).options].map((o) => o.text)).to.deep.equal([
        'All apps',
        'news',
        'shop',
      ]);
    });

    it('"Data up to" names the latest day of the data, in its time zone, apart from the period', async () => {
      // Range 1 on Mar 6 in Asia/Shanghai (UTC+8): the period is Mar 6 00:00 – Mar 7 00:00 local.
      const el = await mountLoaded(
        html`<ua-dashboard
          .events=${EVENTS}
          time-zone="Asia/Shanghai"
          range="1"
          end-date="2026-03-06"
        ></ua-dashboard>`,
      );
      expect(shown(el)!.end).to.equal('2026-03-06');
      expect(meta(el)).to.equal(
        /* the last event, Mar 10 20:00Z, is Mar 11 04:00 in Shanghai */ 'Data up to Mar 11, 2026 (T+1) · Period: Mar 6, 2026 · Time zone: Asia/Shanghai',
      );
      // 24 hourly buckets: a at 17:00 (09:00Z), b at 20:00 (12:00Z) local.
      const { labels, data } = chartData(el);
      expect(labels).to.have.length(24);
      expect(labels[0]).to.equal('00:00');
      const active = data[0];
      expect(active.map((v, h) => (v ? `${h}:${String(v)}` : '')).filter(Boolean)).to.deep.equal([
        '17:1',
        '20:1',
      ]);

      el.setAttribute('end-date', '2026-03-04');
      await oneEvent(el, 'report-load');
      await settle(el);
      expect(meta(el)).to.equal(
        'Data up to Mar 11, 2026 (T+1) · Period: Mar 4, 2026 · Time zone: Asia/Shanghai',
      );
    });
  });

  describe('over an endpoint', () => {
    it('lists the apps with their kinds; a new app makes one request and updates every widget', async () => {
      const served = serve(msw);
      const el = await mountLoaded(
        html`<ua-dashboard endpoint=${API} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      await expect(el).to.be.accessible();
      expect(served.apps).to.equal(1);
      expect(served.report).to.equal(1);
      expect(Object.fromEntries(served.queries[0])).to.deep.equal({
        range: '7',
        end: '2026-03-10',
        tz: 'UTC',
      });
      expect([...appSelect(el).options].map((o) => [o.value, o.text])).to.deep.equal([
        ['', 'All apps'],
        ['shop', 'Shop (Mini program)'],
        ['news', 'News (H5)'],
        ['game', 'Game (Mini game)'],
      ]);
      expect(cards(el)).to.deep.equal(ALL_CARDS);

      const loaded = oneEvent(el, 'report-load');
      appSelect(el).value = 'news';
      appSelect(el).dispatchEvent(new Event('change'));
      expect((await loaded).detail.app).to.equal('news');
      await settle(el);
      await quiet(parts(el).source.store); // a second request, if one were made, has ended
      expect(served.report).to.equal(2);
      expect(served.queries[1].get('app')).to.equal('news');
      expect(served.queries[1].get('range')).to.equal('7');
      expect(served.apps).to.equal(1);

      expect(cards(el)).to.deep.equal(NEWS_CARDS);
      expect(chartData(el).data[0]).to.deep.equal(NEWS_ACTIVE);
      expect(rows(el).map((r) => r[2])).to.deep.equal(NEWS_ACTIVE.map(String));
      expect(appSelect(el).value).to.equal('news');
      // The dashboard's own property and the internal source follow the picker.
      expect(el.app).to.equal('news');
      expect(parts(el).source.app).to.equal('news');
    });

    it('30 days in the range picker makes one request with range=30 and updates every widget', async () => {
      const served = serve(msw);
      const el = await mountLoaded(
        html`<ua-dashboard
          endpoint=${API}
          app="news"
          time-zone="UTC"
          end-date="2026-03-10"
        ></ua-dashboard>`,
      );
      expect(served.report).to.equal(1);
      expect(cards(el)).to.deep.equal(NEWS_CARDS);

      const loaded = oneEvent(el, 'report-load');
      rangeRadio(el, 30).click();
      expect((await loaded).detail.range).to.equal(30);
      await settle(el);
      await quiet(parts(el).source.store);
      expect(served.report).to.equal(2);
      expect(Object.fromEntries(served.queries[1])).to.deep.equal({
        app: 'news',
        range: '30',
        end: '2026-03-10',
        tz: 'UTC',
      });
      expect(cards(el)).to.deep.equal(NEWS_30_CARDS);
      const { labels, data } = chartData(el);
      expect(labels).to.have.length(30);
      expect([labels[0], labels[29]]).to.deep.equal(['Feb 9', 'Mar 10']);
      // d on Feb 26 (index 17), c on Mar 1 (index 20) and Mar 10 (index 29).
      const active = new Array<number>(30).fill(0);
      active[17] = active[20] = active[29] = 1;
      expect(data[0]).to.deep.equal(active);
      expect(rows(el)).to.have.length(30);
      expect(rows(el)[17]).to.deep.equal([
        'Feb 26',
        '1',
        '1',
        '1',
        '1',
        '1m 00s',
        '1m 00s',
        '1.00',
      ]);
      expect(rangeRadio(el, 30).checked).to.equal(true);
      expect(el.range).to.equal(30);
      expect(parts(el).source.range).to.equal(30);
      await expect(el).to.be.accessible();
    });

    it('a 500 shows one error with one Retry for the whole page; Retry after the fix recovers', async () => {
      const served = serve(msw);
      served.status = 500;
      const el = fixtureSync<UaDashboard>(
        html`<ua-dashboard endpoint=${API} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      const failed = oneEvent(el, 'report-error');
      expect((await failed).detail.reason).to.equal(
        'The server answered 500 Internal Server Error',
      );
      await settle(el);
      await expect(el).to.be.accessible();
      const { overview, trend, table } = parts(el);
      for (const w of [overview, trend, table]) expect(errorOf(w), w.localName).to.equal(null);
      expect(el.shadowRoot!.querySelectorAll('[part="error"]')).to.have.length(1);
      const error = errorOf(el)!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(text(error.querySelector('.reason'))).to.equal(
        'The server answered 500 Internal Server Error',
      );
      expect(el.shadowRoot!.querySelectorAll('[part="retry"]')).to.have.length(1);
      expect(text(error.querySelector('button'))).to.equal('Retry');
      expect(meta(el)).to.equal('');

      served.status = 200;
      const loaded = oneEvent(el, 'report-load');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.click();
      await loaded;
      await settle(el);
      expect(served.report).to.equal(2);
      expect(errorOf(el)).to.equal(null);
      expect(cards(el)).to.deep.equal(ALL_CARDS);
      expect(chartData(el).data[0]).to.deep.equal(ALL_ACTIVE);
      expect(rows(el)).to.deep.equal(ALL_ROWS);
      expect(meta(el)).to.equal(
        /* no dataUpTo from this endpoint: only the period */ 'Period: Mar 4 – 10, 2026 · Time zone: UTC',
      );
    });

    it('removed mid-request: no error, no event, no chart left', async () => {
      const served = serve(msw, { slow: 400 });
      const el = fixtureSync<UaDashboard>(
        html`<ua-dashboard endpoint=${API} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      const seen: string[] = [];
      for (const type of ['report-load', 'report-error'] as const) {
        el.addEventListener(type, () => seen.push(type));
      }
      await settle(el);
      await waitFor(() => served.report === 1);
      expect(parts(el).trend.chart).to.be.an.instanceOf(Chart);
      expect(Object.keys(Chart.instances)).to.have.length(1);
      const { source } = parts(el);
      el.remove();
      expect(Object.keys(Chart.instances)).to.have.length(0);
      await waitFor(() => served.answered === 1); // the answer was sent, to an aborted request
      await quiet();
      expect(seen).to.deep.equal([]);
      expect(source.store.report.status).to.equal('loading');
      expect(Object.keys(Chart.instances)).to.have.length(0);
    });
  });

  describe('over events, removed mid-computation', () => {
    const RealWorker = globalThis.Worker;
    afterEach(() => {
      globalThis.Worker = RealWorker;
    });

    it('terminates the worker and leaves no chart', async () => {
      const made: Worker[] = [];
      const ended: Worker[] = [];
      globalThis.Worker = class extends RealWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          made.push(this);
        }
        override terminate(): void {
          ended.push(this);
          super.terminate();
        }
      };
      // Enough events that parsing and computing take a while.
      const many = Array.from({ length: 200_000 }, (_, i) => ({
        user: `u${i % 5000}`,
        time: Date.UTC(2026, 2, 10) - i * 10_000,
        type: i % 3 === 0 ? 'open' : 'page',
      }));
      const el = fixtureSync<UaDashboard>(
        html`<ua-dashboard time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      el.events = many;
      const seen: string[] = [];
      for (const type of ['report-load', 'report-error'] as const) {
        el.addEventListener(type, () => seen.push(type));
      }
      await settle(el);
      await waitFor(() => made.length === 1);
      expect(parts(el).source.store.report.status).to.equal('loading');
      expect(Object.keys(Chart.instances)).to.have.length(1);
      el.remove();
      await sleep(0);
      expect(ended).to.deep.equal(made);
      expect(parts(el).source.store.computeSite).to.equal(null);
      expect(Object.keys(Chart.instances)).to.have.length(0);
      // The worker is ended (above), so no answer can come from it: one task for what was queued.
      await sleep(0);
      expect(seen).to.deep.equal([]);
    });
  });

  describe('metric', () => {
    it('re-fires a card choice once from the dashboard, and the trend follows', async () => {
      const el = await mountLoaded(
        html`<ua-dashboard .events=${EVENTS} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      const events: { target: EventTarget | null; metric: string }[] = [];
      const record = (e: Event) =>
        events.push({
          target: e.target,
          metric: (e as CustomEvent<{ metric: string }>).detail.metric,
        });
      document.addEventListener('metric-select', record);
      try {
        const card = parts(el).overview.shadowRoot!.querySelector<HTMLElement>(
          '[data-metric="pageVisits"]',
        )!;
        card.click();
        await settle(el);
        expect(events).to.deep.equal([{ target: el, metric: 'pageVisits' }]);
      } finally {
        document.removeEventListener('metric-select', record);
      }
      const { source, trend, overview } = parts(el);
      expect(el.metric).to.equal('pageVisits');
      expect(source.metric).to.equal('pageVisits');
      expect(trend.shownMetric).to.equal('pageVisits');
      expect(chartData(el).data[0]).to.deep.equal(ALL_PAGES);
      expect(text(trend.shadowRoot!.querySelector('[part="title"] .metric'))).to.equal(
        'Page visits',
      );
      expect(overview.selectedMetric).to.equal('pageVisits');
    });

    it('a metric set on the dashboard reaches the source and every widget', async () => {
      const el = await mountLoaded(
        html`<ua-dashboard
          .events=${EVENTS}
          metric="pageVisits"
          time-zone="UTC"
          end-date="2026-03-10"
        ></ua-dashboard>`,
      );
      const { source, trend, overview } = parts(el);
      expect(source.metric).to.equal('pageVisits');
      expect(source.store.metric).to.equal('pageVisits');
      expect(trend.shownMetric).to.equal('pageVisits');
      expect(chartData(el).data[0]).to.deep.equal(ALL_PAGES);
      expect(overview.selectedMetric).to.equal('pageVisits');

      // A card chosen, then the dashboard's metric set back: the source follows each time.
      overview.shadowRoot!.querySelector<HTMLElement>('[data-metric="newUsers"]')!.click();
      await settle(el);
      expect(source.metric).to.equal('newUsers');
      el.metric = 'pageVisits';
      await settle(el);
      expect(source.metric).to.equal('pageVisits');
      expect(trend.shownMetric).to.equal('pageVisits');

      // Set on the store directly (from outside), then on the dashboard again.
      source.store.setMetric('opens');
      await settle(el);
      expect(el.metric).to.equal('opens');
      el.metric = 'pageVisits';
      await settle(el);
      expect(source.store.metric).to.equal('pageVisits');
    });
  });

  describe('attributes', () => {
    it('lang="zh-CN" gives Chinese labels in every widget', async () => {
      const el = await mountLoaded(
        html`<ua-dashboard
          .events=${EVENTS}
          lang="zh-CN"
          time-zone="UTC"
          end-date="2026-03-10"
        ></ua-dashboard>`,
      );
      await expect(el).to.be.accessible();
      expectChinese(el);
    });

    it('a lang property works as the attribute does, and can change back', async () => {
      const el = await mountLoaded(
        html`<ua-dashboard .events=${EVENTS} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      expect(cards(el)[0][0]).to.equal('New users');
      el.lang = 'zh-CN';
      await settle(el);
      expectChinese(el);
      el.lang = 'en';
      await settle(el);
      expect(cards(el)).to.deep.equal(ALL_CARDS);
      expect(rows(el)).to.deep.equal(ALL_ROWS);
    });

    it('an empty merge-gap or timeout means the default, as on <ua-source>', async () => {
      const el = fixtureSync<UaDashboard>(
        html`<ua-dashboard merge-gap="" timeout=""></ua-dashboard>`,
      );
      await settle(el);
      const { source } = parts(el);
      expect([el.mergeGap, el.timeout]).to.deep.equal([null, null]);
      expect(source.store.config).to.deep.include({ mergeGap: null, timeout: 15_000 });
      el.setAttribute('merge-gap', '45');
      el.setAttribute('timeout', '5000');
      await settle(el);
      expect(source.store.config).to.deep.include({ mergeGap: 45, timeout: 5000 });
      el.setAttribute('merge-gap', '');
      await settle(el);
      expect(source.store.config.mergeGap).to.equal(null);
    });

    it('range, app and end-date attributes reach the internal source, in one request', async () => {
      const served = serve(msw);
      const el = await mountLoaded(
        html`<ua-dashboard endpoint=${API} time-zone="UTC" end-date="2026-03-10"></ua-dashboard>`,
      );
      const { source } = parts(el);
      expect([source.range, source.app, source.endDate]).to.deep.equal([7, null, '2026-03-10']);
      const loaded = oneEvent(el, 'report-load');
      el.setAttribute('range', '1');
      el.setAttribute('app', 'shop');
      el.setAttribute('end-date', '2026-03-06');
      await loaded;
      await settle(el);
      await quiet(source.store);
      expect([source.range, source.app, source.endDate]).to.deep.equal([1, 'shop', '2026-03-06']);
      expect(source.store.config).to.deep.include({ range: 1, app: 'shop', end: '2026-03-06' });
      expect(served.report).to.equal(2);
      expect(Object.fromEntries(served.queries[1])).to.deep.equal({
        app: 'shop',
        range: '1',
        end: '2026-03-06',
        tz: 'UTC',
      });
      // The pickers show it; the shop on Mar 6: a at 09:00, b at 12:00.
      expect(appSelect(el).value).to.equal('shop');
      expect(rangeRadio(el, 1).checked).to.equal(true);
      const day =
        parts(el).rangeSelect.shadowRoot!.querySelector<HTMLInputElement>('input[type="date"]')!;
      expect(day.value).to.equal('2026-03-06');
      expect(cards(el).map((c) => c[1])).to.deep.equal([
        '1',
        '2',
        '2',
        '3',
        '1m 15s',
        '1m 15s',
        '1.00',
      ]);
      expect(rows(el)).to.have.length(24);
      expect(rows(el)[9]).to.deep.equal(['09:00', '0', '1', '1', '2', '1m 00s', '1m 00s', '1.00']);
      expect(rows(el)[12]).to.deep.equal(['12:00', '1', '1', '1', '1', '1m 30s', '1m 30s', '1.00']);
      expect(meta(el)).to.equal('Period: Mar 6, 2026 · Time zone: UTC');

      // Removing an attribute goes back to the default: all apps (no app in the request).
      const reloaded = oneEvent(el, 'report-load');
      el.removeAttribute('app');
      expect((await reloaded).detail.app).to.equal(null);
      await settle(el);
      expect(source.app).to.equal(null);
      expect(source.store.config.app).to.equal(null);
      expect(appSelect(el).value).to.equal('');
      expect(served.report).to.equal(3);
      expect(served.queries[2].has('app')).to.equal(false);
    });
  });
});

/** Every widget of the dashboard speaks Chinese (the events fixture, 7 days to Mar 10). */
function expectChinese(el: UaDashboard): void {
  const { appSelect: apps, rangeSelect: range, overview, trend, table } = parts(el);
  expect(text(apps.shadowRoot!.querySelector('label'))).to.equal('应用');
  expect(appSelect(el).options[0].text).to.equal('全部应用');
  expect(text(range.shadowRoot!.querySelector('[part="label"]'))).to.equal('时间范围');
  expect(text(range.shadowRoot!.querySelector('[part="date-label"]'))).to.equal('截止日期');
  expect(
    [...range.shadowRoot!.querySelectorAll('[part~="segment"]')].map((s) => text(s)),
  ).to.deep.equal(['1天', '7天', '30天']);
  expect(cards(el)).to.deep.equal([
    ['新增用户', '2', '0%', '较上周同期'],
    ['活跃用户', '3', '▲+50%', '较上周同期'],
    ['打开次数', '4', '▲+100%', '较上周同期'],
    ['访问页面数', '5', '▲+150%', '较上周同期'],
    ['次均停留时长', '1分13秒', '▲+45%', '较上周同期'],
    ['人均停留时长', '1分37秒', '▲+93%', '较上周同期'],
    ['人均打开次数', '1.33', '▲+33%', '较上周同期'],
  ]);
  expect(
    overview.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('aria-label'),
  ).to.equal('指标');
  expect(text(trend.shadowRoot!.querySelector('[part="title"] .metric'))).to.equal('活跃用户');
  expect(chartData(el).labels[0]).to.equal('3月4日');
  expect(text(table.shadowRoot!.querySelector('thead'))).to.match(/^时间/);
  expect(rows(el)[0]).to.deep.equal(['3月4日', '1', '1', '1', '2', '2分00秒', '2分00秒', '1.00']);
  expect(text(table.shadowRoot!.querySelector('[part="download"]'))).to.equal('下载 CSV');
  expect(meta(el)).to.equal(
    '数据更新至 2026年3月10日（T+1） · 统计时段：2026年3月4日 – 10日 · 时区：UTC',
  );
}
