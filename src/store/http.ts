import {
  LoadError,
  overNetwork,
  REASON_NOT_JSON,
  abortError,
  reasonTimeout,
  statusError,
} from './errors.js';

/** An abort signal for one request: fires when the caller aborts or when time runs out. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once the timer fired. */
  readonly timedOut: boolean;
  /** Starts the timer again (for an idle timeout while a body streams in). */
  reset(): void;
  /** Stops the timer and forgets the caller's signal. */
  clear(): void;
}

/** A Deadline of `timeout` ms (none when it is not a positive finite number). */
export function deadline(outer: AbortSignal, timeout: number): Deadline {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  // When reset() was last called: a chunk of a body only notes the time (re-arming a timer
  // per chunk cost ~100 ms of a 10 M-event download); the timer, when it fires, waits the rest.
  let last = performance.now();
  const onAbort = () => controller.abort();
  const start = (ms: number) => {
    if (!(timeout > 0 && Number.isFinite(timeout))) return;
    timer = setTimeout(() => {
      const idle = performance.now() - last;
      if (idle < timeout) return start(timeout - idle);
      timedOut = true;
      controller.abort();
    }, ms);
  };
  if (outer.aborted) controller.abort();
  else outer.addEventListener('abort', onAbort, { once: true });
  start(timeout);
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    reset() {
      last = performance.now();
    },
    clear() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs `work` under a Deadline and turns its failures into what the store shows: an
 * AbortError when the caller aborted, a LoadError "timed out after 15 s" when time ran out.
 */
export async function withDeadline<T>(
  outer: AbortSignal,
  timeout: number,
  work: (d: Deadline) => Promise<T>,
): Promise<T> {
  if (outer.aborted) throw abortError();
  const d = deadline(outer, timeout);
  try {
    return await work(d);
  } catch (e) {
    if (outer.aborted) throw abortError();
    if (d.timedOut) throw new LoadError(reasonTimeout(timeout));
    throw e;
  } finally {
    d.clear();
  }
}

/** fetch, with a network failure (a TypeError) turned into "Could not reach the server". */
export function fetchOrFail(url: string, init: RequestInit): Promise<Response> {
  return overNetwork(() => fetch(url, init));
}

/** Reads a body as text; a connection lost midway is a network failure. */
function readText(res: Response): Promise<string> {
  return overNetwork(() => res.text());
}

/** Checks the status of an answer that must carry a body: 2xx, and not 204 / 205. */
export function checkStatus(res: Response): void {
  if (!res.ok || res.status === 204 || res.status === 205) {
    throw statusError(res.status, res.statusText);
  }
}

/** GET `url` and parse it as JSON, within `timeout` ms for the whole answer. */
async function fetchJson(url: string, timeout: number, signal: AbortSignal): Promise<unknown> {
  return withDeadline(signal, timeout, async (d) => {
    const res = await fetchOrFail(url, {
      signal: d.signal,
      headers: { Accept: 'application/json' },
    });
    checkStatus(res);
    const text = await readText(res);
    if (text.trim() === '') throw new LoadError('The answer is empty');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new LoadError(REASON_NOT_JSON);
    }
  });
}

interface SharedRequest {
  promise: Promise<unknown>;
  controller: AbortController;
  users: number;
  settled: boolean;
}

const inflight = new Map<string, SharedRequest>();

/** Number of distinct requests in flight (for tests). */
export function inflightCount(): number {
  return inflight.size;
}

/**
 * GET `url` as JSON. Identical concurrent requests (same URL and timeout, from any number of
 * stores) share one fetch; it is aborted only when every caller has aborted. A settled request
 * is forgotten, so a later call (a Retry) fetches again.
 */
export function getJson(url: string, timeout: number, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.reject(abortError());
  const key = `${timeout} ${url}`;
  let shared = inflight.get(key);
  if (shared === undefined) {
    const controller = new AbortController();
    const entry: SharedRequest = {
      promise: fetchJson(url, timeout, controller.signal),
      controller,
      users: 0,
      settled: false,
    };
    const done = () => {
      entry.settled = true;
      if (inflight.get(key) === entry) inflight.delete(key);
    };
    entry.promise.then(done, done);
    inflight.set(key, entry);
    shared = entry;
  }
  const entry = shared;
  entry.users++;
  return new Promise((resolve, reject) => {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      signal.removeEventListener('abort', onAbort);
      entry.users--;
      if (entry.users === 0 && !entry.settled) {
        entry.controller.abort();
        if (inflight.get(key) === entry) inflight.delete(key);
      }
    };
    const onAbort = () => {
      release();
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    entry.promise.then(
      (value) => {
        release();
        resolve(value);
      },
      (error: unknown) => {
        release();
        reject(error);
      },
    );
  });
}
