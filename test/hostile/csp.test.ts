/**
 * Strict CSP (issue 7): demo/csp.html — the demo dashboard over synthetic events (Web Worker)
 * and over the msw endpoint mock — is served with
 *
 *   Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';
 *     worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:
 *
 * (the `cspHeader` middleware of scripts/csp-check.mjs, registered in web-test-runner.config.mjs;
 * the page also carries the same policy in a meta tag for `npm start`). The test runner's own
 * page needs inline scripts, so the demo runs in an iframe of it, and the page records every
 * `securitypolicyviolation` from before the kit is imported. `node scripts/csp-check.mjs` checks
 * the production build of the same page.
 */
import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import type { UaDashboard } from '../../src/components/dashboard/dashboard.js';
import type { MetricKey } from '../../src/engine/types.js';
import { styleMap } from 'lit/directives/style-map.js';
import { styleProps } from '../../src/internal/style-props.js';
import { renderLoading } from '../../src/internal/states.js';
import { strings } from '../../src/i18n/strings.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { sleep, waitFor } from '../store/helpers.js';

const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; " +
  "connect-src 'self'; img-src 'self' data: blob:";

type CspWindow = Window & typeof globalThis & { __cspViolations?: string[] };

/** Whether a canvas has anything drawn on it. */
function drawnPixels(canvas: HTMLCanvasElement): number {
  const { width, height } = canvas;
  const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
  return n;
}

describe('under a strict Content-Security-Policy', () => {
  guardAgainstStrayErrors();
  let frame: HTMLIFrameElement;

  before(async function () {
    this.timeout(60_000);
    frame = document.createElement('iframe');
    frame.title = 'ua-kit under a strict CSP';
    frame.width = '1280';
    frame.height = '1600';
    const loaded = new Promise((resolve) =>
      frame.addEventListener('load', resolve, { once: true }),
    );
    frame.src = '/demo/csp.html';
    document.body.append(frame);
    await loaded;
  });
  after(() => frame.remove());

  const win = () => frame.contentWindow as CspWindow;
  const dashboard = (id: string) => frame.contentDocument!.getElementById(id) as UaDashboard;
  const inDashboard = <T extends Element>(d: UaDashboard, selector: string) =>
    d.shadowRoot!.querySelector(selector) as T;

  it('the page is served with the policy header', async () => {
    const res = await fetch('/demo/csp.html');
    expect(res.headers.get('Content-Security-Policy')).to.equal(POLICY);
    // and the test page itself is not (the runner needs inline scripts)
    const self = await fetch(location.href);
    expect(self.headers.get('Content-Security-Policy')).to.equal(null);
  });

  for (const id of ['in-browser', 'endpoint']) {
    it(`${id}: the dashboard renders numbers and a chart, with no violation`, async function () {
      this.timeout(60_000);
      await waitFor(() => dashboard(id)?.store?.report.status === 'ready', 45_000);
      const d = dashboard(id);
      const trend = inDashboard<HTMLElementTagNameMap['ua-trend']>(d, 'ua-trend');
      const overview = inDashboard<HTMLElementTagNameMap['ua-overview']>(d, 'ua-overview');
      const table = inDashboard<HTMLElementTagNameMap['ua-detail-table']>(d, 'ua-detail-table');
      await waitFor(() => trend.chart !== null, 20_000);
      for (const el of [overview, trend, table]) await el.updateComplete;

      const report = d.store!.report.status === 'ready' ? d.store!.report.value : null;
      expect(report!.totals.activeUsers, 'synthetic users were active').to.be.greaterThan(0);
      for (const card of overview.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')) {
        const value = card.querySelector('.value')!.textContent!;
        expect(value, card.dataset.metric).to.match(/\d/);
      }
      const active = overview.shadowRoot!.querySelector('[data-metric="activeUsers"] .value')!;
      expect(active.textContent).to.equal(
        report!.totals.activeUsers.toLocaleString('en'), // a count: grouped, no decimals
      );
      expect(trend.chart!.data.datasets[0].data).to.deep.equal(
        report!.series.map((p) => p[trend.shownMetric as MetricKey]),
      );
      // chart.js sizes the canvas once its box is observed, then draws.
      const canvas = trend.shadowRoot!.querySelector('canvas')!;
      await waitFor(() => canvas.width > 0 && drawnPixels(canvas) > 500, 10_000);
      expect(table.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(report!.series.length);
      if (id === 'in-browser') expect(d.store!.computeSite).to.equal('worker');

      await sleep(50); // violation events are queued as tasks
      expect(win().__cspViolations).to.deep.equal([]);
    });
  }

  it('the page lists no violation, and the policy is in force (control)', async () => {
    const status = frame.contentDocument!.getElementById('csp-status')!;
    expect(status.textContent).to.equal('No CSP violations so far.');
    // An inline style attribute and eval are refused, and the page records the refusal.
    expect(() => win().eval('1')).to.throw();
    const probe = frame.contentDocument!.createElement('p');
    probe.setAttribute('style', 'color: red');
    frame.contentDocument!.body.append(probe);
    await waitFor(() => (win().__cspViolations ?? []).length > 0);
    expect(getComputedStyle(probe).color).to.not.equal('rgb(255, 0, 0)');
    expect(new Set(win().__cspViolations!.map((v) => v.split(' ')[0]))).to.deep.equal(
      new Set(['script-src', 'style-src-attr']),
    );
    probe.remove();
  });
});

describe('styleProps (the CSP-safe styleMap)', () => {
  it("Lit's styleMap writes its first render as a style attribute string (why styleProps)", () => {
    const host = document.createElement('div');
    const setAttribute = recordStyleAttributes();
    render(html`<p style=${styleMap({ width: '40%' })}></p>`, host);
    expect(setAttribute.calls).to.deep.equal(['width:40%;']);
  });

  it('sets properties through the CSSOM from the first render on, and removes them', () => {
    const host = document.createElement('div');
    const setAttribute = recordStyleAttributes();
    const view = (props: Record<string, string | null>) =>
      render(html`<p style=${styleProps(props)}></p>`, host);
    view({ width: '40%', '--ua-x': '3px' });
    const p = host.querySelector('p')!;
    expect(p.style.width).to.equal('40%');
    expect(p.style.getPropertyValue('--ua-x')).to.equal('3px');
    view({ width: null, '--ua-x': '4px' });
    expect(p.style.width).to.equal('');
    expect(p.style.getPropertyValue('--ua-x')).to.equal('4px');
    expect(setAttribute.calls, 'never as an attribute string').to.deep.equal([]);
  });

  it('renderLoading sets the progress width without a style attribute string', () => {
    const host = document.createElement('div');
    const setAttribute = recordStyleAttributes();
    render(renderLoading({ phase: 'parse', done: 1, total: 4 }, strings('en')), host);
    const bar = host.querySelector<HTMLElement>('[role="progressbar"] > div')!;
    expect(bar.style.width).to.equal('25%');
    expect(setAttribute.calls).to.deep.equal([]);
  });
});

/** Records every `setAttribute('style', …)` during the synchronous render that follows. */
function recordStyleAttributes(): { calls: string[] } {
  const calls: string[] = [];
  const original = Element.prototype.setAttribute;
  // Restored in a microtask: only the render right after this call is watched.
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style') calls.push(value);
    return original.call(this, name, value);
  };
  queueMicrotask(() => (Element.prototype.setAttribute = original));
  return { calls };
}
