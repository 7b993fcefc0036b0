/**
 * Theme (issue 12, item 5): the chart follows a class toggled on an ancestor and the `theme`
 * attribute within a frame or two; with the system in dark mode on a white page every text of
 * the widgets keeps 4.5:1 against what is behind it, for each `theme` value.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/components/overview/overview.js';
import '../../src/components/trend/trend.js';
import '../../src/components/detail-table/detail-table.js';
import '../../src/components/range-select/range-select.js';
import '../../src/components/app-select/app-select.js';
import type { UaTrend } from '../../src/components/trend/trend.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { week } from '../fixtures/report-fixtures.js';
import { settle } from '../fixtures/stub-store.js';

type RGBA = [number, number, number, number];

/** A computed colour as RGBA 0–255 (rgb(), rgba() and color(srgb …) as Chromium writes them). */
function parse(color: string): RGBA {
  const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)$/.exec(color);
  if (srgb) {
    const [r, g, b] = [1, 2, 3].map((i) => Number(srgb[i]) * 255);
    return [r, g, b, srgb[4] === undefined ? 1 : Number(srgb[4])];
  }
  const m = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/.exec(color);
  if (!m) throw new Error(`unparsed colour ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** `top` laid over the opaque `below`. */
function over(top: RGBA, below: RGBA): RGBA {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1) as RGBA;
}

/** Every layer behind `el`, nearest first: background colours and flat gradient tints. */
function layers(el: Element): RGBA[] {
  const out: RGBA[] = [];
  for (let n: Node | null = el; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null)) {
    if (!(n instanceof Element)) continue;
    const cs = getComputedStyle(n);
    const tint = /^linear-gradient\((rgba?\([^)]*\)|color\([^)]*\)), /.exec(cs.backgroundImage);
    if (tint) out.push(parse(tint[1]));
    out.push(parse(cs.backgroundColor));
  }
  return out;
}

/** The opaque colour behind `el`: its layers laid over the page's white canvas. */
function behind(el: Element): RGBA {
  return layers(el).reduceRight<RGBA>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

function luminance([r, g, b]: RGBA): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: RGBA, b: RGBA): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Each visible element holding text of its own in `root` and its shadow roots. */
function textElements(root: Element): Element[] {
  const out: Element[] = [];
  const walk = (node: ParentNode) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const own = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent!.trim());
      if (own && el.getClientRects().length > 0 && !el.closest('.visually-hidden')) out.push(el);
    }
  };
  walk(root.shadowRoot ?? root);
  return out;
}

function storeWith() {
  const store = new MetricsStore();
  store.setReport(week, [{ id: 'a', name: 'Alpha', kind: 'h5' }]);
  return store;
}

describe('theme', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('is accessible in dark', async () => {
    const el = await fixture(html`<ua-overview theme="dark" .store=${storeWith()}></ua-overview>`);
    await expect(el).to.be.accessible();
  });

  it('the chart follows a class toggled on an ancestor, within a frame or two', async () => {
    const style = document.createElement('style');
    style.textContent = `.night { --ua-color-accent: rgb(1, 2, 3); --ua-trend-grid-color: rgb(7, 8, 9); }`;
    document.head.append(style);
    try {
      const wrap = await fixture<HTMLDivElement>(
        html`<div>
          <section><ua-trend .store=${storeWith()}></ua-trend></section>
        </div>`,
      );
      const trend = wrap.querySelector<UaTrend>('ua-trend')!;
      await settle(trend);
      const chart = trend.chart!;
      const grid = () => (chart.options.scales!.x!.grid as { color: string }).color;
      expect(chart.data.datasets[0].borderColor).to.equal('#1f6feb');
      wrap.classList.add('night');
      const start = performance.now();
      await waitUntil(() => chart.data.datasets[0].borderColor === 'rgb(1, 2, 3)', '', {
        timeout: 1000,
        interval: 5,
      });
      expect(performance.now() - start).to.be.below(200);
      expect(grid()).to.equal('rgb(7, 8, 9)');
      wrap.classList.remove('night');
      await waitUntil(() => chart.data.datasets[0].borderColor === '#1f6feb', '', {
        timeout: 1000,
      });
      // The theme attribute on the element itself.
      trend.theme = 'dark';
      await waitUntil(() => chart.data.datasets[0].borderColor === '#58a6ff', '', {
        timeout: 1000,
      });
    } finally {
      style.remove();
    }
  });

  for (const theme of ['light', 'dark', 'auto']) {
    it(`system dark on a white page, theme="${theme}": every text at least 4.5:1`, async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const store = storeWith();
      const wrap = await fixture<HTMLDivElement>(
        html`<div style="background: #fff">
          <ua-app-select theme=${theme} .store=${store}></ua-app-select>
          <ua-range-select theme=${theme} .store=${store}></ua-range-select>
          <ua-overview theme=${theme} .store=${store}></ua-overview>
          <ua-detail-table theme=${theme} .store=${store}></ua-detail-table>
        </div>`,
      );
      for (const el of wrap.children) await settle(el as unknown as UaTrend);
      const selected = wrap
        .querySelector('ua-overview')!
        .shadowRoot!.querySelector('[aria-checked="true"] .value')!;
      const checked = [selected, ...[...wrap.children].flatMap(textElements)];
      expect(checked.length).to.be.greaterThan(40);
      const poor = checked
        .map((el) => ({ el, ratio: contrast(parse(getComputedStyle(el).color), behind(el)) }))
        .filter(({ ratio }) => ratio < 4.5)
        .map(
          ({ el, ratio }) =>
            `${el.localName}.${el.className} "${el.textContent!.trim()}" ${ratio.toFixed(2)}`,
        );
      expect(poor).to.deep.equal([]);
    });
  }
});
