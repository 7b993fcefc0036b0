/**
 * The chart's drawing and reading (issue 12, item 6): monotone curve (read its control
 * points), y-axis from 0 for counts and around the data for averages, the last day labelled,
 * points read with the keyboard (a marker and a live readout), the tooltip off the line.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/trend/trend.js';
import type { UaTrend } from '../../src/components/trend/trend.js';
import type { Report } from '../../src/engine/types.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { WEEK_ACTIVE, month, week } from '../fixtures/report-fixtures.js';
import { settle } from '../fixtures/stub-store.js';

async function mount(report: Report, metric = 'activeUsers', width = 640) {
  const store = new MetricsStore();
  store.setReport(report);
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: ${width}px" lang="en">
      <ua-trend .store=${store} metric=${metric}></ua-trend>
    </div>`,
  );
  const el = wrap.querySelector<UaTrend>('ua-trend')!;
  await settle(el);
  await waitUntil(() => el.chart !== null && el.chart.chartArea.right > 0);
  el.chart!.update('none');
  return { el, chart: el.chart! };
}

interface Drawn {
  x: number;
  y: number;
  cp1x: number;
  cp1y: number;
  cp2x: number;
  cp2y: number;
}

describe('ua-trend: the chart', () => {
  it('is accessible, the chart focusable', async () => {
    const { el } = await mount(week);
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('[part="frame"]')!.getAttribute('tabindex')).to.equal('0');
  });

  it('is monotone: no control point beyond its two neighbouring points', async () => {
    const { chart } = await mount(week);
    const points = chart.getDatasetMeta(0).data as unknown as Drawn[];
    expect(points).to.have.length(WEEK_ACTIVE.length);
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const lo = Math.min(a.y, b.y) - 1e-6;
      const hi = Math.max(a.y, b.y) + 1e-6;
      for (const y of [a.cp2y, b.cp1y]) {
        expect(y, `segment ${i}`).to.be.within(lo, hi);
      }
    }
  });

  it('counts start at 0; averages get bounds around the data', async () => {
    const counts = await mount(week, 'activeUsers');
    expect(counts.chart.scales.y.min).to.equal(0);
    const averages = await mount(month, 'avgDurationPerOpen');
    // 30 s every day: a flat line, not pressed to the floor of a 0 – 30 axis.
    const y = averages.chart.scales.y;
    expect(y.min).to.be.greaterThan(0);
    expect(y.min).to.be.at.most(30);
    expect(y.max).to.be.at.least(30);
  });

  it('labels the last day of 30, at a narrow and a wide width', async () => {
    for (const width of [360, 900]) {
      const { chart } = await mount(month, 'activeUsers', width);
      const ticks = chart.scales.x.ticks;
      expect(ticks).to.have.length(30);
      expect(ticks[29].label, `${width}px`).to.equal('Nov 27');
      const shown = ticks.filter((t) => t.label !== '').length;
      expect(shown, `${width}px`).to.be.within(2, 30);
    }
  });

  it('reads the points with the arrow keys: a marker, the tooltip and a live readout', async () => {
    const { el, chart } = await mount(week);
    const frame = el.shadowRoot!.querySelector<HTMLElement>('[part="frame"]')!;
    const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    frame.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('Nov 21: 3,000');
    expect(chart.getActiveElements().map((a) => a.index)).to.deep.equal([0]);
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('Nov 22: 3,200');
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('Nov 27: 3,300');
    expect(el.shadowRoot!.querySelector('[part="tooltip"]')).to.not.equal(null);
    frame.blur();
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('');
    expect(chart.getActiveElements()).to.have.length(0);
  });

  it('puts the tooltip off the line: never over the point it describes', async () => {
    const { el, chart } = await mount(week);
    const frame = el.shadowRoot!.querySelector<HTMLElement>('[part="frame"]')!;
    frame.focus();
    await sendKeys({ press: 'Home' });
    for (let i = 0; i < WEEK_ACTIVE.length; i++) {
      await el.updateComplete;
      const point = chart.getDatasetMeta(0).data[i];
      const box = el.shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
      const tip = el.shadowRoot!.querySelector('[part="tooltip"]')!.getBoundingClientRect();
      const [px, py] = [box.left + point.x, box.top + point.y];
      const over = px >= tip.left && px <= tip.right && py >= tip.top && py <= tip.bottom;
      expect(over, `point ${i}`).to.equal(false);
      await sendKeys({ press: 'ArrowRight' });
    }
  });
});
