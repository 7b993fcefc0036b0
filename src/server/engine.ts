/// <reference types="node" />
import {
  defaultEnd,
  formatCivil,
  localDate,
  planPeriods,
  parseCivil,
  resolveOptions,
} from '../engine/index.js';
import { buildReport } from '../engine/compute.js';
import { type Diagnostics, type PeriodPlan, type Range, type Report } from '../engine/index.js';

export type AppKind = 'mini-program' | 'h5' | 'mini-game';

/** One app of `GET /api/apps` (SPEC §7). */
export interface AppEntry {
  id: string;
  name: string;
  kind?: AppKind;
}

/** A report request after validation: what an engine computes. */
export interface ReportQuery {
  range: Range;
  /** 'YYYY-MM-DD', already defaulted (T+1) and checked. */
  end: string;
  timeZone: string;
  /** null: every app. */
  app: string | null;
}

/**
 * What `ua-kit serve` needs from a database. Small on purpose: an engine loads rows, lists the
 * apps, answers a report, and closes. Every report equals computeReport over the same rows.
 */
export interface ReportEngine {
  /** Apps with events, or those it was given, in a stable order. */
  apps(): Promise<AppEntry[]>;
  report(query: ReportQuery): Promise<Report>;
  /**
   * Judges rows as SPEC §6 does and appends the good ones (on disk, when the engine keeps a
   * file, before the promise resolves). `earliest`: the first instant whose reports may have
   * changed (null when no row was accepted).
   */
  ingest(rows: ArrayLike<unknown>): Promise<Diagnostics & { earliest: number | null }>;
  /**
   * The time (epoch ms) of the latest event held, or null without events; the handler sends
   * the Report's `dataUpTo` from it (see dataUpTo). Optional: without it, no `dataUpTo`.
   */
  lastEventTime?(): Promise<number | null>;
  close(): Promise<void>;
}

/** Epoch ms a Date can hold (±100 000 000 days). */
const DATE_LIMIT = 8.64e15;

/**
 * The `dataUpTo` of a report in `timeZone` (README "Endpoint contract"): the last local day
 * on which the engine holds an event, but never after yesterday (data is T+1: today is not
 * complete); null without events.
 */
export function dataUpTo(last: number | null, now: number, timeZone: string): string | null {
  if (last === null || !Number.isFinite(last)) return null;
  const yesterday = defaultEnd(now, timeZone);
  if (last >= now || last >= DATE_LIMIT) return yesterday;
  if (last <= -DATE_LIMIT) return null;
  const day = formatCivil(localDate(last, timeZone));
  return day < yesterday ? day : yesterday;
}

/**
 * What a database answers for a report (DuckDB's four aggregations, ClickHouse's merged shard
 * partials): per-bucket sums over the timeline (the comparison window's buckets, then the
 * period's), and each window's distinct active users.
 */
export interface BucketSums {
  /** Buckets in the timeline. */
  n: number;
  newUsers: Float64Array;
  active: Float64Array;
  opens: Float64Array;
  pages: Float64Array;
  stayMs: Float64Array;
  /** Distinct active users of the comparison window and of the period. */
  windowActive: { previous: number; period: number };
}

/** Zeroed sums for `n` buckets. */
export function emptySums(n: number): BucketSums {
  const zeros = () => new Float64Array(n);
  return {
    n,
    newUsers: zeros(),
    active: zeros(),
    opens: zeros(),
    pages: zeros(),
    stayMs: zeros(),
    windowActive: { previous: 0, period: 0 },
  };
}

/** The period plan of a query, from the engine's planPeriods (bucket edges in epoch ms). */
export function planOf(query: ReportQuery): PeriodPlan {
  return planPeriods(query.range, parseCivil(query.end), query.timeZone);
}

/** Bucket starts of the comparison window, then the period's, then the period's end. */
export function timelineEdges(plan: PeriodPlan): number[] {
  return [...plan.previousBuckets, ...plan.buckets, plan.period.end];
}

/** The Report (SPEC §5) from a database's per-bucket sums, assembled by the engine's own code. */
export function reportFromSums(
  query: Pick<ReportQuery, 'app' | 'range' | 'end' | 'timeZone'>,
  plan: PeriodPlan,
  sums: BucketSums,
  diagnostics?: Diagnostics,
): Report {
  return buildReport(query, plan, sums, sums.windowActive, diagnostics);
}

/**
 * Checks report parameters as computeReport does (its RangeError names the option) and fills
 * the T+1 default end. Throws a RangeError whose message starts with the HTTP parameter's name
 * (`range`, `end`, `tz`).
 */
export function resolveQuery(
  params: { range?: string | null; end?: string | null; tz?: string | null; app?: string | null },
  now: number,
  defaultTimeZone: string,
): ReportQuery {
  /** A parameter left out or empty is its default. */
  const given = (v: string | null | undefined) =>
    v === undefined || v === null || v === '' ? undefined : v;
  const range = given(params.range);
  if (range !== undefined && !/^\d+$/.test(range)) {
    throw new RangeError(`range: expected 1, 7 or 30, got '${range}'`);
  }
  try {
    const opts = resolveOptions({
      range: (range === undefined ? 7 : Number(range)) as Range,
      end: given(params.end),
      timeZone: given(params.tz) ?? defaultTimeZone,
      now,
    });
    return {
      range: opts.range,
      end: opts.end,
      timeZone: opts.timeZone,
      app: given(params.app) ?? null,
    };
  } catch (error) {
    // The engine names its option timeZone; the HTTP parameter is tz.
    if (error instanceof RangeError && error.message.startsWith('timeZone:')) {
      throw new RangeError('tz:' + error.message.slice('timeZone:'.length));
    }
    throw error;
  }
}
