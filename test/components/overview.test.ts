import { runStoreWidgetTests } from './widget-suite.js';
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/overview/overview.js';
import '../../src/components/source/source.js';
import type { UaOverview } from '../../src/components/overview/overview.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../src/engine/types.js';
import { strings } from '../../src/i18n/strings.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { day, emptyWeek, month, week, withRange } from '../fixtures/report-fixtures.js';
import { StubStore } from '../fixtures/stub-store.js';

function storeWith(report: Report): MetricsStore {
  const store = new MetricsStore();
  store.setReport(report);
  return store;
}

async function mount(report: Report, attrs: { lang?: string; metrics?: string } = {}) {
  const store = storeWith(report);
  const el = await fixture<UaOverview>(
    html`<ua-overview
      .store=${store}
      lang=${attrs.lang ?? 'en'}
      metrics=${attrs.metrics ?? METRIC_KEYS.join(' ')}
    ></ua-overview>`,
  );
  return { el, store };
}

function cards(el: UaOverview): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
}

function card(el: UaOverview, key: MetricKey): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[role="radio"][data-metric="${key}"]`)!;
}

function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** What a person sees on each card: label | value | badge | comparison. */
function visible(el: UaOverview): string[][] {
  return cards(el).map((c) => [
    text(c.querySelector('[part="label"]')),
    text(c.querySelector('[part="value"]')),
    text(c.querySelector('[part~="badge"] [aria-hidden="true"]')),
    text(c.querySelector('[part="comparison"]')),
  ]);
}

function checked(el: UaOverview): string[] {
  return cards(el)
    .filter((c) => c.getAttribute('aria-checked') === 'true')
    .map((c) => c.dataset.metric!);
}

function tabStops(el: UaOverview): string[] {
  return cards(el)
    .filter((c) => c.tabIndex === 0)
    .map((c) => c.dataset.metric!);
}

function focused(el: UaOverview): string | undefined {
  return (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.metric;
}

describe('<ua-overview>', () => {
  it('is accessible and shows the seven cards in SPEC order with values and badges (en)', async () => {
    const { el } = await mount(week);
    await expect(el).to.be.accessible();
    const group = el.shadowRoot!.querySelector('[role="radiogroup"]')!;
    expect(group.getAttribute('aria-label')).to.equal('Metrics');
    const cmp = 'vs same period last week';
    expect(visible(el)).to.deep.equal([
      ['New users', '5', '▲+500%', cmp], // 0 → 5: divisor 1
      ['Active users', '12,345', '▲+12%', cmp],
      ['Number of opens', '706,140', '▼−6%', cmp],
      ['Page visits', '1,234,567', '0%', cmp],
      ['Avg. duration per open', '1m 05s', '▲+22%', cmp],
      ['Avg. duration per user', '1h 02m', '▲+2%', cmp],
      ['Avg. opens per user', '57.20', '▼−16%', cmp],
    ]);
  });

  it('colours and words the badge by direction, with the meaning in text for screen readers', async () => {
    const { el } = await mount(week);
    const badge = (k: MetricKey) => card(el, k).querySelector<HTMLElement>('[part~="badge"]')!;
    expect(badge('newUsers').getAttribute('part')).to.equal('badge up');
    expect(badge('opens').getAttribute('part')).to.equal('badge down');
    expect(badge('pageVisits').getAttribute('part')).to.equal('badge flat');
    expect(text(badge('newUsers').querySelector('.visually-hidden'))).to.equal('up 500%');
    expect(text(badge('opens').querySelector('.visually-hidden'))).to.equal('down 6%');
    expect(text(badge('pageVisits').querySelector('.visually-hidden'))).to.equal('no change');
    expect(badge('pageVisits').querySelector('.arrow')).to.equal(null);
    // Colours come from the theme's --_up / --_down (defaults #137333 / #c5221f).
    expect(getComputedStyle(badge('newUsers')).color).to.equal('rgb(19, 115, 51)');
    expect(getComputedStyle(badge('opens')).color).to.equal('rgb(197, 34, 31)');
    el.style.setProperty('--ua-up-color', 'rgb(1, 2, 3)');
    expect(getComputedStyle(badge('newUsers')).color).to.equal('rgb(1, 2, 3)');
  });

  it('names the comparison per range', async () => {
    const one = await mount(day);
    expect(visible(one.el)[0][3]).to.equal('vs previous day');
    expect(visible(one.el)[0][2]).to.equal('▲+20%');
    const thirty = await mount(month);
    expect(visible(thirty.el)[5]).to.deep.equal([
      'Avg. duration per user',
      '1m 10s', // 13,950 / 200 = 69.75 s → 70 s
      '▼−23%',
      'vs same period last month',
    ]);
    const seven = await mount(withRange(week, 7));
    expect(visible(seven.el)[0][3]).to.equal('vs same period last week');
  });

  it('formats zh-CN labels, numbers, durations and comparisons', async () => {
    const { el } = await mount(week, { lang: 'zh-CN' });
    await expect(el).to.be.accessible();
    const cmp = '较上周同期';
    expect(visible(el)).to.deep.equal([
      ['新增用户', '5', '▲+500%', cmp],
      ['活跃用户', '12,345', '▲+12%', cmp],
      ['打开次数', '706,140', '▼−6%', cmp],
      ['访问页面数', '1,234,567', '0%', cmp],
      ['次均停留时长', '1分05秒', '▲+22%', cmp],
      ['人均停留时长', '1小时02分', '▲+2%', cmp],
      ['人均打开次数', '57.20', '▼−16%', cmp],
    ]);
    expect(text(card(el, 'opens').querySelector('[part~="badge"] .visually-hidden'))).to.equal(
      '下降 6%',
    );
    const one = await mount(day, { lang: 'zh-CN' });
    expect(visible(one.el)[0][3]).to.equal('较前一日');
  });

  it('takes the nearest lang in the page when it has none', async () => {
    const store = storeWith(week);
    const wrap = fixtureSync<HTMLDivElement>(
      html`<div lang="zh-CN"><ua-overview .store=${store}></ua-overview></div>`,
    );
    const el = wrap.querySelector('ua-overview')!;
    await el.updateComplete;
    expect(visible(el)[0][0]).to.equal('新增用户');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(visible(el)[0][0]).to.equal('New users');
  });

  it('gives each card its definition on hover and to screen readers', async () => {
    const { el } = await mount(week);
    const defs = strings('en').definition;
    for (const key of METRIC_KEYS) {
      const c = card(el, key);
      expect(c.title).to.equal(defs[key]);
      const described = el.shadowRoot!.getElementById(c.getAttribute('aria-describedby')!);
      expect(text(described)).to.equal(defs[key]);
      // The description is outside the card, so it is not part of the card's name.
      expect(c.contains(described)).to.equal(false);
    }
  });

  it('selects a card on click: metric-select detail, store.metric, aria-checked', async () => {
    const { el, store } = await mount(week);
    expect(checked(el)).to.deep.equal(['activeUsers']); // the store's default
    const ev = oneEvent(el, 'metric-select');
    card(el, 'pageVisits').click();
    const e = await ev;
    expect(e.detail).to.deep.equal({ metric: 'pageVisits' });
    expect(e.bubbles).to.equal(true);
    expect(e.composed).to.equal(true);
    expect(store.metric).to.equal('pageVisits');
    await el.updateComplete;
    expect(checked(el)).to.deep.equal(['pageVisits']);
    expect(tabStops(el)).to.deep.equal(['pageVisits']);
    expect(el.selectedMetric).to.equal('pageVisits');
  });

  it('is one keyboard group: Tab enters on the selected card, arrows move focus, Enter/Space select', async () => {
    const { el, store } = await mount(week);
    const events: string[] = [];
    el.addEventListener('metric-select', (e) => events.push(e.detail.metric));
    // Roving tabindex: only the selected card is in the tab order.
    expect(tabStops(el)).to.deep.equal(['activeUsers']);
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('activeUsers');

    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)).to.equal('opens');
    expect(store.metric).to.equal('activeUsers'); // arrows only move focus
    expect(events).to.deep.equal([]);
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)).to.equal('pageVisits');
    await sendKeys({ press: 'Enter' });
    expect(events).to.deep.equal(['pageVisits']);
    expect(store.metric).to.equal('pageVisits');
    await el.updateComplete;
    expect(checked(el)).to.deep.equal(['pageVisits']);
    expect(tabStops(el)).to.deep.equal(['pageVisits']);

    await sendKeys({ press: 'Home' });
    expect(focused(el)).to.equal('newUsers');
    await sendKeys({ press: 'ArrowLeft' }); // wraps to the last
    expect(focused(el)).to.equal('avgOpensPerUser');
    await sendKeys({ press: 'ArrowRight' }); // wraps to the first
    expect(focused(el)).to.equal('newUsers');
    await sendKeys({ press: 'ArrowUp' });
    expect(focused(el)).to.equal('avgOpensPerUser');
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'End' });
    expect(focused(el)).to.equal('avgOpensPerUser');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'Space' });
    expect(events).to.deep.equal(['pageVisits', 'avgDurationPerUser']);
    expect(store.metric).to.equal('avgDurationPerUser');
    before.remove();
  });

  it('follows a metric changed elsewhere (store.setMetric)', async () => {
    const { el, store } = await mount(week);
    store.setMetric('avgDurationPerOpen');
    await el.updateComplete;
    expect(checked(el)).to.deep.equal(['avgDurationPerOpen']);
    expect(tabStops(el)).to.deep.equal(['avgDurationPerOpen']);
  });

  it('shows a subset in the given order with `metrics`, ignoring unknown keys', async () => {
    const { el } = await mount(week, { metrics: 'opens bogus  newUsers opens' });
    expect(cards(el).map((c) => c.dataset.metric)).to.deep.equal(['opens', 'newUsers']);
    // The selected metric (activeUsers) is not shown: the first card is the tab stop.
    expect(checked(el)).to.deep.equal([]);
    expect(tabStops(el)).to.deep.equal(['opens']);
    await expect(el).to.be.accessible();
  });

  it('lays out 7 across on a wide host and 2 across on a narrow one', async () => {
    const { el } = await mount(week);
    const tops = () => cards(el).map((c) => Math.round(c.getBoundingClientRect().top));
    // Container queries apply on the synchronous layout getBoundingClientRect forces.
    el.style.width = '1200px';
    expect(new Set(tops()).size).to.equal(1);
    el.style.width = '320px';
    const t = tops();
    expect(t[0]).to.equal(t[1]);
    expect(t[2]).to.be.greaterThan(t[1]);
    expect(t[2]).to.equal(t[3]);
    expect(new Set(t).size).to.equal(4); // rows of 2, 2, 2, 1
  });

  it('shows skeletons and a progress bar while loading', async () => {
    const store = new StubStore();
    store.setReportState({ status: 'loading', progress: { phase: 'parse', done: 25, total: 100 } });
    const el = await fixture<UaOverview>(html`<ua-overview .store=${store}></ua-overview>`);
    await expect(el).to.be.accessible();
    const bar = el.shadowRoot!.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).to.equal('25');
    expect(el.shadowRoot!.querySelectorAll('.card.skeleton').length).to.equal(7);
    expect(cards(el)).to.have.length(0);
  });

  it('keeps the old numbers dimmed while reloading', async () => {
    const store = new StubStore();
    store.setReportState({ status: 'loading', progress: null, previous: week });
    const el = await fixture<UaOverview>(html`<ua-overview .store=${store}></ua-overview>`);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[role="progressbar"]')).to.not.equal(null);
    const group = el.shadowRoot!.querySelector('[role="radiogroup"]')!;
    expect(group.classList.contains('stale')).to.equal(true);
    expect(group.getAttribute('aria-busy')).to.equal('true');
    expect(visible(el)[1][1]).to.equal('12,345');
    store.setReportState({ status: 'ready', value: day });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="progressbar"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.stale')).to.equal(null);
    expect(visible(el)[1][1]).to.equal('100');
  });

  it('shows an error with the reason as text and a Retry that calls store.retry', async () => {
    const store = new StubStore();
    let retries = 0;
    store.retry = () => {
      retries++;
    };
    const reason = '<img src=x onerror="window.__pwned=1"> HTTP 502';
    store.setReportState({ status: 'error', error: reason });
    const el = await fixture<UaOverview>(html`<ua-overview .store=${store}></ua-overview>`);
    await expect(el).to.be.accessible();
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(text(alert)).to.contain(reason);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry')!.click();
    expect(retries).to.equal(1);
  });

  it('shows the empty state for a report without activity, and the no-source state', async () => {
    const { el } = await mount(emptyWeek);
    await expect(el).to.be.accessible();
    expect(text(el.shadowRoot!.querySelector('[part="empty"]'))).to.equal(
      'No data for this period.',
    );
    expect(cards(el)).to.have.length(0);

    const idle = await fixture<UaOverview>(
      html`<ua-overview .store=${new MetricsStore()}></ua-overview>`,
    );
    await expect(idle).to.be.accessible();
    expect(text(idle.shadowRoot!.querySelector('[part="empty"]'))).to.equal('No data source.');

    const none = await fixture<UaOverview>(html`<ua-overview lang="zh-CN"></ua-overview>`);
    expect(text(none.shadowRoot!.querySelector('[part="empty"]'))).to.equal('未连接数据源。');
  });

  it('switches stores when the store property changes', async () => {
    const { el } = await mount(week);
    el.store = storeWith(month);
    await el.updateComplete;
    expect(visible(el)[0][1]).to.equal('30');
  });

  it('uses the <ua-source> it is nested in', async () => {
    const wrap = fixtureSync<HTMLElement>(html`<ua-source><ua-overview></ua-overview></ua-source>`);
    const source = wrap as HTMLElement & { store: MetricsStore };
    source.store.setReport(week);
    const el = wrap.querySelector('ua-overview')!;
    await el.updateComplete;
    expect(visible(el)[1][1]).to.equal('12,345');
  });
});

runStoreWidgetTests('ua-overview', 'report');
