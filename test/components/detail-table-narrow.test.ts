/**
 * The table on narrow and wide screens (issue 12, item 7): a visible cue that it scrolls
 * sideways when it is wider than its box, none when it fits; the year once, in the caption.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/detail-table/detail-table.js';
import type { UaDetailTable } from '../../src/components/detail-table/detail-table.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { dailyReport } from '../fixtures/table-fixtures.js';
import { settle } from '../fixtures/stub-store.js';

async function mount(width: number) {
  const store = new MetricsStore();
  store.setReport(dailyReport);
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: ${width}px" lang="en">
      <ua-detail-table .store=${store}></ua-detail-table>
    </div>`,
  );
  const el = wrap.querySelector<UaDetailTable>('ua-detail-table')!;
  await settle(el);
  return { wrap, el };
}

const hint = (el: UaDetailTable) =>
  el.shadowRoot!.querySelector<HTMLElement>('[part="scroll-hint"]');

describe('ua-detail-table: narrow and wide', () => {
  it('at 390 px: says it scrolls sideways, and is accessible', async () => {
    const { el } = await mount(390);
    await waitUntil(() => hint(el) !== null, 'no scroll hint', { timeout: 2000 });
    await expect(el).to.be.accessible();
    expect(hint(el)!.textContent!.trim()).to.equal('Scroll sideways for more columns →');
    expect(hint(el)!.getClientRects().length).to.be.greaterThan(0);
  });

  it('at 390 px: every header and cell shows its whole text (the box scrolls; no column is squeezed)', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const { wrap, el } = await mount(390);
      el.lang = lang;
      await settle(el);
      await waitUntil(() => hint(el) !== null, 'no scroll hint', { timeout: 2000 });
      const cells = [
        ...el.shadowRoot!.querySelectorAll<HTMLElement>('thead th, tbody th, tbody td'),
      ];
      expect(cells.length).to.be.greaterThan(8);
      const clipped = cells
        .filter((c) => c.scrollWidth > c.clientWidth + 1)
        .map((c) => `${c.textContent!.trim()} (${c.scrollWidth} > ${c.clientWidth})`);
      expect(clipped, `${lang}: clipped cells`).to.deep.equal([]);
      // A header's text box lies inside its cell: "Active users" is not cut mid-letter.
      for (const th of el.shadowRoot!.querySelectorAll<HTMLElement>('thead th')) {
        const range = document.createRange();
        range.selectNodeContents(th);
        const text = range.getBoundingClientRect();
        const cell = th.getBoundingClientRect();
        expect(text.left, th.textContent!).to.be.at.least(cell.left - 0.5);
        expect(text.right, th.textContent!).to.be.at.most(cell.right + 0.5);
      }
      const box = el.shadowRoot!.querySelector<HTMLElement>('[part="scroll"]')!;
      expect(box.scrollWidth).to.be.greaterThan(box.clientWidth);
      wrap.remove();
    }
  });

  it('at 1200 px: no hint; it comes when the box narrows and goes when it widens', async () => {
    const { wrap, el } = await mount(1200);
    expect(hint(el)).to.equal(null);
    wrap.style.width = '390px';
    await waitUntil(() => hint(el) !== null, 'no hint after narrowing', { timeout: 2000 });
    wrap.style.width = '1200px';
    await waitUntil(() => hint(el) === null, 'hint after widening', { timeout: 2000 });
  });

  it('writes the year once, in the caption, for a period in one year', async () => {
    const { el } = await mount(1200);
    const caption = el.shadowRoot!.querySelector('caption')!.textContent!.trim();
    expect(caption).to.equal('User metrics by day, Nov 21 – 27, 2026');
    const first = el.shadowRoot!.querySelector('tbody th')!.textContent!.trim();
    expect(first).to.equal('Nov 21');
  });
});
