/**
 * The demo dashboard under a strict Content-Security-Policy (demo/csp.html): once over
 * synthetic events computed in a Web Worker, once over the msw endpoint mock. Every
 * `securitypolicyviolation` is recorded in `window.__cspViolations` and listed on the page.
 *
 * The listener is added before the kit is imported (hence the dynamic imports), so that a
 * violation while the elements are defined is caught too.
 */
import type { UaDashboard } from '../src/components/dashboard/dashboard.js';

const violations: string[] = [];
(window as { __cspViolations?: string[] }).__cspViolations = violations;

const statusLine = document.querySelector('#csp-status')!;
function showStatus(): void {
  statusLine.textContent =
    violations.length === 0
      ? 'No CSP violations so far.'
      : `${violations.length} CSP violation(s): ${violations.join(' · ')}`;
}

document.addEventListener(
  'securitypolicyviolation',
  (e) => {
    violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`);
    showStatus();
  },
  true,
);

const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
document.querySelector('#policy')!.textContent = policy?.getAttribute('content') ?? '';

await import('../src/index.js');
const { generateEvents } = await import('./synthetic.js');
const { API_BASE, startMockApi } = await import('./mock-api.js');

/** 60 days of events up to yesterday (UTC, as the dashboards): small enough to start quickly. */
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const events = generateEvents({
  users: 400,
  days: 60,
  end: yesterday,
  timeZone: 'UTC',
  targetEvents: 20_000,
});

const inBrowser = document.querySelector<UaDashboard>('#in-browser')!;
inBrowser.events = events;

await startMockApi(events);
document.querySelector('#endpoint')!.setAttribute('endpoint', API_BASE);
showStatus();
