import { runStoreWidgetTests } from './widget-suite.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/app-select/app-select.js';
import type { UaAppSelect } from '../../src/components/app-select/app-select.js';
import { MetricsStore } from '../../src/store/metrics-store.js';
import { dailyReport, tableApps } from '../fixtures/table-fixtures.js';
import { settle, StubStore } from '../fixtures/stub-store.js';
import { XSS_NAME, imageErrorsFired, stubAlert, xssRan } from '../fixtures/xss.js';

async function mount(store: MetricsStore | null, lang = 'en') {
  const el = await fixture<UaAppSelect>(
    html`<ua-app-select .store=${store} lang=${lang}></ua-app-select>`,
  );
  await settle(el);
  return el;
}

function readyStore(): MetricsStore {
  const store = new MetricsStore();
  store.setReport(dailyReport, tableApps);
  return store;
}

const select = (el: UaAppSelect) => el.shadowRoot!.querySelector('select')!;
const optionTexts = (el: UaAppSelect) => [...select(el).options].map((o) => o.text);
const optionValues = (el: UaAppSelect) => [...select(el).options].map((o) => o.value);

/** Chooses `value` as a user would: the select's value changes, then `change` fires. */
function choose(el: UaAppSelect, value: string) {
  select(el).value = value;
  select(el).dispatchEvent(new Event('change', { bubbles: true }));
}

describe('ua-app-select', () => {
  const alerts = stubAlert();

  it('is accessible with its app list', async () => {
    const el = await mount(readyStore());
    await expect(el).to.be.accessible();
  });

  it('lists "All apps" first, then every app with its kind', async () => {
    const el = await mount(readyStore());
    expect(optionTexts(el)).to.deep.equal([
      'All apps',
      'Demo shop (Mini program)',
      'News H5 (H5)',
      '2048 Puzzle (Mini game)',
      'No kind app',
      XSS_NAME,
    ]);
    expect(optionValues(el)).to.deep.equal([
      '',
      'demo-app',
      'h5-news',
      'game-2048',
      'plain',
      'xss',
    ]);
    expect(select(el).value).to.equal('');
    const label = el.shadowRoot!.querySelector('label')!;
    expect(label.textContent!.trim()).to.equal('App');
    expect(label.htmlFor).to.equal(select(el).id);
  });

  it('renders names as text, never as HTML', async () => {
    const el = await mount(readyStore());
    expect(el.shadowRoot!.querySelectorAll('img')).to.have.length(0);
    expect(el.shadowRoot!.innerHTML).to.not.contain('<img');
    expect(select(el).options[5].textContent!.trim()).to.equal(XSS_NAME);
    await imageErrorsFired();
    expect(xssRan()).to.equal(false);
    expect(alerts).to.deep.equal([]);
  });

  it('sets store.config.app and fires app-change when an app is chosen', async () => {
    const store = readyStore();
    const el = await mount(store);
    let event = oneEvent(el, 'app-change');
    choose(el, 'h5-news');
    let ev = await event;
    expect(ev.detail).to.deep.equal({ app: 'h5-news' });
    expect(ev.bubbles).to.equal(true);
    expect(ev.composed).to.equal(true);
    expect(store.config.app).to.equal('h5-news');

    event = oneEvent(el, 'app-change');
    choose(el, '');
    ev = await event;
    expect(ev.detail).to.deep.equal({ app: null });
    expect(store.config.app).to.equal(null);
  });

  it('is operated with the keyboard', async () => {
    const store = readyStore();
    const el = await mount(store);
    select(el).focus();
    const event = oneEvent(el, 'app-change');
    await sendKeys({ press: 'ArrowDown' });
    expect((await event).detail).to.deep.equal({ app: 'demo-app' });
    expect(store.config.app).to.equal('demo-app');
  });

  it('follows the store, including an app missing from the list', async () => {
    const store = readyStore();
    const el = await mount(store);
    store.configure({ app: 'game-2048' });
    await settle(el);
    expect(select(el).value).to.equal('game-2048');
    store.configure({ app: 'legacy-app' });
    await settle(el);
    expect(select(el).value).to.equal('legacy-app');
    expect(optionTexts(el).at(-1)).to.equal('legacy-app');
    await expect(el).to.be.accessible();
  });

  it('labels in Chinese with lang="zh-CN"', async () => {
    const el = await mount(readyStore(), 'zh-CN');
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('label')!.textContent!.trim()).to.equal('应用');
    expect(optionTexts(el).slice(0, 4)).to.deep.equal([
      '全部应用',
      'Demo shop（小程序）',
      'News H5（H5）',
      '2048 Puzzle（小游戏）',
    ]);
  });

  it('shows a disabled "Loading…" select while the list loads', async () => {
    const store = new StubStore();
    store.setAppsState({ status: 'loading', progress: null });
    const el = await mount(store);
    await expect(el).to.be.accessible();
    expect(select(el).disabled).to.equal(true);
    expect(select(el).getAttribute('aria-busy')).to.equal('true');
    expect(optionTexts(el)).to.deep.equal(['Loading…']);

    store.setAppsState({ status: 'ready', value: tableApps.slice(0, 2) });
    await settle(el);
    expect(select(el).disabled).to.equal(false);
    expect(optionTexts(el)).to.deep.equal(['All apps', 'Demo shop (Mini program)', 'News H5 (H5)']);
  });

  it('shows the error with a Retry, and keeps "All apps" usable', async () => {
    const store = new StubStore();
    store.setAppsState({ status: 'error', error: 'HTTP 500 Internal Server Error' });
    const el = await mount(store);
    await expect(el).to.be.accessible();
    const error = el.shadowRoot!.querySelector('[part="error"]')!;
    expect(error.textContent).to.equal('Could not load the apps: HTTP 500 Internal Server Error');
    expect(error.getAttribute('role')).to.equal('alert');
    expect(select(el).disabled).to.equal(false);
    expect(optionTexts(el)).to.deep.equal(['All apps']);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    expect(store.retries).to.equal(1);
  });

  it('is disabled without a store', async () => {
    const el = await mount(null);
    await expect(el).to.be.accessible();
    expect(select(el).disabled).to.equal(true);
    expect(optionTexts(el)).to.deep.equal(['All apps']);
    el.store = readyStore();
    await settle(el);
    expect(select(el).disabled).to.equal(false);
    expect(optionTexts(el)).to.have.length(6);
  });
});

runStoreWidgetTests('ua-app-select', 'apps');
