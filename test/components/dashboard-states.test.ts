/**
 * <ua-dashboard> shows each state once for the page (issue 12, item 3): one progress bar, one
 * error with its reason and one Retry, one empty message with where the data lies; nothing
 * moves while a new Report loads over the old one. Also item 8: the `apps` names, sorted.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { HttpResponse, delay, http } from 'msw';
import '../../src/components/dashboard/dashboard.js';
import type { UaDashboard } from '../../src/components/dashboard/dashboard.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Range } from '../../src/engine/types.js';
import { allElements, answerInPage } from '../hostile/harness.js';
import { waitFor } from '../store/helpers.js';
import { widgetsIn } from '../fixtures/widgets.js';

const API = 'https://states.example/api';
const T = (day: string, time: string) => Date.parse(`2026-${day}T${time}Z`);
const EVENTS = [
  { user: 'a', app: 'shop', type: 'open', time: T('03-04', '10:00:00') },
  { user: 'a', app: 'shop', type: 'page', time: T('03-04', '10:00:10') },
  { user: 'a', app: 'shop', type: 'hide', time: T('03-04', '10:02:00') },
  { user: 'b', app: 'news', type: 'open', time: T('03-06', '12:00:00') },
  { user: 'b', app: 'news', type: 'hide', time: T('03-06', '12:01:30') },
];

/** Answers the endpoint in the page: status and delay per request, as the test sets them. */
function serve() {
  const s = { status: 200, slow: 0, reports: 0 };
  const server = answerInPage([
    http.get(`${API}/apps`, () => HttpResponse.json({ apps: [] })),
    http.get(`${API}/report`, async ({ request }) => {
      s.reports++;
      if (s.slow) await delay(s.slow);
      if (s.status !== 200) return new HttpResponse('down', { status: s.status });
      const q = new URL(request.url).searchParams;
      const range = Number(q.get('range')) as Range;
      return HttpResponse.json(
        computeReport(EVENTS, { range, end: q.get('end')!, timeZone: 'UTC' }),
      );
    }),
  ]);
  return Object.assign(s, { restore: () => server.restore() });
}

const count = (el: Element, selector: string) =>
  allElements(el).filter((e) => e.matches(selector)).length;

async function settled(el: UaDashboard) {
  const { source, overview, trend, table } = widgetsIn(el.shadowRoot!);
  await waitFor(() => ['ready', 'error'].includes(source.store.report.status));
  // Two frames: what the widgets measure after layout (the table's scroll hint).
  for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  for (const w of [el, overview, trend, table]) await w.updateComplete;
}

describe('<ua-dashboard>: one state for the page', () => {
  let server: ReturnType<typeof serve>;
  beforeEach(() => {
    server = serve();
  });
  afterEach(() => server.restore());

  it('a failing endpoint: one error with its reason and one Retry, which recovers', async () => {
    server.status = 503;
    const el = await fixture<UaDashboard>(
      html`<ua-dashboard endpoint=${API} end-date="2026-03-10" time-zone="UTC"></ua-dashboard>`,
    );
    await settled(el);
    await expect(el).to.be.accessible();
    expect(count(el, '[part~="error"]')).to.equal(1);
    expect(count(el, '[part~="retry"]')).to.equal(1);
    const error = el.shadowRoot!.querySelector('[part="status"] [part="error"]')!;
    expect(error.textContent).to.contain('The server answered 503 Service Unavailable');
    expect(el.shadowRoot!.querySelector('[part="meta"]')).to.equal(null);
    server.status = 200;
    error.querySelector<HTMLButtonElement>('button')!.click();
    await waitFor(() => widgetsIn(el.shadowRoot!).source.store.report.status === 'ready');
    await settled(el);
    expect(count(el, '[part~="error"]')).to.equal(0);
    expect(count(el, '[part~="retry"]')).to.equal(0);
  });

  it('loading over an old Report: one progress bar, and nothing moves', async () => {
    const el = await fixture<UaDashboard>(
      html`<ua-dashboard endpoint=${API} end-date="2026-03-10" time-zone="UTC"></ua-dashboard>`,
    );
    await settled(el);
    const { overview, trend, table, source } = widgetsIn(el.shadowRoot!);
    const boxes = () =>
      [overview, trend, table].map((w) => {
        const r = w.getBoundingClientRect();
        return `${Math.round(r.top)}:${Math.round(r.height)}`;
      });
    const before = boxes();
    server.slow = 1500;
    el.endDate = '2026-03-09';
    await waitFor(() => source.store.report.status === 'loading');
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
    for (const w of [el, overview, trend, table]) await w.updateComplete;
    expect(count(el, '[role="progressbar"]')).to.equal(1);
    expect(count(el, '[part~="loading"]')).to.equal(0);
    expect(boxes()).to.deep.equal(before);
    await settled(el);
    expect(count(el, '[role="progressbar"]')).to.equal(0);
    expect(boxes()).to.deep.equal(before);
  });

  it('empty: one message, saying which days the data covers', async () => {
    const el = await fixture<UaDashboard>(
      html`<ua-dashboard
        .events=${EVENTS}
        end-date="2026-02-10"
        time-zone="UTC"
        lang="en"
      ></ua-dashboard>`,
    );
    await settled(el);
    await expect(el).to.be.accessible();
    expect(count(el, '[part~="empty"]')).to.equal(1);
    expect(el.shadowRoot!.querySelector('[part="status"] [part="empty"]')!.textContent).to.equal(
      'No data for this period. The data covers Mar 4 – 6, 2026.',
    );
  });

  it('apps: names and kinds for the ids in the events, sorted by name', async () => {
    const apps = [
      { id: 'shop', name: 'Zebra shop', kind: 'mini-program' as const },
      { id: 'news', name: 'Apple news', kind: 'h5' as const },
    ];
    const el = await fixture<UaDashboard>(
      html`<ua-dashboard .events=${EVENTS} .apps=${apps} end-date="2026-03-10"></ua-dashboard>`,
    );
    await settled(el);
    const { appSelect } = widgetsIn(el.shadowRoot!);
    await waitFor(() => appSelect.shadowRoot!.querySelectorAll('option').length === 3);
    const options = [...appSelect.shadowRoot!.querySelectorAll('option')];
    expect(options.map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['', 'All apps'],
      ['news', 'Apple news (H5)'],
      ['shop', 'Zebra shop (Mini program)'],
    ]);
  });
});
