import { runStoreWidgetTests } from './widget-suite.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/range-select/range-select.js';
import type { UaRangeSelect } from '../../src/components/range-select/range-select.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { dailyReport } from '../fixtures/table-fixtures.js';
import { settle } from '../fixtures/stub-store.js';
import { aroundMidnights, localDate, useFakeNow } from '../fixtures/clock.js';

async function mount(store: MetricsStore | null, lang = 'en') {
  const el = await fixture<UaRangeSelect>(
    html`<div>
      <button id="before">before</button>
      <ua-range-select .store=${store} lang=${lang}></ua-range-select>
    </div>`,
  );
  const picker = el.querySelector('ua-range-select')!;
  await settle(picker);
  return picker;
}

/** A store in Asia/Shanghai (UTC+8, no DST) showing the 7-day fixture Report ending 11-27. */
function shanghaiStore(): MetricsStore {
  const store = new MetricsStore();
  store.configure({ timeZone: 'Asia/Shanghai' });
  store.setReport(dailyReport);
  return store;
}

/** The local date in Asia/Shanghai `daysBack` days before now, by the clock alone. */
function shanghaiDate(daysBack: number): string {
  const t = Date.now() + 8 * 3_600_000 - daysBack * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Clocks on each side of midnight starting `day` (of Nov 2026), in Shanghai and in the
 * browser's zone: wherever the browser runs (but Shanghai's own offset), at one of them
 * "yesterday" in the browser's zone is not yesterday in Shanghai.
 */
const clocks = (day: number) => aroundMidnights(Date.UTC(2026, 10, day), 8);
const browserIsInShanghaiOffset = () =>
  new Date(Date.UTC(2026, 10, 1)).getTimezoneOffset() === -480;

const radios = (el: UaRangeSelect) => [
  ...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]'),
];
const checkedRange = (el: UaRangeSelect) => radios(el).find((r) => r.checked)?.value;
const dateInput = (el: UaRangeSelect) =>
  el.shadowRoot!.querySelector<HTMLInputElement>('input[type="date"]')!;
const dateLabel = (el: UaRangeSelect) =>
  el.shadowRoot!.querySelector<HTMLLabelElement>(`label[for="${dateInput(el).id}"]`)!;
const hint = (el: UaRangeSelect) => el.shadowRoot!.querySelector('[part="hint"]')!;

/** Types `value` into the date input as a user would: value, then `change`. */
function typeDay(el: UaRangeSelect, value: string) {
  dateInput(el).value = value;
  dateInput(el).dispatchEvent(new Event('change', { bubbles: true }));
}

describe('ua-range-select', () => {
  const setNow = useFakeNow();
  it('is accessible', async () => {
    const el = await mount(shanghaiStore());
    await expect(el).to.be.accessible();
  });

  it('offers 1, 7 and 30 days as a labelled radio group, checked from the store', async () => {
    const el = await mount(shanghaiStore());
    const group = el.shadowRoot!.querySelector('[role="radiogroup"]')!;
    const labelId = group.getAttribute('aria-labelledby')!;
    expect(el.shadowRoot!.getElementById(labelId)!.textContent).to.equal('Range');
    expect(radios(el).map((r) => r.value)).to.deep.equal(['1', '7', '30']);
    expect(radios(el).map((r) => r.labels![0].textContent!.trim())).to.deep.equal([
      '1 day',
      '7 days',
      '30 days',
    ]);
    expect(checkedRange(el)).to.equal('7');
    expect(dateLabel(el).textContent!.trim()).to.equal('Ending on');
    expect(dateInput(el).value).to.equal('2026-11-27'); // the Report's end
  });

  it('sets the range, keeping the end, and fires range-change', async () => {
    const store = shanghaiStore();
    const el = await mount(store);
    const event = oneEvent(el, 'range-change');
    radios(el)[0].click();
    const ev = await event;
    expect(ev.detail).to.deep.equal({ range: 1, end: null });
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(store.config.range).to.equal(1);
    expect(store.config.end).to.equal(null);
    await settle(el);
    expect(checkedRange(el)).to.equal('1');
    expect(dateLabel(el).textContent!.trim()).to.equal('Day');
    await expect(el).to.be.accessible();
  });

  it('is reached with Tab and moved with the arrow keys', async () => {
    const store = shanghaiStore();
    const el = await mount(store);
    const seen: unknown[] = [];
    el.addEventListener('range-change', (e) => seen.push(e.detail));
    el.parentElement!.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[1]); // the checked 7 days

    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(store.config.range).to.equal(30);
    expect(checkedRange(el)).to.equal('30');
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[2]);

    await sendKeys({ press: 'ArrowRight' }); // wraps to the first
    await settle(el);
    expect(store.config.range).to.equal(1);

    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(store.config.range).to.equal(30);
    expect(seen).to.deep.equal([
      { range: 30, end: null },
      { range: 1, end: null },
      { range: 30, end: null },
    ]);
  });

  it('limits the day to yesterday in the time zone of the data (T+1), at any time of day', async () => {
    const [beforeShanghai, atShanghai] = clocks(29);
    let toldApart = false;
    for (const now of clocks(29)) {
      setNow(now);
      const el = await mount(shanghaiStore());
      expect(dateInput(el).max, new Date(now).toISOString()).to.equal(shanghaiDate(1));
      // Without a Report or configured end the input shows yesterday.
      const fresh = new MetricsStore();
      fresh.configure({ timeZone: 'Asia/Shanghai' });
      el.store = fresh;
      await settle(el);
      expect(dateInput(el).value).to.equal(shanghaiDate(1));
      if (now === beforeShanghai) expect(shanghaiDate(1)).to.equal('2026-11-27');
      if (now === atShanghai) expect(shanghaiDate(1)).to.equal('2026-11-28');
      toldApart ||= localDate(now - 86_400_000) !== shanghaiDate(1);
    }
    // The cases would catch a "yesterday" taken in the browser's zone.
    if (!browserIsInShanghaiOffset()) expect(toldApart).to.equal(true);
  });

  it('sets the end day, keeping the range, and fires range-change', async () => {
    const store = shanghaiStore();
    const el = await mount(store);
    let event = oneEvent(el, 'range-change');
    typeDay(el, '2026-11-20');
    expect((await event).detail).to.deep.equal({ range: 7, end: '2026-11-20' });
    expect(store.config.end).to.equal('2026-11-20');
    expect(store.config.range).to.equal(7);
    await settle(el);
    expect(dateInput(el).value).to.equal('2026-11-20');

    event = oneEvent(el, 'range-change');
    radios(el)[2].click();
    expect((await event).detail).to.deep.equal({ range: 30, end: '2026-11-20' });
    expect(store.config.range).to.equal(30);
  });

  it('refuses today and later: the value is reset, the store unchanged, a hint says why', async () => {
    for (const now of clocks(30)) {
      setNow(now);
      await refusesTodayAndLater();
    }
  });

  async function refusesTodayAndLater() {
    const store = shanghaiStore();
    const el = await mount(store);
    const seen: unknown[] = [];
    el.addEventListener('range-change', (e) => seen.push(e.detail));

    typeDay(el, shanghaiDate(0));
    await settle(el);
    expect(store.config.end).to.equal(null);
    expect(dateInput(el).value).to.equal('2026-11-27');
    expect(hint(el).textContent).to.match(/^Choose a day up to .+: data is ready the next day\.$/);
    expect(hint(el).getAttribute('role')).to.equal('status');
    expect(dateInput(el).getAttribute('aria-describedby')).to.equal(hint(el).id);
    await expect(el).to.be.accessible();

    typeDay(el, shanghaiDate(-3));
    await settle(el);
    expect(store.config.end).to.equal(null);
    expect(dateInput(el).value).to.equal('2026-11-27');

    // A valid day clears the hint.
    typeDay(el, shanghaiDate(1));
    await settle(el);
    expect(store.config.end).to.equal(shanghaiDate(1));
    expect(hint(el).textContent).to.equal('');
    expect(seen).to.deep.equal([{ range: 7, end: shanghaiDate(1) }]);
  }

  it('puts a cleared date back without changing anything', async () => {
    const store = shanghaiStore();
    const el = await mount(store);
    typeDay(el, '');
    await settle(el);
    expect(dateInput(el).value).to.equal('2026-11-27');
    expect(hint(el).textContent).to.equal('');
    expect(store.config.end).to.equal(null);
  });

  it('labels in Chinese with lang="zh-CN"', async () => {
    const el = await mount(shanghaiStore(), 'zh-CN');
    await expect(el).to.be.accessible();
    expect(radios(el).map((r) => r.labels![0].textContent!.trim())).to.deep.equal([
      '1天',
      '7天',
      '30天',
    ]);
    expect(dateLabel(el).textContent!.trim()).to.equal('截止日期');
  });

  it('is disabled without a store', async () => {
    const el = await mount(null);
    await expect(el).to.be.accessible();
    expect(radios(el).every((r) => r.disabled)).to.equal(true);
    expect(dateInput(el).disabled).to.equal(true);
  });
});

runStoreWidgetTests('ua-range-select', 'range');
