// 'msw/browser' for the store's tests under Node (scripts/node-test-hooks.mjs maps it here):
// setupWorker() as msw/node's setupServer(), which answers the page's fetch in-process instead
// of a service worker, plus the files a test page would fetch from the dev server (test/…).
import { readFile } from 'node:fs/promises';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

const ROOT = new URL('../', import.meta.url);

const devServerFiles = http.get('*/test/fixtures/:name', async ({ params }) => {
  const name = String(params.name);
  try {
    const body = await readFile(new URL(`test/fixtures/${name}`, ROOT));
    const type = name.endsWith('.ndjson') ? 'application/x-ndjson' : 'application/json';
    return new HttpResponse(body, { headers: { 'Content-Type': type } });
  } catch {
    return new HttpResponse(null, { status: 404 });
  }
});

export function setupWorker(...handlers) {
  const server = setupServer(devServerFiles, ...handlers);
  return {
    start: async (options = {}) => server.listen({ onUnhandledRequest: options.onUnhandledRequest }),
    stop: () => server.close(),
    use: (...more) => server.use(...more),
    resetHandlers: (...next) => server.resetHandlers(...next),
  };
}
