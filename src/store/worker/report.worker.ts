/**
 * The report worker: fetches and parses events (or receives parsed columns), keeps the
 * columns, and computes Reports from them. A new range, day, app, time zone or merge gap is a
 * `compute` message: no re-fetch, no re-parse, nothing re-sent. Protocol: worker-protocol.ts.
 */
import { computeFromColumns } from '../../engine/compute.js';
import type { EventColumns } from '../../engine/types.js';
import { timeSpan, unpackColumns } from './columns-transfer.js';
import { StatusFailure, reasonOf } from '../errors.js';
import { loadEventsFromUrl, type EventsFormat } from '../events-loader.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import type { PageColumns } from './columns-message.js';
import { preloadColumnar, readColumnar } from './columnar.js';

let columns: EventColumns | null = null;
/** The job that loaded `columns`. */
let dataId = 0;
const loads = new Map<number, AbortController>();

function post(message: FromWorker): void {
  self.postMessage(message);
}

function fail(job: number, e: unknown): void {
  const status: [number, string] | undefined =
    e instanceof StatusFailure ? [e.status, e.statusText] : undefined;
  post({ type: 'error', job, reason: reasonOf(e), status });
}

function keep(job: number, cols: EventColumns): void {
  columns = cols;
  dataId = job;
  const { apps, diagnostics } = cols;
  post({ type: 'loaded', job, apps, diagnostics, span: timeSpan(cols) });
}

async function loadUrl(
  job: number,
  url: string,
  format: EventsFormat | null,
  timeout: number,
): Promise<void> {
  const controller = new AbortController();
  loads.set(job, controller);
  columns = null; // one data set at a time: let the old one go while the new one loads
  try {
    const cols = await loadEventsFromUrl(url, {
      timeout,
      format,
      readColumnar,
      preloadColumnar,
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', job, progress }),
    });
    if (!controller.signal.aborted) keep(job, cols);
  } catch (e) {
    if (!controller.signal.aborted) fail(job, e);
  } finally {
    loads.delete(job);
  }
}

/** Columns from the page, judged row by row as the JSON paths judge events. */
async function readBatch(job: number, batch: PageColumns): Promise<void> {
  columns = null;
  try {
    const { readPageColumns } = await import('./formats/page-columns.js');
    keep(job, readPageColumns(batch));
  } catch (e) {
    fail(job, e);
  }
}

function compute(job: number, data: number, options: Parameters<typeof computeFromColumns>[1]) {
  if (columns === null || data !== dataId) {
    fail(job, new Error('The events are no longer loaded'));
    return;
  }
  post({ type: 'progress', job, progress: { phase: 'compute', done: 0, total: null } });
  try {
    post({ type: 'report', job, report: computeFromColumns(columns, options) });
  } catch (e) {
    fail(job, e);
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'load-url':
      void loadUrl(message.job, message.url, message.format, message.timeout);
      break;
    case 'set-columns':
      try {
        keep(message.job, unpackColumns(message.columns));
      } catch (e) {
        fail(message.job, e);
      }
      break;
    case 'set-batch':
      void readBatch(message.job, message.batch);
      break;
    case 'compute':
      compute(message.job, message.data, message.options);
      break;
    case 'abort':
      loads.get(message.job)?.abort();
      break;
  }
});

post({ type: 'ready' });
