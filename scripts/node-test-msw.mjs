// 'msw/browser' for the store's tests under Node (scripts/node-test-hooks.mjs maps it here):
// setupWorker() as msw/node's setupServer(), which answers the page's fetch in-process instead
// of a service worker, plus the files a test page would fetch from the dev server (test/…).
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { fixtureResponse } from './node-test-fixtures.mjs';

const devServerFiles = http.get('*/test/fixtures/*', async ({ request }) =>
  fixtureResponse(new URL(request.url).pathname),
);

export function setupWorker(...handlers) {
  const server = setupServer(devServerFiles, ...handlers);
  return {
    start: async (options = {}) =>
      server.listen({ onUnhandledRequest: options.onUnhandledRequest }),
    stop: () => server.close(),
    use: (...more) => server.use(...more),
    resetHandlers: (...next) => server.resetHandlers(...next),
  };
}
