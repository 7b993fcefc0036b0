// With node-test-hooks.mjs, for the worker side of the store under Node (npm run mutate --
// worker): a global Worker from the `web-worker` package (the Web Worker API over
// worker_threads; each worker thread loads node-test-hooks.mjs again, so TypeScript works
// there). Two things Stryker needs that the package does not do:
// - the mutant under test reaches the worker thread: Stryker switches mutants in this thread's
//   global (__stryker__.activeMutant), which a worker thread does not share, so each new
//   worker gets it through the environment variable that Stryker's instrumented code reads
//   at start-up (__STRYKER_ACTIVE_MUTANT__);
// - a worker's 'error' reaches the page as an ErrorEvent (with preventDefault and message),
//   as in a browser, not as the bare Error the package dispatches.
// Use: node --import ./scripts/node-test-hooks.mjs --import ./scripts/node-test-worker.mjs …
import { isMainThread } from 'node:worker_threads';
import WebWorker from 'web-worker';

const ACTIVE = '__STRYKER_ACTIVE_MUTANT__';

if (isMainThread && typeof globalThis.Worker === 'undefined') {
  globalThis.ErrorEvent ??= class ErrorEvent extends Event {
    constructor(type, init = {}) {
      super(type, { cancelable: true });
      this.message = init.message ?? '';
      this.error = init.error;
    }
  };

  globalThis.Worker = class Worker extends WebWorker {
    constructor(url, options) {
      const active = globalThis.__stryker__?.activeMutant;
      if (active === undefined) delete process.env[ACTIVE];
      else process.env[ACTIVE] = String(active);
      super(url, options);
    }

    addEventListener(type, listener) {
      if (type !== 'error') return super.addEventListener(type, listener);
      super.addEventListener(type, (error) =>
        listener(new ErrorEvent('error', { message: error?.message ?? String(error), error })),
      );
    }
  };
}
