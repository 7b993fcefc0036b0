import type { MetricKey, Range, Report } from '../engine/types.js';
import type { ColumnBatch } from '../engine/parse-columns.js';
import type { EventsFormat } from './events-loader.js';

/** Progress of long work (docs/SPEC.md §8): `total` is null when unknown. */
export interface Progress {
  phase: 'load' | 'parse' | 'compute';
  done: number;
  total: number | null;
  /**
   * ua-kit, not in report-progress events: the whole load's fraction done (0–1) on its one
   * bar, which never goes back; null while it cannot be known. Set by the store (progress.ts).
   */
  overall?: number | null;
}

export type AppKind = 'mini-program' | 'h5' | 'mini-game';

/** One app as `GET {endpoint}/apps` lists it (docs/SPEC.md §7); in-browser mode has id = name. */
export interface AppInfo {
  id: string;
  name: string;
  kind?: AppKind;
}

/**
 * The state of one asynchronous value. While a reload is pending, or after it failed, the last
 * good value stays in `previous` so that widgets can show old numbers dimmed, not a blank.
 */
export type LoadState<T> =
  | { status: 'idle' }
  | { status: 'loading'; progress: Progress | null; previous?: T }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: string; previous?: T };

/**
 * The members of an apache-arrow `Table` that `columns` reads (the kit never imports
 * apache-arrow): the field names, and per column its chunks (`data`: one Data per record
 * batch) and `get(i)`, for types the worker does not read by itself.
 */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: ReadonlyArray<{ readonly name: string }> };
  getChild(
    name: string,
  ): { readonly data: ReadonlyArray<unknown>; get(index: number): unknown } | null;
}

/** Events as columns: typed arrays and dictionaries (ColumnBatch), or an Arrow Table. */
export type ColumnsInput = ColumnBatch | ArrowTableLike;

/** The first and last event time (epoch ms) of the events loaded in in-browser mode. */
export interface DataSpan {
  first: number;
  last: number;
}

/** The value a state holds: the ready one, else the last good one kept while loading or after an error. */
export function lastValue<T>(state: LoadState<T> | undefined): T | undefined {
  if (state?.status === 'ready') return state.value;
  if (state?.status === 'loading' || state?.status === 'error') return state.previous;
  return undefined;
}

/** What a store is asked to show. */
export interface StoreConfig {
  /** Base URL of the report endpoint (endpoint mode). */
  endpoint: string | null;
  /** URL of events: NDJSON, a JSON array, Arrow IPC or Parquet (in-browser mode). */
  eventsSrc: string | null;
  /** The format of `eventsSrc`; null: from its media type, extension or first bytes. */
  eventsFormat: EventsFormat | null;
  /** Events given directly (in-browser mode); wins over eventsSrc over endpoint. */
  events: readonly unknown[] | null;
  /**
   * Events as columns (in-browser mode), or an Arrow Table: read in the worker, their typed
   * arrays transferred (detached in the page). After `events`, before `eventsSrc`.
   */
  columns: ColumnsInput | null;
  app: string | null;
  range: Range;
  /** 'YYYY-MM-DD', or null for the T+1 default. */
  end: string | null;
  /** IANA name, or null for the browser's. */
  timeZone: string | null;
  /** Merge gap in seconds, or null for 30. */
  mergeGap: number | null;
  /** Endpoint timeout in ms. */
  timeout: number;
}

export const DEFAULT_CONFIG: StoreConfig = {
  endpoint: null,
  eventsSrc: null,
  eventsFormat: null,
  events: null,
  columns: null,
  app: null,
  range: 7,
  end: null,
  timeZone: null,
  mergeGap: null,
  timeout: 15_000,
};

export const DEFAULT_METRIC: MetricKey = 'activeUsers';

export type { MetricKey, Range, Report };
