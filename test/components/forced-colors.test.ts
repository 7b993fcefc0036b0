/**
 * Forced colours (Windows High Contrast; issue 12, item 5): the selected card, the focus ring
 * and the chart's line stay visible when the system replaces every colour. Emulated through
 * the DevTools protocol ('ua-forced-colors', web-test-runner.config.mjs).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { Chart } from 'chart.js';
import '../../src/components/overview/overview.js';
import '../../src/components/trend/trend.js';
import type { UaOverview } from '../../src/components/overview/overview.js';
import type { UaTrend } from '../../src/components/trend/trend.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { week } from '../fixtures/report-fixtures.js';
import { settle } from '../fixtures/stub-store.js';

const forcedColors = (value: 'active' | 'none') =>
  executeServerCommand<boolean, string>('ua-forced-colors', value);

/** The colour a system colour keyword resolves to on this page, as Chromium writes it. */
function systemColor(keyword: string): string {
  const probe = document.createElement('span');
  probe.style.color = keyword;
  probe.style.setProperty('forced-color-adjust', 'none');
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

/** A colour as a 2D canvas paints it (canvas normalizes every form it accepts to one). */
function painted(color: string): string {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.strokeStyle = '#010203';
  ctx.strokeStyle = color;
  return String(ctx.strokeStyle);
}

function storeWithWeek(): MetricsStore {
  const store = new MetricsStore();
  store.setReport(week);
  return store;
}

describe('forced colours', () => {
  before(() => forcedColors('active'));
  after(() => forcedColors('none'));

  it('is emulated, and the overview is accessible in it', async () => {
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    const el = await fixture<UaOverview>(
      html`<ua-overview .store=${storeWithWeek()} lang="en"></ua-overview>`,
    );
    await settle(el);
    await expect(el).to.be.accessible();
  });

  it('marks the selected card with a thick Highlight border and the focused one with a ring', async () => {
    const el = await fixture<UaOverview>(
      html`<ua-overview .store=${storeWithWeek()} lang="en"></ua-overview>`,
    );
    await settle(el);
    const cards = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.card')];
    const selected = cards.find((c) => c.getAttribute('aria-checked') === 'true')!;
    const other = cards.find((c) => c.getAttribute('aria-checked') !== 'true')!;
    const style = (c: Element) => getComputedStyle(c);
    expect(style(selected).borderTopWidth).to.equal('3px');
    expect(style(selected).borderTopColor).to.equal(systemColor('Highlight'));
    expect(parseFloat(style(other).borderTopWidth)).to.be.below(3);
    selected.focus();
    await sendKeys({ press: 'ArrowRight' });
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused).to.not.equal(selected);
    expect(style(focused).outlineStyle).to.equal('solid');
    expect(style(focused).outlineWidth).to.equal('3px');
  });

  it("draws the chart's line in the system's Highlight colour", async () => {
    const el = await fixture<UaTrend>(
      html`<ua-trend .store=${storeWithWeek()} lang="en"></ua-trend>`,
    );
    await settle(el);
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    await waitUntil(() => Chart.getChart(canvas) !== undefined, 'no chart', { timeout: 5000 });
    const line = String(Chart.getChart(canvas)!.data.datasets[0]!.borderColor);
    expect(painted(line)).to.not.equal('#010203'); // a colour the canvas can paint
    expect(painted(line)).to.equal(painted(systemColor('Highlight')));
  });
});
