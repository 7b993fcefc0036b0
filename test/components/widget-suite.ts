/**
 * One suite for every widget over a metrics store (issue 12, item 11; Web Awesome's
 * runFormControlBaseTests in shape): loading, error + Retry, empty, no source, a store switch,
 * a nested source and a source by id (also one connected later), shared states, and `lang`
 * followed from an ancestor. `runStoreWidgetTests(tag, kind)` is called from each widget's test
 * file; `kind` says which states the widget has: a Report's (`report`), the app list's (`apps`)
 * or none beyond being usable (`range`).
 */
import { expect, fixture } from '@open-wc/testing';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import '../../src/components/source/source.js';
import type { UaSource } from '../../src/components/source/source.js';
import type { Report } from '../../src/engine/types.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import type { AppInfo } from '../../src/store/types.js';
import { emptyWeek, month, week } from '../fixtures/report-fixtures.js';
import { StubStore, settle } from '../fixtures/stub-store.js';

export type WidgetKind = 'report' | 'apps' | 'range';

interface Widget extends HTMLElement {
  store: MetricsStore | null;
  source: string | null;
  updateComplete: Promise<boolean>;
}

const APPS_A: AppInfo[] = [{ id: 'a', name: 'Alpha', kind: 'h5' }];
const APPS_B: AppInfo[] = [{ id: 'b', name: 'Beta', kind: 'mini-game' }];

/** A store showing `report` (and `apps`), with the given range configured. */
function storeWith(report: Report, apps: AppInfo[], range: 7 | 30 = 7): MetricsStore {
  const store = new MetricsStore({ range });
  store.setReport(report, apps);
  return store;
}

const all = (el: Widget, selector: string) => [...el.shadowRoot!.querySelectorAll(selector)];
const one = (el: Widget, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);

/** What a person sees of a widget: its text and the values and checks of its controls. */
function seen(el: Widget): string {
  const controls = all(el, 'input, select').map((c) => {
    const input = c as HTMLInputElement;
    return `${input.value}:${input.checked ? 'on' : ''}:${input.disabled ? 'off' : ''}`;
  });
  return `${(el.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ').trim()}|${controls.join(',')}`;
}

/** Whether the widget shows data from a store (not its no-source state). */
function showsData(el: Widget, kind: WidgetKind): boolean {
  if (kind === 'report') {
    return one(el, '[role="radio"], [part="chart"]:not([hidden]), tbody tr') !== null;
  }
  const control = one(el, 'select, input[type="date"]') as HTMLInputElement | null;
  return control !== null && !control.disabled;
}

/** Two animation frames, then the widgets' updates. */
async function frames(...els: Widget[]): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  for (const el of els) await settle(el);
}

export function runStoreWidgetTests(tag: string, kind: WidgetKind): void {
  const t = unsafeStatic(tag);
  const mount = async (store: MetricsStore | null, attrs = '') => {
    const wrap = await fixture<HTMLDivElement>(
      staticHtml`<div lang="en"><${t} .store=${store} ${unsafeStatic(attrs)}></${t}></div>`,
    );
    const el = wrap.firstElementChild as Widget;
    await settle(el);
    return { wrap, el };
  };

  describe(`${tag}: the store widget suite`, () => {
    it('is accessible over a ready store', async () => {
      const { el } = await mount(storeWith(week, APPS_A));
      await expect(el).to.be.accessible();
    });

    it('without a source: says so (or is disabled), and is accessible', async () => {
      const { el } = await mount(null);
      await expect(el).to.be.accessible();
      expect(showsData(el, kind)).to.equal(false);
      if (kind === 'report')
        expect(one(el, '[part="empty"]')!.textContent).to.contain('No data source.');
    });

    if (kind === 'report') {
      it('loading: one progress bar, then the old Report dimmed while a new one loads', async () => {
        const store = new StubStore();
        store.setReportState({
          status: 'loading',
          progress: { phase: 'compute', done: 1, total: 4 },
        });
        const { el } = await mount(store);
        await expect(el).to.be.accessible();
        expect(all(el, '[role="progressbar"]')).to.have.length(1);
        expect(one(el, '[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('25');
        store.setReportState({ status: 'loading', progress: null, previous: week });
        await settle(el);
        expect(all(el, '[role="progressbar"]')).to.have.length(1);
        expect(all(el, '.stale')).to.not.have.length(0);
      });

      it('error: the reason and one Retry, which loads again', async () => {
        const store = new StubStore();
        store.setReportState({ status: 'error', error: 'HTTP 503 Service Unavailable' });
        const { el } = await mount(store);
        await expect(el).to.be.accessible();
        expect(all(el, '[part="error"]')).to.have.length(1);
        expect(one(el, '[part="error"]')!.textContent).to.contain('HTTP 503 Service Unavailable');
        const retry = all(el, '[part="retry"]') as HTMLButtonElement[];
        expect(retry).to.have.length(1);
        retry[0].click();
        expect(store.retries).to.equal(1);
      });

      it('empty: the empty state, no zeros', async () => {
        const { el } = await mount(storeWith(emptyWeek, []));
        expect(one(el, '[part="empty"]')!.textContent!.trim()).to.equal('No data for this period.');
        expect(seen(el)).to.not.contain('0%');
      });

      it('shared-states: no progress bar, error or empty state of its own', async () => {
        const store = new StubStore();
        store.setReportState({ status: 'error', error: 'timeout', previous: week });
        const { el } = await mount(store, 'shared-states');
        expect(one(el, '[part="error"]')).to.equal(null);
        store.setReportState({ status: 'loading', progress: null });
        await settle(el);
        expect(one(el, '[role="progressbar"]')).to.equal(null);
        store.setReportState({ status: 'ready', value: emptyWeek });
        await settle(el);
        expect(one(el, '[part="empty"]')).to.equal(null);
      });
    }

    if (kind === 'apps') {
      it('the app list loading, then failing: one error and one Retry, which loads again', async () => {
        const store = new StubStore();
        store.setAppsState({ status: 'loading', progress: null });
        const { el } = await mount(store);
        expect(one(el, 'select')!.getAttribute('aria-busy')).to.equal('true');
        store.setAppsState({ status: 'error', error: 'HTTP 500 Internal Server Error' });
        await settle(el);
        await expect(el).to.be.accessible();
        expect(all(el, '[part="error"]')).to.have.length(1);
        const retry = all(el, '[part="retry"]') as HTMLButtonElement[];
        expect(retry).to.have.length(1);
        retry[0].click();
        expect(store.retries).to.equal(1);
      });

      it('empty: only "All apps"', async () => {
        const { el } = await mount(storeWith(week, []));
        expect(all(el, 'option').map((o) => o.textContent!.trim())).to.deep.equal(['All apps']);
      });
    }

    it('a store switch shows the new store, and the old one no longer reaches it', async () => {
      const a = storeWith(week, APPS_A, 7);
      const b = storeWith(month, APPS_B, 30);
      const { el } = await mount(a);
      const onA = seen(el);
      const { el: fresh } = await mount(b);
      el.store = b;
      await settle(el);
      await frames(el, fresh); // what widgets measure after layout (the table's scroll hint)
      expect(seen(el)).to.not.equal(onA);
      expect(seen(el)).to.equal(seen(fresh));
      a.setReport(month, APPS_B);
      a.setMetric('opens');
      await settle(el);
      await frames(el, fresh);
      expect(seen(el)).to.equal(seen(fresh));
    });

    it('uses the <ua-source> it is nested in', async () => {
      const wrap = await fixture<HTMLDivElement>(
        staticHtml`<div lang="en"><ua-source><${t}></${t}></ua-source></div>`,
      );
      const source = wrap.querySelector<UaSource>('ua-source')!;
      const el = wrap.querySelector(tag) as Widget;
      source.store.setReport(week, APPS_A);
      await settle(el);
      expect(showsData(el, kind)).to.equal(true);
    });

    it('uses the <ua-source> named by source="ID", also one connected later', async () => {
      const wrap = await fixture<HTMLDivElement>(
        staticHtml`<div lang="en"><${t} source="later"></${t}></div>`,
      );
      const el = wrap.querySelector(tag) as Widget;
      expect(showsData(el, kind)).to.equal(false);
      const source = document.createElement('ua-source');
      source.id = 'later';
      wrap.append(source);
      await source.updateComplete;
      source.store.setReport(week, APPS_A);
      await settle(el);
      expect(showsData(el, kind)).to.equal(true);
    });

    it('follows lang changed on an ancestor, and on <html>', async () => {
      const { wrap, el } = await mount(storeWith(week, APPS_A));
      const chinese = () => /[\u4e00-\u9fff]/.test(seen(el));
      expect(chinese()).to.equal(false);
      wrap.setAttribute('lang', 'zh-CN');
      await settle(el);
      expect(chinese(), 'after <div lang="zh-CN">').to.equal(true);
      await expect(el).to.be.accessible();
      wrap.removeAttribute('lang');
      const html = document.documentElement;
      const before = html.getAttribute('lang');
      try {
        html.setAttribute('lang', 'en');
        await settle(el);
        expect(chinese()).to.equal(false);
        html.setAttribute('lang', 'zh');
        await settle(el);
        expect(chinese(), 'after <html lang="zh">').to.equal(true);
      } finally {
        if (before === null) html.removeAttribute('lang');
        else html.setAttribute('lang', before);
      }
    });
  });
}
