import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { HttpResponse, http } from 'msw';
import '../../src/index.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Range, Report } from '../../src/engine/types.js';
import { widgetsIn, type WidgetSet } from '../fixtures/widgets.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { fixtureEvents, quiet, until, useMsw, waitFor } from '../store/helpers.js';
import { XSS_NAME, imageErrorsFired, stubAlert, xssRan } from '../fixtures/xss.js';
import { aroundMidnights, useFakeNow } from '../fixtures/clock.js';

/*
 * Data: test/fixtures/store-events.json (see test/store/helpers.ts), UTC, served by an endpoint
 * that computes with ua-kit/engine.
 * - u1 (mini), Mar 9 10:00: 1 merged open of 120 + 60 = 180 s, 2 pages; new on Mar 9.
 * - u2 (h5), Mar 10 08:00: 1 open of 30 s, 1 page; new.
 * - 42 (mini): Mar 1 12:00 open of 60 s (new there); Mar 5 12:00 open of 10 s. No pages.
 */
const API = '/int-api';
const APPS = {
  apps: [
    { id: 'mini', name: 'Mini', kind: 'mini-program' },
    { id: 'h5', name: 'H5 site', kind: 'h5' },
    { id: 'xss', name: XSS_NAME, kind: 'mini-game' },
  ],
};

let events: unknown[];

interface Served {
  report: number;
  apps: number;
  queries: Record<string, string>[];
}

function serve(msw: ReturnType<typeof useMsw>): Served {
  const served: Served = { report: 0, apps: 0, queries: [] };
  msw.use(
    http.get(`${API}/apps`, () => {
      served.apps++;
      return HttpResponse.json(APPS);
    }),
    http.get(`${API}/report`, ({ request }) => {
      served.report++;
      const q = new URL(request.url).searchParams;
      served.queries.push(Object.fromEntries(q));
      const report: Report = computeReport(events, {
        range: Number(q.get('range')) as Range,
        end: q.get('end') ?? undefined,
        timeZone: q.get('tz') ?? undefined,
        app: q.get('app') ?? undefined,
      });
      return HttpResponse.json(report);
    }),
  );
  return served;
}

interface Page extends WidgetSet {
  root: HTMLElement;
}

/** One source, and every widget placed apart from it, naming it by id. */
async function mountPage(timeZone = 'UTC'): Promise<Page> {
  const root = await fixture<HTMLElement>(
    html`<div>
      <ua-source id="s" endpoint=${API} time-zone=${timeZone} end-date="2026-03-10"></ua-source>
      <header>
        <ua-app-select source="s" lang="en"></ua-app-select>
        <ua-range-select source="s" lang="en"></ua-range-select>
      </header>
      <main>
        <ua-overview source="s" lang="en"></ua-overview>
        <section><ua-trend source="s" lang="en"></ua-trend></section>
        <section><ua-detail-table source="s" lang="en"></ua-detail-table></section>
      </main>
    </div>`,
  );
  return { root, ...widgetsIn(root) };
}

/** Waits for the source's Report to be ready, then for every widget to render it. */
async function loaded(page: Page): Promise<Report> {
  const store = page.source.store;
  await Promise.resolve(); // a load that a change scheduled starts first
  await until(store, () => store.report.status === 'ready' && store.apps.status === 'ready');
  for (const w of [
    page.source,
    page.appSelect,
    page.rangeSelect,
    page.overview,
    page.trend,
    page.table,
  ]) {
    await w.updateComplete;
  }
  const state = store.report;
  if (state.status !== 'ready') throw new Error(`not ready: ${state.status}`);
  return state.value;
}

const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

const cards = (p: Page) =>
  [...p.overview.shadowRoot!.querySelectorAll('[role="radio"]')].map((c) => [
    text(c.querySelector('[part="value"]')),
    text(c.querySelector('[part~="badge"] [aria-hidden="true"]')),
  ]);
const rows = (p: Page) =>
  [...p.table.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.children].map((c) => text(c)),
  );
const chart = (p: Page) => ({
  labels: p.trend.chart!.data.labels,
  data: p.trend.chart!.data.datasets[0].data,
});
const select = (p: Page) => p.appSelect.shadowRoot!.querySelector('select')!;
const radio = (p: Page, r: Range) =>
  p.rangeSelect.shadowRoot!.querySelector<HTMLInputElement>(`input[type="radio"][value="${r}"]`)!;
const dayInput = (p: Page) =>
  p.rangeSelect.shadowRoot!.querySelector<HTMLInputElement>('input[type="date"]')!;

function chooseApp(p: Page, app: string): void {
  select(p).value = app;
  select(p).dispatchEvent(new Event('change'));
}

function typeDay(p: Page, day: string): void {
  dayInput(p).value = day;
  dayInput(p).dispatchEvent(new Event('change'));
}

/** Every element in the document and in every shadow root below it. */
function allElements(root: Document | ShadowRoot | Element = document): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...allElements(el.shadowRoot));
  }
  return out;
}

describe('widgets placed apart over one <ua-source id="s">', () => {
  const msw = useMsw();
  const setNow = useFakeNow();
  guardAgainstStrayErrors();

  before(async () => {
    events = await fixtureEvents();
  });

  it('is accessible; the pickers change the source, one request per change updates every widget', async () => {
    const served = serve(msw);
    const page = await mountPage();
    await expect(page.root).to.be.accessible();
    await loaded(page);
    await expect(page.root).to.be.accessible();
    // Five widgets, one source: one /apps and one /report.
    expect([served.apps, served.report]).to.deep.equal([1, 1]);
    expect(served.queries[0]).to.deep.equal({ range: '7', end: '2026-03-10', tz: 'UTC' });
    // All apps, Mar 4–10: new u1, u2; active u1, u2, 42; opens 3; pages 3; 220 s (73 s, 73 s);
    // comparison 42 alone (1, 1, 1, 0, 60 s): +100 %, +200 %, +200 %, +300 %, +22 %, +22 %, 0 %.
    expect(cards(page)).to.deep.equal([
      ['2', '▲+100%'],
      ['3', '▲+200%'],
      ['3', '▲+200%'],
      ['3', '▲+300%'],
      ['1m 13s', '▲+22%'],
      ['1m 13s', '▲+22%'],
      ['1.00', '0%'],
    ]);
    // Active per day Mar 4–10: 42 on Mar 5, u1 on Mar 9, u2 on Mar 10.
    expect(chart(page).data).to.deep.equal([0, 1, 0, 0, 0, 1, 1]);
    expect(rows(page).map((r) => r[2])).to.deep.equal(['0', '1', '0', '0', '0', '1', '1']);

    // 1. The app picker → app=mini.
    chooseApp(page, 'mini');
    let report = await loaded(page);
    await quiet(page.source.store); // a second request, if one were made, has ended
    expect(served.report).to.equal(2);
    expect(served.queries[1]).to.deep.equal({
      app: 'mini',
      range: '7',
      end: '2026-03-10',
      tz: 'UTC',
    });
    expect(report.app).to.equal('mini');
    expect(page.source.store.config.app).to.equal('mini');
    expect(page.source.app).to.equal('mini');
    // mini, Mar 4–10: u1 (new; 1 open, 180 s, 2 pages) and 42 (1 open, 10 s) → 1, 2, 2, 2,
    // 190 s (95 s, 95 s, 1.00). Comparison 42 on Mar 1 (1, 1, 1, 0, 60 s): 0 %, +100 %,
    // +100 %, +200 %, (95−60)/60 = +58 %, +58 %, 0 %.
    expect(cards(page)).to.deep.equal([
      ['1', '0%'],
      ['2', '▲+100%'],
      ['2', '▲+100%'],
      ['2', '▲+200%'],
      ['1m 35s', '▲+58%'],
      ['1m 35s', '▲+58%'],
      ['1.00', '0%'],
    ]);
    expect(chart(page).data).to.deep.equal([0, 1, 0, 0, 0, 1, 0]);
    expect(rows(page)[5]).to.deep.equal(['Mar 9', '1', '1', '1', '2', '3m 00s', '3m 00s', '1.00']);

    // 2. 30 days → range=30.
    radio(page, 30).click();
    report = await loaded(page);
    await quiet(page.source.store);
    expect(served.report).to.equal(3);
    expect(served.queries[2]).to.deep.equal({
      app: 'mini',
      range: '30',
      end: '2026-03-10',
      tz: 'UTC',
    });
    expect(page.source.store.config.range).to.equal(30);
    expect(page.source.range).to.equal(30);
    // mini, Feb 9 – Mar 10: u1 and 42 both new; 3 opens; 2 pages; 180 + 60 + 10 = 250 s →
    // 83.3 s per open (1m 23s), 125 s per user (2m 05s), 1.50. Comparison empty (divisor 1).
    expect(cards(page)).to.deep.equal([
      ['2', '▲+200%'],
      ['2', '▲+200%'],
      ['3', '▲+300%'],
      ['2', '▲+200%'],
      ['1m 23s', '▲+8,333%'],
      ['2m 05s', '▲+12,500%'],
      ['1.50', '▲+150%'],
    ]);
    expect(chart(page).labels).to.have.length(30);
    expect(rows(page)).to.have.length(30);
    expect(rows(page)[0][0]).to.equal('Feb 9');

    // 3. 1 day → range=1 (Mar 10: nothing for mini; Mar 9 had u1).
    radio(page, 1).click();
    report = await loaded(page);
    await quiet(page.source.store);
    expect(served.report).to.equal(4);
    expect(served.queries[3]).to.include({ app: 'mini', range: '1', end: '2026-03-10' });
    expect(report.granularity).to.equal('hour');
    expect(cards(page).map((c) => c[0])).to.deep.equal(['0', '0', '0', '0', '0s', '0s', '0.00']);
    expect(chart(page).labels).to.have.length(24);
    expect(text(page.table.shadowRoot!.querySelector('[part="empty"]'))).to.equal(
      'No data for this period.',
    );

    // 4. The day → end=2026-03-09: u1's open at 10:00. Comparison Mar 8 is empty.
    typeDay(page, '2026-03-09');
    report = await loaded(page);
    await quiet(page.source.store);
    expect(served.report).to.equal(5);
    expect(served.queries[4]).to.deep.equal({
      app: 'mini',
      range: '1',
      end: '2026-03-09',
      tz: 'UTC',
    });
    expect(page.source.store.config.end).to.equal('2026-03-09');
    expect(page.source.endDate).to.equal('2026-03-09');
    expect(cards(page)).to.deep.equal([
      ['1', '▲+100%'],
      ['1', '▲+100%'],
      ['1', '▲+100%'],
      ['2', '▲+200%'],
      ['3m 00s', '▲+18,000%'],
      ['3m 00s', '▲+18,000%'],
      ['1.00', '▲+100%'],
    ]);
    const active = new Array<number>(24).fill(0);
    active[10] = 1;
    expect(chart(page).data).to.deep.equal(active);
    expect(rows(page)[10]).to.deep.equal(['10:00', '1', '1', '1', '2', '3m 00s', '3m 00s', '1.00']);
    expect(served.apps).to.equal(1);
    await expect(page.root).to.be.accessible();
  });

  it('shows an app named like HTML as text; no <img> exists anywhere', async () => {
    serve(msw);
    const alerts = stubAlert(); // for the rest of this page: a payload must fail, not block
    const page = await mountPage();
    await loaded(page);
    const option = [...select(page).options].find((o) => o.value === 'xss')!;
    expect(option.text).to.equal(`${XSS_NAME} (Mini game)`);
    expect(option.children).to.have.length(0);
    expect(allElements().filter((el) => el.localName === 'img')).to.deep.equal([]);

    chooseApp(page, 'xss');
    const report = await loaded(page);
    expect(report.app).to.equal('xss');
    expect(select(page).value).to.equal('xss');
    expect(allElements().filter((el) => el.localName === 'img')).to.deep.equal([]);
    await imageErrorsFired();
    expect(xssRan()).to.equal(false);
    expect(alerts).to.deep.equal([]);
  });

  it('the range picker refuses today (data is T+1): no change, no request, a hint', async () => {
    // Clocks on each side of midnight in UTC (the source's zone) and in the browser's (TZ).
    for (const now of aroundMidnights(Date.UTC(2026, 10, 29), 0)) {
      setNow(now);
      await refusesToday(now);
      fixtureCleanup(); // one source with id "s" at a time
    }
  });

  async function refusesToday(ms: number) {
    const served = serve(msw);
    const page = await mountPage();
    await loaded(page);
    const today = new Date(ms).toISOString().slice(0, 10); // the source's zone is UTC
    const yesterday = new Date(ms - 86_400_000).toISOString().slice(0, 10);
    expect(dayInput(page).max).to.equal(yesterday);
    expect(dayInput(page).value).to.equal('2026-03-10');

    typeDay(page, today);
    await page.rangeSelect.updateComplete;
    await quiet(page.source.store);
    expect(dayInput(page).value).to.equal('2026-03-10');
    expect(page.source.store.config.end).to.equal('2026-03-10');
    expect(page.source.endDate).to.equal('2026-03-10');
    expect(served.report).to.equal(1);
    expect(text(page.rangeSelect.shadowRoot!.querySelector('[part="hint"]'))).to.match(
      /^Choose a day up to .+: data is ready the next day\.$/,
    );

    // Yesterday is allowed.
    typeDay(page, yesterday);
    const report = await loaded(page);
    expect(report.end).to.equal(yesterday);
    expect(served.report).to.equal(2);
    expect(text(page.rangeSelect.shadowRoot!.querySelector('[part="hint"]'))).to.equal('');
  }

  it('a pick that fails its check gives one report-error, not one per element', async () => {
    const served = serve(msw);
    const errors: string[] = [];
    const onError = (e: Event) => errors.push((e as CustomEvent<{ reason: string }>).detail.reason);
    document.addEventListener('report-error', onError);
    try {
      const page = await mountPage('Mars/Olympus');
      await page.source.updateComplete;
      await waitFor(() => errors.length > 0);
      await quiet(page.source.store); // settled: a second error, if one came, is in
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^timeZone: /);
      radio(page, 30).click();
      await waitFor(() => errors.length > 1);
      await quiet(page.source.store);
      expect(errors).to.have.length(2);
      expect(errors[1]).to.equal(errors[0]);
      expect(page.source.range).to.equal(30);
      expect(served.report).to.equal(0);
      const error = page.overview.shadowRoot!.querySelector('[part="error"] .reason');
      expect(text(error)).to.equal(errors[0]);
    } finally {
      document.removeEventListener('report-error', onError);
    }
  });
});
