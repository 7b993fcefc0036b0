// Runs browser test files of DOM-free code (test/engine, and the store's endpoint and loader
// tests) under Node, for mocha and Stryker: TypeScript through tsx, '@open-wc/testing' as the
// chai it bundles, 'msw/browser' as msw/node, and the few page globals those files use.
// Use: node --import ./scripts/node-test-hooks.mjs …  (npm run mutate)
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./node-test-resolve.mjs', import.meta.url);

// A page at http://ua-kit.test/: relative endpoints resolve against it, as in a browser.
globalThis.window ??= globalThis;
globalThis.location ??= new URL('http://ua-kit.test/');
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
