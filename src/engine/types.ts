/** One raw tracking event (docs/SPEC.md §1). */
export interface UaEvent {
  /** Stable user or device id; a number is taken as its decimal string. */
  user: string | number;
  /** Epoch milliseconds, or an ISO-8601 date-time ending in 'Z' or ±hh:mm. */
  time: number | string;
  type: 'open' | 'page' | 'hide';
  /** App id; events without it belong to every app. */
  app?: string;
  /** Page path, informational. */
  page?: string;
}

export type MetricKey =
  | 'newUsers'
  | 'activeUsers'
  | 'opens'
  | 'pageVisits'
  | 'avgDurationPerOpen'
  | 'avgDurationPerUser'
  | 'avgOpensPerUser';

/** The seven metrics, in the order the product shows them. */
export const METRIC_KEYS: readonly MetricKey[] = [
  'newUsers',
  'activeUsers',
  'opens',
  'pageVisits',
  'avgDurationPerOpen',
  'avgDurationPerUser',
  'avgOpensPerUser',
];

export type Metrics = Record<MetricKey, number>;
export type Range = 1 | 7 | 30;
export type Granularity = 'hour' | 'day';

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

export type SeriesPoint = { start: number } & Metrics;

export interface Diagnostics {
  accepted: number;
  rejected: number;
  reasons: Record<string, number>;
}

export interface Report {
  app: string | null;
  range: Range;
  /** 'YYYY-MM-DD', the last local day of the period. */
  end: string;
  timeZone: string;
  granularity: Granularity;
  period: TimeWindow;
  previous: TimeWindow;
  totals: Metrics;
  previousTotals: Metrics;
  /** Integer percentages (docs/SPEC.md §4). */
  growth: Metrics;
  /** One point per bucket of the period, ascending, none missing. */
  series: SeriesPoint[];
  /**
   * ua-kit extension: one point per bucket of the comparison window, for the trend's
   * comparison overlay. `computeReport` fills it; an endpoint may leave it out.
   */
  previousSeries?: SeriesPoint[];
  diagnostics?: Diagnostics;
}

export interface ReportOptions {
  range: Range;
  /** Last local day of the period, 'YYYY-MM-DD'. Default: yesterday in `timeZone` (T+1). */
  end?: string;
  /** IANA time zone. Default: the runtime's. */
  timeZone?: string;
  /** App id; events of other apps are left out, events without an app belong to every app. */
  app?: string;
  /** Opens closer than this to the previous foreground segment's end merge. Default 30 000. */
  mergeGapMs?: number;
  /** User → epoch ms at which the user was first seen before these events. */
  firstSeen?: Record<string, number>;
  /** The clock, epoch ms, for the T+1 default of `end`. Default: Date.now(). */
  now?: number;
}

/** Event kinds as stored in columns. The numbers are also the order of equal-time events. */
export const KIND_HIDE = 0;
export const KIND_OPEN = 1;
export const KIND_PAGE = 2;

/**
 * Accepted events as columns: what the parser produces once and every report is computed
 * from. Typed arrays, so that a Web Worker can receive them by transfer.
 */
export interface EventColumns {
  /** Number of accepted events; the typed arrays may be longer. */
  length: number;
  /** Index into `users` per event. */
  user: Int32Array;
  /** Epoch ms per event (whole milliseconds). */
  time: Float64Array;
  /** KIND_HIDE / KIND_OPEN / KIND_PAGE per event. */
  kind: Uint8Array;
  /** 0 for an event without app, else 1 + index into `apps`. */
  app: Int32Array;
  /** Distinct user ids, as strings. */
  users: string[];
  /** Distinct app ids, in order of first appearance. */
  apps: string[];
  diagnostics: Diagnostics;
}
