/**
 * The demo's endpoint: an msw browser worker answering SPEC §7's `/apps` and `/report` with
 * ua-kit's own engine over the synthetic events — what a real server can do too.
 */
import { http, HttpResponse, delay } from 'msw';
import { setupWorker } from 'msw/browser';
import { computeFromColumns, parseEvents } from '../src/engine/index.js';
import type { EventColumns, Range } from '../src/engine/index.js';
import { DEMO_APPS } from './synthetic.js';

export const API_BASE = '/api/ua';

/** Starts the mock endpoint over `events` (parsed once). */
export async function startMockApi(events: readonly unknown[]): Promise<void> {
  let columns: EventColumns | null = null;
  const worker = setupWorker(
    http.get(`${API_BASE}/apps`, async () => {
      await delay(150);
      return HttpResponse.json({ apps: DEMO_APPS });
    }),
    http.get(`${API_BASE}/report`, async ({ request }) => {
      await delay(250);
      const q = new URL(request.url).searchParams;
      columns ??= parseEvents(events);
      try {
        const report = computeFromColumns(columns, {
          range: Number(q.get('range') ?? 7) as Range,
          end: q.get('end') ?? undefined,
          timeZone: q.get('tz') ?? undefined,
          app: q.get('app') ?? undefined,
        });
        delete report.diagnostics;
        return HttpResponse.json(report);
      } catch (e) {
        return HttpResponse.json({ error: String(e) }, { status: 400 });
      }
    }),
  );
  await worker.start({
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
  });
}
