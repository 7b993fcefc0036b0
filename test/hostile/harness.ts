/**
 * Shared pieces of the hostile-input tests: real widgets mounted over one `<ua-source>`, a wait
 * for them to settle, a walk over every shadow root, and a per-case catch of stray errors.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { getResponse, type RequestHandler } from 'msw';
import '../../src/index.js';
import type { UaTrend } from '../../src/components/trend/trend.js';
import { widgetsIn, type WidgetSet } from '../fixtures/widgets.js';
import { sleep } from '../store/helpers.js';

/** A `<ua-source>` with every widget that shows its data, in a container of its own. */
export interface Widgets extends Omit<WidgetSet, 'trend'> {
  container: HTMLDivElement;
  /** Null when mounted without it. */
  trend: UaTrend | null;
}

/** Renders `template` (one `<ua-source>` holding widgets) into a fresh container, lang en. */
export function mountWidgets(template: TemplateResult): Widgets {
  const container = document.createElement('div');
  container.lang = 'en';
  document.body.append(container);
  render(template, container);
  return { container, ...widgetsIn(container) };
}

/**
 * Every widget over `<ua-source endpoint>`; the end day and zone are fixed (no clock in it).
 * `trend: false` leaves the chart out (chart.js updates cost most of a case's time).
 */
export function mountEndpoint(endpoint: string, options: { trend?: boolean } = {}): Widgets {
  return mountWidgets(
    html`<ua-source endpoint=${endpoint} end-date="2026-03-10" time-zone="UTC">
      <ua-app-select></ua-app-select>
      <ua-range-select></ua-range-select>
      <ua-overview></ua-overview>
      ${options.trend === false ? nothing : html`<ua-trend></ua-trend>`}
      <ua-detail-table></ua-detail-table>
    </ua-source>`,
  );
}

const SETTLED = ['ready', 'error'];

/**
 * Waits until the Report (and, in endpoint mode, the app list) is ready or failed, then until
 * every widget has rendered it (the trend also waits for chart.js and its chart).
 */
export async function settle(w: Widgets, timeout = 10_000): Promise<void> {
  const store = w.source.store;
  const end = performance.now() + timeout;
  await Promise.resolve();
  const done = () =>
    SETTLED.includes(store.report.status) &&
    (store.mode !== 'endpoint' || SETTLED.includes(store.apps.status));
  while (!done()) {
    if (performance.now() > end) {
      throw new Error(`not settled: report ${store.report.status}, apps ${store.apps.status}`);
    }
    await sleep(2);
  }
  for (const el of [w.source, w.overview, w.trend, w.table, w.appSelect, w.rangeSelect]) {
    if (el) await el.updateComplete;
  }
}

/**
 * Points the widgets' source at `endpoint` and waits for the outcome: a `report-load` or
 * `report-error` from the source, then the app list, then every widget's render.
 */
export async function loadFrom(w: Widgets, endpoint: string, timeout = 10_000): Promise<void> {
  const source = w.source;
  const outcome = new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      source.removeEventListener('report-load', done);
      source.removeEventListener('report-error', done);
      resolve();
    };
    const timer = setTimeout(() => {
      source.removeEventListener('report-load', done);
      source.removeEventListener('report-error', done);
      reject(new Error(`no report-load or report-error from ${endpoint}`));
    }, timeout);
    source.addEventListener('report-load', done);
    source.addEventListener('report-error', done);
  });
  source.endpoint = endpoint;
  await outcome;
  await settle(w, timeout);
}

/**
 * Answers `fetch` in the page with msw request handlers (msw's own `getResponse`), without the
 * service worker's round trip (15–25 ms a request on a busy machine, 10 s for 50 MB). Requests
 * no handler answers go to the real fetch (and so to msw's service worker, if started).
 * `HttpResponse.error()` becomes the TypeError a real network failure gives; an aborted signal
 * rejects with an AbortError, as fetch does.
 */
export function answerInPage(handlers: RequestHandler[]): { restore(): void } {
  const realFetch = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const response = await getResponse(handlers, request);
    if (response === undefined) return realFetch(input, init);
    request.signal.throwIfAborted();
    if (response.type === 'error') throw new TypeError('Failed to fetch');
    return response;
  };
  return {
    restore() {
      window.fetch = realFetch;
    },
  };
}

/** Every element inside `root` and, recursively, inside every shadow root there (root's own too). */
export function allElements(root: Document | ShadowRoot | Element = document): Element[] {
  const out: Element[] = [];
  const walk = (node: Document | ShadowRoot | Element) => {
    for (const el of node.querySelectorAll('*')) {
      out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
  return out;
}

/** The text of an element, its shadow root included (slots are not followed). */
export function shadowText(el: Element): string {
  return (el.shadowRoot ?? el).textContent ?? '';
}

/** The first element matching `selector` in `el`'s shadow root. */
export function inShadow<T extends Element = HTMLElement>(el: Element, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

/**
 * Collects uncaught errors, unhandled rejections and console errors while it is installed, so
 * that a fuzz case can fail on its own rather than the whole test at the end.
 */
export function strayErrors(): { take(): string[]; stop(): void } {
  let found: string[] = [];
  const original = console.error;
  const onError = (e: ErrorEvent) => found.push(`uncaught: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => {
    const r = e.reason as unknown;
    found.push(
      `unhandled rejection: ${r instanceof Error ? `${r.name}: ${r.message}` : String(r)}`,
    );
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  console.error = (...args: unknown[]) => {
    found.push(`console.error: ${args.map(String).join(' ')}`);
    original.apply(console, args);
  };
  return {
    take() {
      const list = found;
      found = [];
      return list;
    },
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      console.error = original;
    },
  };
}

/** Clicks the Retry button of a widget's error state. */
export function clickRetry(el: Element): void {
  const button = inShadow<HTMLButtonElement>(el, 'button[part~="retry"]');
  if (!button) throw new Error(`${el.localName} shows no Retry button`);
  button.click();
}
