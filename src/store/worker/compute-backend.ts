import type { Diagnostics, EventColumns, Report, ReportOptions } from '../../engine/types.js';
import { packColumns, timeSpan } from './columns-transfer.js';
import {
  LoadError,
  abortError,
  statusError,
  throwIfAborted,
  withStatusSentence,
} from '../errors.js';
import { loadEventsFromUrl, type EventsFormat, type ReadColumnar } from '../events-loader.js';
import { Slicer, yieldToMain } from '../slicing.js';
import type { ColumnsInput, DataSpan, Progress } from '../types.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { configuredWorkerUrl } from '../worker-url.js';
import { ndjsonSink } from './formats/ndjson.js';

/** A data set that a backend holds: compute Reports from it by `id`. */
export interface LoadedData {
  id: number;
  apps: string[];
  diagnostics: Diagnostics;
  /** The first and last event time, or null without events. */
  span: DataSpan | null;
}

type OnProgress = (p: Progress) => void;

/** Where in-browser mode keeps its columns and computes: a Web Worker or the main thread. */
export interface ComputeBackend {
  readonly kind: 'worker' | 'main';
  /** True once it cannot work any more (crashed or disposed): make a new one. */
  readonly broken: boolean;
  /** Fetches and parses events from an absolute URL (format null: detected). */
  loadUrl(
    url: string,
    format: EventsFormat | null,
    timeout: number,
    onProgress: OnProgress,
    signal: AbortSignal,
  ): Promise<LoadedData>;
  /**
   * Reads events given as columns (`source.columns`: a ColumnBatch or an Arrow Table); a worker
   * takes their buffers by transfer. The main thread cannot (its reader would grow the kit):
   * it fails readably.
   */
  loadBatch(columns: ColumnsInput, signal: AbortSignal): Promise<LoadedData>;
  /** Takes parsed columns (a worker takes them by transfer: they are unusable afterwards). */
  loadColumns(cols: EventColumns, signal: AbortSignal): Promise<LoadedData>;
  compute(
    data: number,
    options: ReportOptions,
    onProgress: OnProgress,
    signal: AbortSignal,
  ): Promise<Report>;
  dispose(): void;
}

/** The worker could not start (its script failed to load or run): use the main thread. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

interface Job {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  onProgress: OnProgress | null;
}

/** Computes in a module Web Worker (report.worker.ts). */
export class WorkerBackend implements ComputeBackend {
  readonly kind = 'worker';
  private _broken = false;
  private started = false;
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private failStart!: (e: Error) => void;
  private nextJob = 1;
  private readonly jobs = new Map<number, Job>();

  /** Throws when no Worker can be constructed here (no Worker, or a CSP that forbids it). */
  constructor() {
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failStart = reject;
    });
    this.ready.catch(() => {}); // observed by the jobs that wait for it
    const configured = configuredWorkerUrl();
    // This exact form (options written out) lets bundlers emit the worker and web-test-runner
    // serve it as a module.
    this.worker = configured
      ? new Worker(configured, { type: 'module', name: 'ua-kit-report' })
      : new Worker(new URL('./report.worker.ts', import.meta.url), {
          type: 'module',
          name: 'ua-kit-report',
        });
    this.worker.addEventListener('message', this.onMessage);
    this.worker.addEventListener('error', this.onError);
    this.worker.addEventListener('messageerror', this.onError);
  }

  get broken(): boolean {
    return this._broken;
  }

  loadUrl(
    url: string,
    format: EventsFormat | null,
    timeout: number,
    onProgress: OnProgress,
    signal: AbortSignal,
  ) {
    return this.run<LoadedData>(signal, onProgress, (job) => {
      this.post({ type: 'load-url', job, url, format, timeout });
    });
  }

  async loadColumns(cols: EventColumns, signal: AbortSignal): Promise<LoadedData> {
    // Transfer only to a worker that runs: if it fails to start, the caller keeps the columns.
    await this.waitReady(signal);
    const { packed, transfer } = await packColumns(cols, new Slicer(yieldToMain, signal));
    throwIfAborted(signal);
    return this.run<LoadedData>(signal, null, (job) => {
      this.worker.postMessage({ type: 'set-columns', job, columns: packed } satisfies ToWorker, {
        transfer,
      });
    });
  }

  async loadBatch(columns: ColumnsInput, signal: AbortSignal): Promise<LoadedData> {
    await this.waitReady(signal);
    // Loaded with the first columns: the kit does not carry the Arrow Table adapter.
    const { columnsMessage } = await import('./columns-message.js');
    throwIfAborted(signal);
    const { batch, transfer } = columnsMessage(columns);
    return this.run<LoadedData>(signal, null, (job) => {
      this.worker.postMessage({ type: 'set-batch', job, batch } satisfies ToWorker, { transfer });
    });
  }

  compute(data: number, options: ReportOptions, onProgress: OnProgress, signal: AbortSignal) {
    return this.run<Report>(signal, onProgress, (job) => {
      this.post({ type: 'compute', job, data, options });
    });
  }

  dispose(): void {
    if (this._broken) return;
    this._broken = true;
    this.worker.terminate();
    this.failStart(abortError());
    this.rejectAll(abortError());
  }

  private async waitReady(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.started) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      this.ready.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** Starts a job; its answer settles the promise, an abort tells the worker to stop it. */
  private run<T>(
    signal: AbortSignal,
    onProgress: OnProgress | null,
    send: (job: number) => void,
  ): Promise<T> {
    if (this._broken) return Promise.reject(new LoadError('The background worker stopped'));
    if (signal.aborted) return Promise.reject(abortError());
    const job = this.nextJob++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.jobs.delete(job)) return;
        if (!this._broken) this.post({ type: 'abort', job });
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      this.jobs.set(job, {
        resolve: ((value: T) => {
          done();
          resolve(value);
        }) as (value: never) => void,
        reject: (error) => {
          done();
          reject(error);
        },
        onProgress,
      });
      send(job);
    });
  }

  private settle(jobId: number): Job | undefined {
    const job = this.jobs.get(jobId);
    this.jobs.delete(jobId);
    return job;
  }

  private readonly onMessage = (event: MessageEvent<FromWorker>): void => {
    const m = event.data;
    switch (m.type) {
      case 'ready':
        this.started = true;
        this.markReady();
        break;
      case 'progress':
        this.jobs.get(m.job)?.onProgress?.(m.progress);
        break;
      case 'loaded':
        this.settle(m.job)?.resolve({
          id: m.job,
          apps: m.apps,
          diagnostics: m.diagnostics,
          span: m.span,
        } as never);
        break;
      case 'report':
        this.settle(m.job)?.resolve(m.report as never);
        break;
      case 'error':
        this.settle(m.job)?.reject(
          m.status === undefined ? new LoadError(m.reason) : statusError(...m.status),
        );
        break;
    }
  };

  /**
   * An error before 'ready' means the worker could not start: WorkerStartError, and the store
   * goes on without it. After 'ready' the worker crashed: its jobs fail with a readable reason
   * and the backend is broken (a Retry makes a new one).
   */
  private readonly onError = (event: Event): void => {
    event.preventDefault();
    const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
    const error = this.started
      ? new LoadError(`The background computation stopped${detail}`)
      : new WorkerStartError(`The report worker could not start${detail}`);
    this._broken = true;
    this.worker.terminate();
    this.failStart(error);
    this.rejectAll(error);
  };

  private rejectAll(error: Error): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(error);
  }
}

/**
 * The main thread reads JSON and NDJSON only (with JSON.parse: the worker's readers are not
 * loaded here).
 */
const noColumnar: ReadColumnar = (format) =>
  format === 'ndjson'
    ? Promise.resolve(ndjsonSink())
    : Promise.reject(
        new LoadError(
          'Arrow and Parquet files are read in the background worker, which this page cannot start',
        ),
      );

/** Computes on the main thread, where no Worker can run. Loading and parsing still yield. */
export class MainThreadBackend implements ComputeBackend {
  readonly kind = 'main';
  private _broken = false;
  private columns: EventColumns | null = null;
  private dataId = 0;
  private nextId = 1;

  get broken(): boolean {
    return this._broken;
  }

  async loadUrl(
    url: string,
    format: EventsFormat | null,
    timeout: number,
    onProgress: OnProgress,
    signal: AbortSignal,
  ) {
    this.columns = null;
    const cols = await loadEventsFromUrl(url, {
      timeout,
      format,
      signal,
      onProgress,
      slicer: new Slicer(yieldToMain, signal),
      readColumnar: noColumnar,
    }).catch((e: unknown) => {
      throw withStatusSentence(e);
    });
    return this.keep(cols, signal);
  }

  async loadColumns(cols: EventColumns, signal: AbortSignal): Promise<LoadedData> {
    return this.keep(cols, signal);
  }

  async loadBatch(): Promise<LoadedData> {
    throw new LoadError(
      'Events as columns are read in the background worker, which this page cannot start',
    );
  }

  async compute(
    data: number,
    options: ReportOptions,
    onProgress: OnProgress,
    signal: AbortSignal,
  ): Promise<Report> {
    const columns = this.columns;
    if (columns === null || data !== this.dataId) {
      throw new LoadError('The events are no longer loaded');
    }
    onProgress({ phase: 'compute', done: 0, total: null });
    await yieldToMain(); // let the progress show before the one long step
    throwIfAborted(signal);
    // The engine's main-thread copy, loaded only here: with a worker, the worker has its own.
    const { computeFromColumns } = await import('../../engine/compute.js');
    throwIfAborted(signal);
    return computeFromColumns(columns, options);
  }

  dispose(): void {
    this._broken = true;
    this.columns = null;
  }

  private keep(cols: EventColumns, signal: AbortSignal): LoadedData {
    throwIfAborted(signal);
    this.columns = cols;
    this.dataId = this.nextId++;
    return {
      id: this.dataId,
      apps: cols.apps,
      diagnostics: cols.diagnostics,
      span: timeSpan(cols),
    };
  }
}
