// Runs browser test files of DOM-free code (test/engine, and the store's endpoint and loader
// tests) under Node, for mocha and Stryker: TypeScript through tsx, '@open-wc/testing' as the
// chai it bundles, 'msw/browser' as msw/node, and the few page globals those files use.
// Use: node --import ./scripts/node-test-hooks.mjs …  (npm run mutate)
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { register as registerTsx } from 'tsx/esm/api';
import { fixtureResponse } from './node-test-fixtures.mjs';

// The tsconfig beside these scripts, whatever the process's directory: Stryker's test runner
// starts in the project, not in its sandbox, and a tsconfig whose `include` does not cover the
// sandbox's files would leave them without experimentalDecorators (Lit's @property then fails
// to load: "Unsupported decorator location: getter").
registerTsx({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
register('./node-test-resolve.mjs', import.meta.url);

// A page at http://ua-kit.test/: relative endpoints resolve against it, as in a browser.
globalThis.window ??= globalThis;
globalThis.location ??= new URL('http://ua-kit.test/');
// fetch('/test/fixtures/…') as a test page's: a relative URL resolves against the page, and the
// page's own fixtures come from the disk (msw, when a test file starts it, answers first).
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const relative = typeof input === 'string' && !URL.canParse(input);
  const url = relative ? new URL(input, globalThis.location.href) : input;
  if (url instanceof URL && url.origin === globalThis.location.origin) {
    const file = await fixtureResponse(url.pathname);
    if (file !== null) return file;
  }
  return nodeFetch(url, init);
};
// window's 'unhandledrejection' (test/store/guard.ts) as Node's process event; not in a worker
// thread, whose own addEventListener (the web-worker shim's) takes the page's messages.
const rejectionListeners = new Map();
if (isMainThread) {
  globalThis.addEventListener ??= (type, listener) => {
    if (type !== 'unhandledrejection') return;
    const onNode = (reason) => listener({ reason });
    rejectionListeners.set(listener, onNode);
    process.on('unhandledRejection', onNode);
  };
  globalThis.removeEventListener ??= (type, listener) => {
    if (type !== 'unhandledrejection') return;
    process.off('unhandledRejection', rejectionListeners.get(listener));
    rejectionListeners.delete(listener);
  };
}
