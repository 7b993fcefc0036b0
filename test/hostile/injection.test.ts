/**
 * Injection (issue 7, SPEC §6): every string that comes from data — app names, ids and kinds
 * from `/apps`, app ids and page paths in events, error texts from the server, a Report's `app`
 * and `timeZone` — is rendered as text in every element. Markup in them creates no element in
 * any shadow root, runs nothing (`window.__pwned` stays undefined), and reads as typed.
 */
import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { HttpResponse, http } from 'msw';
import type { UaAppSelect } from '../../src/components/app-select/app-select.js';
import type { UaDashboard } from '../../src/components/dashboard/dashboard.js';
import type { UaDetailTable } from '../../src/components/detail-table/detail-table.js';
import { computeReport } from '../../src/engine/compute.js';
import type { Report } from '../../src/engine/types.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { fixtureEvents, sleep, useMsw, waitFor } from '../store/helpers.js';
import {
  allElements,
  inShadow,
  mountEndpoint,
  mountWidgets,
  settle,
  type Widgets,
} from './harness.js';

/** Classic payloads; ASCII only, so that each is also a valid HTTP reason phrase. */
const PAYLOADS = [
  '<img src=x onerror=window.__pwned=1>',
  '<script>window.__pwned=1</script>',
  '"><svg onload=window.__pwned=1>',
  "'><svg/onload=window.__pwned=1>",
  'javascript:window.__pwned=1',
  '</option><img src=x onerror=window.__pwned=1>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>">',
  '${window.__pwned=1}',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '<!-- x --><b onmouseover=window.__pwned=1>bold</b>',
];

const FORBIDDEN_TAGS = new Set(['img', 'script', 'svg', 'iframe', 'b', 'object', 'embed']);

/**
 * What markup from data would have created under `roots`, in light DOM and every shadow root:
 * an element of a payload's tag, an `on…` handler attribute, or a `javascript:` link or source.
 */
function injectedUnder(...roots: Element[]): string[] {
  const found: string[] = [];
  for (const root of roots) {
    for (const el of [root, ...allElements(root)]) {
      if (FORBIDDEN_TAGS.has(el.localName)) found.push(`<${el.localName}> in ${root.localName}`);
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on')) found.push(`${attr.name} on <${el.localName}>`);
        if (/^(href|src|srcdoc|action|formaction|xlink:href)$/.test(attr.name)) {
          found.push(`${attr.name}=${attr.value} on <${el.localName}>`);
        }
      }
    }
  }
  return found;
}

const pwned = () => (window as { __pwned?: unknown }).__pwned;

/** Whether an element takes up space on the page (it is rendered, not hidden). */
function visible(el: Element): boolean {
  return el.getClientRects().length > 0 && (el as HTMLElement).offsetHeight > 0;
}

/** The options of an app picker, as the list shows them. */
function optionTexts(select: UaAppSelect): string[] {
  return [...select.shadowRoot!.querySelectorAll('option')].map((o) => o.text);
}

/** Chooses an app in a picker as a person would. */
function choose(select: UaAppSelect, id: string): void {
  const native = inShadow<HTMLSelectElement>(select, 'select')!;
  native.value = id;
  expect(native.value, 'the option exists').to.equal(id);
  native.dispatchEvent(new Event('change'));
}

let events: unknown[];

describe('strings from data are rendered as text', () => {
  const mounted: Element[] = [];
  afterEach(() => {
    for (const el of mounted.splice(0)) el.remove();
    expect(pwned()).to.equal(undefined);
  });
  const msw = useMsw();
  guardAgainstStrayErrors();

  before(async () => {
    events = await fixtureEvents();
  });

  const reportFor = (app: string | null): Report => ({
    ...computeReport(events, { range: 7, end: '2026-03-10', timeZone: 'UTC' }),
    app,
  });

  function keep<T extends Element | Widgets>(x: T): T {
    mounted.push('container' in x ? x.container : x);
    return x;
  }

  it('the detector finds markup in a nested shadow root (control)', () => {
    const host = keep(document.createElement('div'));
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    const deeper = inner.attachShadow({ mode: 'open' });
    deeper.append(document.createElement('img'));
    const link = document.createElement('a');
    link.setAttribute('href', 'javascript:void 0');
    link.setAttribute('onclick', '');
    deeper.append(link);
    document.body.append(host);
    expect(injectedUnder(host)).to.deep.equal([
      '<img> in div',
      'href=javascript:void 0 on <a>',
      'onclick on <a>',
    ]);
  });

  it('/apps names, ids and kinds, and a Report app, in the pickers, widgets and dashboard', async () => {
    const apps = PAYLOADS.map((p, i) => ({ id: p, name: p, kind: i % 2 === 0 ? 'h5' : p }));
    const asked: Array<string | null> = [];
    msw.use(
      http.get('/inj/apps', () => HttpResponse.json({ apps })),
      http.get('/inj/report', ({ request }) => {
        const app = new URL(request.url).searchParams.get('app');
        asked.push(app);
        return HttpResponse.json(reportFor(app));
      }),
    );
    const w = keep(mountEndpoint('/inj'));
    const dash = document.createElement('ua-dashboard') as UaDashboard;
    dash.lang = 'en';
    for (const [name, value] of [
      ['endpoint', '/inj'],
      ['end-date', '2026-03-10'],
      ['time-zone', 'UTC'],
    ]) {
      dash.setAttribute(name, value);
    }
    document.body.append(keep(dash));
    await settle(w);
    await waitFor(
      () => dash.store?.apps.status === 'ready' && dash.store.report.status === 'ready',
    );
    const dashPicker = dash.shadowRoot!.querySelector('ua-app-select')!;
    await dashPicker.updateComplete;
    await expect(w.appSelect).to.be.accessible();

    // Every name as typed; a kind the kit does not know (a payload) is not shown at all.
    const expected = [
      'All apps',
      ...apps.map((a) => (a.kind === 'h5' ? `${a.name} (H5)` : a.name)),
    ];
    expect(optionTexts(w.appSelect)).to.deep.equal(expected);
    expect(optionTexts(dashPicker)).to.deep.equal(expected);

    // Choosing an app whose id is markup: it goes to the server as a query value, comes back
    // as the Report's app, and is shown as the chosen option's text.
    for (const [picker, payload] of [
      [w.appSelect, PAYLOADS[0]],
      [dashPicker, PAYLOADS[5]],
    ] as const) {
      const before = asked.length;
      choose(picker, payload);
      await waitFor(() => asked.length > before);
      expect(asked.at(-1)).to.equal(payload);
      await sleep(20);
      await picker.updateComplete;
      const native = inShadow<HTMLSelectElement>(picker, 'select')!;
      expect(native.selectedOptions[0].text).to.contain(payload);
      expect(visible(native)).to.equal(true);
    }
    await settle(w);
    expect(w.source.store.report.status === 'ready' && w.source.store.report.value.app).to.equal(
      PAYLOADS[0],
    );
    // The Report's app reaches one place only: the CSV file name, made file-safe.
    expect(w.table.fileName).to.match(/^ua-report-[\p{L}\p{N}._-]+-2026-03-10-7d\.csv$/u);
    const dashTable = dash.shadowRoot!.querySelector('ua-detail-table') as UaDetailTable;
    await waitFor(() => dashTable.report?.app === PAYLOADS[5]);
    expect(dashTable.fileName).to.not.match(/[<>"'/\\:]/);

    expect(allElements(dash).length, 'the walk reaches into the dashboard').to.be.greaterThan(100);
    expect(injectedUnder(w.container, dash)).to.deep.equal([]);
  });

  it('error texts from the server (status lines, a Report time zone) read as typed', async () => {
    const [img, script, svg] = PAYLOADS;
    msw.use(
      http.get('/inj-err/apps', () => new HttpResponse(null, { status: 503, statusText: svg })),
      http.get('/inj-err/report', () => new HttpResponse('no', { status: 500, statusText: img })),
      http.get('/inj-tz/apps', () => HttpResponse.json({ apps: [] })),
      http.get('/inj-tz/report', () => HttpResponse.json({ ...reportFor(null), timeZone: script })),
      http.get('/feed/inj.json', () => new HttpResponse(null, { status: 404, statusText: img })),
    );
    const status = keep(mountEndpoint('/inj-err'));
    const zone = keep(mountEndpoint('/inj-tz'));
    const feed = keep(
      mountWidgets(
        html`<ua-source events-src="/feed/inj.json" time-zone="UTC">
          <ua-app-select></ua-app-select>
          <ua-overview></ua-overview>
          <ua-detail-table></ua-detail-table>
        </ua-source>`,
      ),
    );
    for (const w of [status, zone, feed]) await settle(w);

    const reasons: Array<[Widgets, string]> = [
      [status, `The server answered 500 ${img}`],
      [zone, `The report is malformed: timeZone '${script}' is not a time zone this browser knows`],
      [feed, `The server answered 404 ${img}`],
    ];
    for (const [w, reason] of reasons) {
      for (const el of [w.overview, w.trend, w.table]) {
        if (!el) continue;
        const shown = inShadow(el, '[part~="error"] .reason')!;
        expect(shown.textContent, el.localName).to.equal(reason);
        expect(shown.children).to.have.length(0);
        expect(visible(shown), `${el.localName}: the reason is visible`).to.equal(true);
      }
    }
    const appsError = inShadow(status.appSelect, '[part~="error"]')!;
    expect(appsError.textContent).to.equal(
      `Could not load the apps: The server answered 503 ${svg}`,
    );
    expect(visible(appsError)).to.equal(true);
    expect(inShadow(feed.appSelect, '[part~="error"]')!.textContent).to.equal(
      `Could not load the apps: The server answered 404 ${img}`,
    );
    expect(injectedUnder(status.container, zone.container, feed.container)).to.deep.equal([]);
  });

  it('app ids, user ids and page paths in events: the in-browser app list, both ways in', async () => {
    // Per payload app: the payload user opens, and user u<i> shows a page (an implicit open):
    // 2 new and active users, 2 opens, 1 page visit on Mar 10.
    const rows = PAYLOADS.flatMap((p, i) => [
      { user: p, time: Date.UTC(2026, 2, 10, 10, i), type: 'open', app: p, page: p },
      { user: `u${i}`, time: Date.UTC(2026, 2, 10, 11, i), type: 'page', app: p, page: p },
      { user: `u${i}`, time: Date.UTC(2026, 2, 10, 11, i, 30), type: 'hide', app: p, page: p },
    ]);
    msw.use(http.get('/feed/inj-events.json', () => HttpResponse.json(rows)));
    const fromArray = keep(
      mountWidgets(
        html`<ua-source .events=${rows} end-date="2026-03-10" time-zone="UTC">
          <ua-app-select></ua-app-select>
          <ua-overview></ua-overview>
          <ua-trend></ua-trend>
          <ua-detail-table></ua-detail-table>
        </ua-source>`,
      ),
    );
    const fromUrl = keep(
      mountWidgets(
        html`<ua-source events-src="/feed/inj-events.json" end-date="2026-03-10" time-zone="UTC">
          <ua-app-select></ua-app-select>
          <ua-overview></ua-overview>
        </ua-source>`,
      ),
    );
    const dash = document.createElement('ua-dashboard') as UaDashboard;
    dash.setAttribute('end-date', '2026-03-10');
    dash.setAttribute('time-zone', 'UTC');
    dash.lang = 'en';
    dash.events = rows;
    document.body.append(keep(dash));

    for (const w of [fromArray, fromUrl]) {
      await settle(w);
      await waitFor(() => w.source.store.apps.status === 'ready');
      await w.appSelect.updateComplete;
      // In-browser mode lists the apps sorted by name (issue 12).
      const byName = [...PAYLOADS].sort((a, b) => a.localeCompare(b));
      expect(optionTexts(w.appSelect)).to.deep.equal(['All apps', ...byName]);
      const cards = inShadow(w.overview, '[data-metric="activeUsers"] .value')!;
      expect(cards.textContent).to.equal(String(2 * PAYLOADS.length));
    }
    await waitFor(() => dash.store?.apps.status === 'ready');
    const dashPicker = dash.shadowRoot!.querySelector('ua-app-select')!;
    await dashPicker.updateComplete;
    expect(optionTexts(dashPicker)).to.deep.equal([
      'All apps',
      ...[...PAYLOADS].sort((a, b) => a.localeCompare(b)),
    ]);

    choose(fromArray.appSelect, PAYLOADS[2]);
    await waitFor(
      () =>
        fromArray.source.store.report.status === 'ready' &&
        fromArray.source.store.report.value.app === PAYLOADS[2],
    );
    await settle(fromArray);
    expect(
      inShadow(fromArray.overview, '[data-metric="activeUsers"] .value')!.textContent,
    ).to.equal('2');
    expect(inShadow(fromArray.overview, '[data-metric="pageVisits"] .value')!.textContent).to.equal(
      '1',
    );
    expect(fromArray.trend!.chart).to.not.equal(null);

    expect(injectedUnder(fromArray.container, fromUrl.container, dash)).to.deep.equal([]);
  });
});
