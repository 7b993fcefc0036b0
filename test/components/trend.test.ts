import { runStoreWidgetTests } from './widget-suite.js';
import { expect, fixture, fixtureSync, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, resetMouse, sendMouse } from '@web/test-runner-commands';
import { Chart } from 'chart.js';
import '../../src/components/trend/trend.js';
import type { UaTrend } from '../../src/components/trend/trend.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Report } from '../../src/engine/types.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import {
  WEEK_ACTIVE,
  WEEK_OPENS,
  WEEK_PREVIOUS_ACTIVE,
  day,
  emptyWeek,
  month,
  week,
} from '../fixtures/report-fixtures.js';
import { StubStore } from '../fixtures/stub-store.js';

function storeWith(report: Report): MetricsStore {
  const store = new MetricsStore();
  store.setReport(report);
  return store;
}

async function mount(
  report: Report,
  attrs: { metric?: string; compare?: boolean; lang?: string } = {},
) {
  const store = storeWith(report);
  const el = await fixture<UaTrend>(
    html`<ua-trend
      .store=${store}
      metric=${attrs.metric ?? ''}
      ?compare=${attrs.compare ?? false}
      lang=${attrs.lang ?? 'en'}
    ></ua-trend>`,
  );
  return { el, store, chart: el.chart! };
}

const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);

function canvasOf(el: UaTrend): HTMLCanvasElement {
  return el.shadowRoot!.querySelector('canvas')!;
}

/**
 * Moves the mouse (a real one: sendMouse) over the point of bucket `index`; chart.js handles
 * pointer events in an animation frame. Returns the lines of the tooltip, or null if none.
 */
async function hoverBucket(el: UaTrend, index: number): Promise<string[] | null> {
  const point = el.chart!.getDatasetMeta(0).data[index];
  const box = canvasOf(el).getBoundingClientRect();
  // Whole pixels inside the chart area (the first and last points lie on its edges): the
  // nearest point along x is still this one.
  const area = el.chart!.chartArea;
  const x = Math.min(
    Math.max(box.left + point.x, Math.ceil(box.left + area.left)),
    Math.floor(box.left + area.right),
  );
  await sendMouse({ type: 'move', position: [Math.round(x), Math.round(box.top + point.y)] });
  await waitUntil(() => el.chart!.getActiveElements()[0]?.index === index, 'no active point');
  await el.updateComplete;
  return tooltipLines(el);
}

function tooltipLines(el: UaTrend): string[] | null {
  const tip = el.shadowRoot!.querySelector('[part="tooltip"]');
  return tip && [...tip.children].map((c) => c.textContent!.trim());
}

function legendItems(el: UaTrend): string[] | null {
  const legend = el.shadowRoot!.querySelector('[part="legend"]');
  return legend && [...legend.querySelectorAll('li')].map((li) => li.textContent!.trim());
}

function tableRows(el: UaTrend): string[][] {
  return [...el.shadowRoot!.querySelectorAll('table tbody tr')].map((tr) =>
    [...tr.children].map((c) => c.textContent!.trim()),
  );
}

describe('<ua-trend>', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('is accessible and draws report.series[i][metric] over daily labels', async () => {
    const { el, chart } = await mount(week);
    await expect(el).to.be.accessible();
    expect(chart).to.be.an.instanceOf(Chart);
    expect(Chart.getChart(canvasOf(el))).to.equal(chart);
    expect(el.shownMetric).to.equal('activeUsers');
    expect(chart.data.datasets).to.have.length(1);
    expect(chart.data.datasets[0].data).to.deep.equal(WEEK_ACTIVE);
    expect(chart.data.datasets[0].data).to.deep.equal(week.series.map((p) => p.activeUsers));
    expect(chart.data.labels).to.deep.equal([
      'Nov 21',
      'Nov 22',
      'Nov 23',
      'Nov 24',
      'Nov 25',
      'Nov 26',
      'Nov 27',
    ]);
    expect(chart.options.animation).to.equal(false);
    expect(chart.options.maintainAspectRatio).to.equal(false);
    // The canvas box: positioned, with the default height.
    const frame = el.shadowRoot!.querySelector<HTMLElement>('.frame')!;
    expect(getComputedStyle(frame).position).to.equal('relative');
    expect(frame.getBoundingClientRect().height).to.equal(280);
    expect(canvasOf(el).getBoundingClientRect().height).to.equal(280);
  });

  it('labels the canvas with metric, period, min, max, total and has a table alternative', async () => {
    const { el } = await mount(week);
    const canvas = canvasOf(el);
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.equal(
      'Active users, Nov 21 – 27, 2026: minimum 2,800, maximum 4,100, total 12,345.',
    );
    expect(el.shadowRoot!.querySelector('caption')!.textContent!.trim()).to.equal(
      'Active users, Nov 21 – 27, 2026',
    );
    expect(tableRows(el)).to.deep.equal([
      ['Nov 21', '3,000'],
      ['Nov 22', '3,200'],
      ['Nov 23', '2,800'],
      ['Nov 24', '3,500'],
      ['Nov 25', '4,100'],
      ['Nov 26', '3,900'],
      ['Nov 27', '3,300'],
    ]);
    // Durations are formatted like the cards: 6,500,000 s / 100,000 opens = 65 s on Nov 21.
    el.metric = 'avgDurationPerOpen';
    await el.updateComplete;
    expect(canvas.getAttribute('aria-label')).to.equal(
      // min: Nov 27 6,400,000/100,000 = 64 s; max: Nov 24 6,700,000/102,000 = 65.69 s → 66 s;
      // total 45,923,400/706,140 = 65.03 s → 65 s.
      'Avg. duration per open, Nov 21 – 27, 2026: minimum 1m 04s, maximum 1m 06s, total 1m 05s.',
    );
  });

  it('labels the hours of a 1-day range, 00:00 to 23:00', async () => {
    const { el, chart } = await mount(day);
    await expect(el).to.be.accessible();
    expect(chart.data.labels).to.deep.equal(HOURS);
    expect(chart.data.datasets[0].data).to.deep.equal(HOURS.map((_, h) => h + 1));
    expect(canvasOf(el).getAttribute('aria-label')).to.equal(
      'Active users, Nov 27, 2026: minimum 1, maximum 24, total 100.',
    );
  });

  it('has 25 hourly labels on the day New York leaves daylight saving time', async () => {
    // 2026-11-01 in America/New_York: 01:00–02:00 happens twice (EDT, then EST).
    const events = [
      { user: 'a', time: '2026-11-01T05:30:00Z', type: 'open' }, // 01:30 EDT
      { user: 'a', time: '2026-11-01T05:31:00Z', type: 'hide' },
      { user: 'b', time: '2026-11-01T06:30:00Z', type: 'open' }, // 01:30 EST
      { user: 'b', time: '2026-11-01T06:32:00Z', type: 'hide' },
      { user: 'c', time: '2026-11-01T06:40:00Z', type: 'open' }, // 01:40 EST
    ];
    const report = computeReport(events, {
      range: 1,
      end: '2026-11-01',
      timeZone: 'America/New_York',
    });
    const { chart } = await mount(report, { metric: 'opens' });
    expect(chart.data.labels).to.have.length(25);
    expect(chart.data.labels).to.deep.equal(['00:00', '01:00', ...HOURS.slice(1)]);
    const opens = Array<number>(25).fill(0);
    opens[1] = 1; // first 01:00 (EDT)
    opens[2] = 2; // second 01:00 (EST)
    expect(chart.data.datasets[0].data).to.deep.equal(opens);
  });

  it('labels the 30 days of a 30-day range, in en and zh-CN', async () => {
    const { el, chart } = await mount(month);
    expect(chart.data.labels).to.have.length(30);
    expect(chart.data.labels![0]).to.equal('Oct 29');
    expect(chart.data.labels![3]).to.equal('Nov 1');
    expect(chart.data.labels![29]).to.equal('Nov 27');
    expect(chart.data.datasets[0].data).to.deep.equal(month.series.map((_, i) => i + 1));
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(chart.data.labels![0]).to.equal('10月29日');
    expect(canvasOf(el).getAttribute('aria-label')).to.match(
      /^活跃用户，.*最小值 1，最大值 30，合计 200。$/,
    );
  });

  it('shows its own metric attribute over the store metric', async () => {
    const { el, store, chart } = await mount(week, { metric: 'opens' });
    expect(chart.data.datasets[0].data).to.deep.equal(WEEK_OPENS);
    store.setMetric('pageVisits');
    await el.updateComplete;
    expect(chart.data.datasets[0].data).to.deep.equal(WEEK_OPENS);
    el.metric = 'nonsense'; // an unknown key follows the store
    await el.updateComplete;
    expect(el.shownMetric).to.equal('pageVisits');
    expect(chart.data.datasets[0].data).to.deep.equal(week.series.map((p) => p.pageVisits));
  });

  it('follows the store metric and range by updating the SAME chart instance', async () => {
    const { el, store, chart } = await mount(week);
    const count = Object.keys(Chart.instances).length;
    store.setMetric('opens');
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(chart.data.datasets[0].data).to.deep.equal(WEEK_OPENS);
    store.setReport(day);
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(chart.data.labels).to.deep.equal(HOURS);
    expect(chart.data.datasets[0].data).to.deep.equal(HOURS.map((_, h) => 2 * (h + 1)));
    store.setReport(month);
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(chart.data.labels).to.have.length(30);
    expect(Object.keys(Chart.instances).length).to.equal(count);
    expect(Chart.getChart(canvasOf(el))).to.equal(chart);
  });

  it('formats y ticks and tooltips like the cards', async () => {
    const { el, store, chart } = await mount(week);
    store.setMetric('avgDurationPerUser');
    await el.updateComplete;
    const y = chart.scales.y;
    const tick = (v: number) =>
      (
        chart.options.scales!.y!.ticks!.callback as (
          this: unknown,
          v: number,
          i: number,
          t: [],
        ) => string
      ).call(y, v, 0, []);
    expect(tick(3720)).to.equal('1h 02m');
    expect(tick(65)).to.equal('1m 05s');
    store.setMetric('pageVisits');
    await el.updateComplete;
    expect(tick(12345)).to.equal('12,345');
    // The rendered ticks use it too.
    expect(chart.scales.y.ticks.every((t) => /^[\d,]+$/.test(String(t.label)))).to.equal(true);
    // The HTML tooltip: the bucket and its value (Nov 21: 170,000 page visits).
    expect(tooltipLines(el)).to.equal(null);
    expect(await hoverBucket(el, 0)).to.deep.equal(['Nov 21', 'This period: 170,000']);
    await expect(el).to.be.accessible();
    store.setMetric('avgDurationPerOpen'); // other points: the tooltip goes until the pointer moves
    await el.updateComplete;
    expect(tooltipLines(el)).to.equal(null);
    // Nov 24: 6,700,000 s / 102,000 opens = 65.69 s.
    expect(await hoverBucket(el, 3)).to.deep.equal(['Nov 24', 'This period: 1m 06s']);
  });

  it('places the tooltip beside the point, on the side with room, and hides it on mouseout', async () => {
    const { el, chart } = await mount(week);
    await hoverBucket(el, 1);
    const tip = el.shadowRoot!.querySelector<HTMLElement>('[part="tooltip"]')!;
    const point = chart.getDatasetMeta(0).data[1];
    const frame = el.shadowRoot!.querySelector('.frame')!.getBoundingClientRect();
    // Left half: to the right of the point, 12 px away.
    expect(parseFloat(tip.style.left)).to.be.closeTo(point.x, 0.01);
    expect(tip.classList.contains('flip')).to.equal(false);
    expect(tip.getBoundingClientRect().left - frame.left).to.be.closeTo(point.x + 12, 1);
    expect(getComputedStyle(tip).pointerEvents).to.equal('none');
    expect(tip.getAttribute('aria-hidden')).to.equal('true');
    // Right half (Nov 27, the last point): to the left of it.
    expect(await hoverBucket(el, 6)).to.deep.equal(['Nov 27', 'This period: 3,300']);
    const right = chart.getDatasetMeta(0).data[6];
    expect(tip.classList.contains('flip')).to.equal(true);
    expect(tip.getBoundingClientRect().right - frame.left).to.be.closeTo(right.x - 12, 1);
    const below = el.shadowRoot!.querySelector('.frame')!.getBoundingClientRect().bottom + 20;
    await sendMouse({ type: 'move', position: [10, Math.round(below)] }); // off the canvas
    await waitUntil(() => tooltipLines(el) === null, 'the tooltip stays after mouseout');
    expect(chart.getActiveElements()).to.deep.equal([]);
  });

  it('overlays the comparison period as a dashed line, bucket by bucket, with a legend', async () => {
    const { el, chart } = await mount(week, { compare: true });
    await expect(el).to.be.accessible();
    expect(chart.data.datasets).to.have.length(2);
    const [current, previous] = chart.data.datasets;
    expect(current.data).to.deep.equal(WEEK_ACTIVE);
    expect(previous.data).to.deep.equal(WEEK_PREVIOUS_ACTIVE);
    expect(previous.data).to.deep.equal(week.previousSeries!.map((p) => p.activeUsers));
    expect(previous.borderDash).to.deep.equal([6, 4]);
    expect(current.borderDash).to.equal(undefined);
    expect(current.label).to.equal('This period (Nov 21 – 27, 2026)');
    expect(previous.label).to.equal('Comparison period (Nov 14 – 20, 2026)');
    // The legend is HTML below the chart: a solid and a dashed sample in the lines' colours.
    expect(legendItems(el)).to.deep.equal([
      'This period (Nov 21 – 27, 2026)',
      'Comparison period (Nov 14 – 20, 2026)',
    ]);
    const [solid, dashed] = el.shadowRoot!.querySelectorAll<HTMLElement>('[part="legend"] .swatch');
    expect(getComputedStyle(solid).borderTopStyle).to.equal('solid');
    expect(getComputedStyle(solid).borderTopColor).to.equal('rgb(31, 111, 235)'); // #1f6feb
    expect(getComputedStyle(dashed).borderTopStyle).to.equal('dashed');
    expect(getComputedStyle(dashed).borderTopColor).to.equal('rgb(92, 100, 112)'); // #5c6470
    expect(
      el.shadowRoot!.querySelector('[part="legend"]')!.compareDocumentPosition(canvasOf(el)),
    ).to.equal(Node.DOCUMENT_POSITION_PRECEDING); // below the chart
    // Tooltip of Nov 23: this period 2,800, the comparison's third day (Nov 16) 2,700.
    expect(await hoverBucket(el, 2)).to.deep.equal([
      'Nov 23',
      'This period: 2,800',
      'Comparison period · Nov 16: 2,700',
    ]);
    expect(tableRows(el)[0]).to.deep.equal(['Nov 21', '3,000', 'Nov 14: 2,500']);

    el.compare = false;
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(chart.data.datasets).to.have.length(1);
    expect(legendItems(el)).to.equal(null);
    expect(tooltipLines(el)).to.deep.equal(['Nov 23', 'This period: 2,800']);
  });

  it('pads a shorter comparison with null, and draws none without previousSeries', async () => {
    const short = { ...week, previousSeries: week.previousSeries!.slice(0, 5) };
    const { el, chart } = await mount(short, { compare: true });
    expect(chart.data.datasets[1].data).to.deep.equal([2500, 2600, 2700, 2800, 2900, null, null]);
    expect(await hoverBucket(el, 5)).to.deep.equal([
      'Nov 26',
      'This period: 3,900',
      'Comparison period: –',
    ]);
    const { chart: none } = await mount({ ...week, previousSeries: undefined }, { compare: true });
    expect(none.data.datasets).to.have.length(1);
  });

  it('leaves no chart behind after 50 mount/unmount cycles', async () => {
    const before = Object.keys(Chart.instances).length;
    expect(before).to.equal(0);
    const store = storeWith(week);
    for (let i = 0; i < 50; i++) {
      const el = await fixture<UaTrend>(html`<ua-trend .store=${store}></ua-trend>`);
      const canvas = canvasOf(el);
      expect(Chart.getChart(canvas)).to.equal(el.chart);
      expect(el.chart).to.not.equal(null);
      el.remove();
      expect(Chart.getChart(canvas)).to.equal(undefined);
      expect(el.chart).to.equal(null);
    }
    expect(Object.keys(Chart.instances).length).to.equal(0);
  });

  it('re-creates the chart on reconnect, and creates none when removed before chart.js arrived', async () => {
    const { el } = await mount(week);
    const parent = el.parentElement!;
    const first = el.chart!;
    el.remove();
    parent.append(el);
    await el.updateComplete;
    expect(el.chart).to.not.equal(null);
    expect(el.chart).to.not.equal(first);
    expect(Chart.getChart(canvasOf(el))).to.equal(el.chart);
    expect(el.chart!.data.datasets[0].data).to.deep.equal(WEEK_ACTIVE);
    el.remove();

    const late = document.createElement('ua-trend');
    late.store = storeWith(week);
    expect(late.toPNG()).to.equal(''); // no chart yet
    document.body.append(late);
    // Removed in the same task: the pending creation must not create a chart for it.
    const pending = late.updateComplete;
    late.remove();
    await pending;
    await new Promise((r) => setTimeout(r, 50));
    expect(late.chart).to.equal(null);
    expect(Chart.getChart(canvasOf(late))).to.equal(undefined);
    expect(Object.keys(Chart.instances).length).to.equal(0);
  });

  it('sizes the chart to its own box, not the window', async () => {
    // chart.js reads the size of the canvas' parent when it creates the chart. (Later resizes
    // go through its ResizeObserver in an animation frame, which a background test tab never
    // runs, so they are not asserted here.)
    const store = storeWith(week);
    const wrap = fixtureSync<HTMLDivElement>(
      html`<div style="width: 400px"><ua-trend .store=${store}></ua-trend></div>`,
    );
    const el = wrap.querySelector('ua-trend')!;
    await el.updateComplete;
    expect(el.chart!.width).to.equal(400);
    expect(el.chart!.height).to.equal(280);
  });

  it('fills the area under the line of the period with --ua-color-accent-soft', async () => {
    const store = storeWith(week);
    const el = await fixture<UaTrend>(
      html`<ua-trend
        .store=${store}
        style="--ua-trend-grid-color: transparent; --ua-color-accent-soft: rgb(0, 200, 0)"
      ></ua-trend>`,
    );
    const chart = el.chart!;
    const ctx = canvasOf(el).getContext('2d')!;
    const ratio = chart.currentDevicePixelRatio;
    const pixel = (x: number, y: number) => [
      ...ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data,
    ];
    const [a, b] = [chart.getDatasetMeta(0).data[3], chart.getDatasetMeta(0).data[4]];
    const x = (a.x + b.x) / 2; // between two points, away from the vertical grid lines
    const area = chart.chartArea;
    expect(pixel(x, (Math.max(a.y, b.y) + area.bottom) / 2)).to.deep.equal([0, 200, 0, 255]);
    expect(pixel(x, area.bottom - 2)).to.deep.equal([0, 200, 0, 255]);
    expect(pixel(x, area.top + 2)).to.deep.equal([0, 0, 0, 0]); // above the line: nothing
  });

  it('exports a PNG data URL', async () => {
    const { el } = await mount(week);
    const png = el.toPNG();
    expect(png.startsWith('data:image/png;base64,')).to.equal(true);
    expect(png.length).to.be.greaterThan(1000);
  });

  it('reads its colours from custom properties, light and dark', async () => {
    const { el, chart } = await mount(week, { compare: true });
    expect(chart.data.datasets[0].borderColor).to.equal('#1f6feb');
    el.style.setProperty('--ua-color-accent', 'rgb(1, 2, 3)');
    el.style.setProperty('--ua-trend-compare-color', 'rgb(4, 5, 6)');
    el.requestUpdate();
    await el.updateComplete;
    expect(chart.data.datasets[0].borderColor).to.equal('rgb(1, 2, 3)');
    expect(chart.data.datasets[1].borderColor).to.equal('rgb(4, 5, 6)');
    el.style.removeProperty('--ua-color-accent');
  });

  it('re-reads its colours when the colour scheme changes', async () => {
    // A background test tab never dispatches matchMedia 'change' (that waits for a rendering
    // update), so the element gets a MediaQueryList the test can fire; emulateMedia switches
    // the CSS (prefers-color-scheme: dark) for real.
    const real = window.matchMedia;
    const queries: string[] = [];
    const scheme = new EventTarget() as MediaQueryList;
    window.matchMedia = (q: string) => (queries.push(q), scheme);
    let el: UaTrend;
    try {
      ({ el } = await mount(week, { compare: true }));
    } finally {
      window.matchMedia = real;
    }
    expect(queries).to.deep.equal(['(prefers-color-scheme: dark)', '(forced-colors: active)']);
    el.theme = 'auto'; // follow the system's scheme (the default theme is light)
    await el.updateComplete;
    const chart = el.chart!;
    expect(chart.data.datasets[0].borderColor).to.equal('#1f6feb');
    try {
      await emulateMedia({ colorScheme: 'dark' });
      // (Whether something re-read the colours already, between the emulation and the event, is
      // up to Chromium's timing: a full run once did. What matters is the state after 'change'.)
      scheme.dispatchEvent(new Event('change'));
      // Re-read on the change, without any update of the element: the dark theme defaults.
      expect(chart.data.datasets[0].borderColor).to.equal('#58a6ff');
      expect(chart.data.datasets[1].borderColor).to.equal('#a4abb6');
      expect((chart.options.scales!.x!.grid as { color: string }).color).to.equal('#343a42');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
    scheme.dispatchEvent(new Event('change'));
    expect(chart.data.datasets[0].borderColor).to.equal('#1f6feb');
    // Listening stops on disconnect.
    el.remove();
    scheme.dispatchEvent(new Event('change'));
    expect(el.chart).to.equal(null);
  });

  it('shows a skeleton and a progress bar while loading, and the old chart dimmed on reload', async () => {
    const store = new StubStore();
    store.setReportState({ status: 'loading', progress: { phase: 'load', done: 1, total: null } });
    const el = await fixture<UaTrend>(html`<ua-trend .store=${store}></ua-trend>`);
    await expect(el).to.be.accessible();
    const bar = el.shadowRoot!.querySelector('[role="progressbar"]')!;
    expect(bar).to.not.equal(null);
    expect(bar.hasAttribute('aria-valuenow')).to.equal(false); // total unknown: indeterminate
    expect(el.shadowRoot!.querySelector('[part="skeleton"]')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector<HTMLElement>('[part="chart"]')!.hidden).to.equal(true);
    const chart = el.chart!;
    expect(chart.data.labels).to.deep.equal([]);

    store.setReportState({ status: 'loading', progress: null, previous: week });
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const box = el.shadowRoot!.querySelector<HTMLElement>('[part="chart"]')!;
    expect(box.hidden).to.equal(false);
    expect(box.classList.contains('stale')).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part="skeleton"]')).to.equal(null);
    expect(chart.data.datasets[0].data).to.deep.equal(WEEK_ACTIVE);

    store.setReportState({ status: 'ready', value: day });
    await el.updateComplete;
    expect(el.chart).to.equal(chart);
    expect(box.classList.contains('stale')).to.equal(false);
    expect(el.shadowRoot!.querySelector('[role="progressbar"]')).to.equal(null);
    expect(chart.data.labels).to.deep.equal(HOURS);
  });

  it('shows an error with the reason as text and a Retry that calls store.retry', async () => {
    const store = new StubStore();
    let retries = 0;
    store.retry = () => {
      retries++;
    };
    const reason = '<b>bad</b> Report: series[3].opens is not a number';
    store.setReportState({ status: 'error', error: reason });
    const el = await fixture<UaTrend>(html`<ua-trend .store=${store}></ua-trend>`);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain(reason);
    expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    expect(el.shadowRoot!.querySelector<HTMLElement>('[part="chart"]')!.hidden).to.equal(true);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry')!.click();
    expect(retries).to.equal(1);
  });

  it('shows the empty state for a report without activity, and the no-source state', async () => {
    const { el } = await mount(emptyWeek);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[part="empty"]')!.textContent!.trim()).to.equal(
      'No data for this period.',
    );
    expect(el.shadowRoot!.querySelector<HTMLElement>('[part="chart"]')!.hidden).to.equal(true);

    const none = await fixture<UaTrend>(html`<ua-trend lang="zh-CN"></ua-trend>`);
    await expect(none).to.be.accessible();
    expect(none.shadowRoot!.querySelector('[part="empty"]')!.textContent!.trim()).to.equal(
      '未连接数据源。',
    );
    expect(none.chart).to.not.equal(null); // created, with nothing to draw
    expect(none.toPNG()).to.equal('');
  });
});

runStoreWidgetTests('ua-trend', 'report');
