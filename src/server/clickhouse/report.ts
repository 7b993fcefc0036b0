/**
 * A Report from ClickHouse: the engine's own periods, growth and rounding around the partial
 * sums of sql.ts, so that the numbers equal computeReport over the same rows (counts exactly,
 * averages within 1e-9 relative).
 */
import { resolveOptions, type ResolvedOptions } from '../../engine/compute.js';
import { parseCivil, planPeriods, type PeriodPlan } from '../../engine/periods.js';
import type { Diagnostics, Report, ReportOptions } from '../../engine/types.js';
import { emptySums, reportFromSums, type BucketSums } from '../engine.js';
import { localTableOf } from './ddl.js';
import { appsSql, FAR, lastEventSql, reportSql, type BucketLookup } from './sql.js';

/** Query parameters by name, typed in the SQL text (`{name:Type}`). */
export type QueryParams = Record<string, string | number | readonly (string | number)[]>;
/** One row of a JSON answer (ClickHouse sends 64-bit integers as strings). */
export type Row = Record<string, unknown>;
/** Runs one query with bound parameters; resolves to its rows. */
export type RunQuery = (sql: string, params: QueryParams) => Promise<Row[]>;

/** Where the events are. */
export interface ClickHouseTarget {
  database: string;
  table: string;
  /**
   * With a cluster name, the table is each shard's local MergeTree table and the query is
   * sent once, computed shard-locally by `cluster(name, view(…))` and summed by ClickHouse.
   */
  cluster?: string;
}

/** The most cells of a bucket lookup table (61 days of 15-min cells is 5 856). */
const MAX_CELLS = 20_000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * How times find their buckets among the timeline's edges `edges` (bucket starts, then the
 * period's end): a lookup table over the largest cell that every edge falls on, or a count.
 */
export function bucketLookup(edges: readonly number[]): {
  lookup: BucketLookup;
  params: QueryParams;
} {
  const s0 = edges[0];
  let cell = 0;
  for (const edge of edges) cell = gcd(cell, edge - s0);
  const cells = cell > 0 ? (edges[edges.length - 1] - s0) / cell : Infinity;
  if (!(cells <= MAX_CELLS)) return { lookup: 'count', params: { starts: edges } };
  const lut: number[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    for (let c = (edges[i] - s0) / cell; c < (edges[i + 1] - s0) / cell; c++) lut.push(i);
  }
  return { lookup: 'table', params: { cell, lut } };
}

/** The report query's parameters for `opts`, and how its buckets are found. */
export function reportQuery(
  opts: ResolvedOptions,
  plan: PeriodPlan,
  apps: readonly string[],
  target: ClickHouseTarget,
): { sql: string; params: QueryParams } {
  const seenUsers: string[] = [];
  const seenTimes: number[] = [];
  for (const user of Object.keys(opts.firstSeen ?? {})) {
    const seen: unknown = opts.firstSeen![user];
    if (typeof seen !== 'number' || Number.isNaN(seen)) continue; // the engine ignores those
    seenUsers.push(user);
    seenTimes.push(Math.max(-FAR, Math.min(FAR, seen)));
  }
  const edges = [...plan.previousBuckets, ...plan.buckets, plan.period.end];
  const { lookup, params: lookupParams } = bucketLookup(edges);
  const params: QueryParams = {
    database: target.database,
    table: localTableOf(target.table, target.cluster),
    app: opts.app ?? '',
    // Without a filter each app is its own stream, and the app-less events one more (SPEC §2);
    // with no app in the data, one stream per user either way.
    byApp: opts.app === null && apps.length > 0 ? 1 : 0,
    gap: opts.mergeGapMs,
    s0: edges[0],
    timelineEnd: plan.period.end,
    split: plan.previousBuckets.length,
    ...lookupParams,
    seenUsers,
    seenTimes,
  };
  if (target.cluster !== undefined) params.cluster = target.cluster;
  return { sql: reportSql({ cluster: target.cluster !== undefined, lookup }), params };
}

/** Adds the partial rows of one or more shards (bucket −1/−2: the windows' active users). */
export function mergePartials(rows: Iterable<Row>, buckets: number): BucketSums {
  const p = emptySums(buckets);
  for (const row of rows) {
    const b = Number(row.bucket);
    if (b === -1) p.windowActive.previous += Number(row.activeUsers);
    else if (b === -2) p.windowActive.period += Number(row.activeUsers);
    else if (b >= 0 && b < buckets) {
      p.newUsers[b] += Number(row.newUsers);
      p.active[b] += Number(row.activeUsers);
      p.opens[b] += Number(row.opens);
      p.pages[b] += Number(row.pageVisits);
      p.stayMs[b] += Number(row.stayMs);
    } else throw new Error(`ClickHouse answered a bucket out of range: ${String(row.bucket)}`);
  }
  return p;
}

/** The distinct app ids in the events (of every shard), sorted. */
export async function clickhouseApps(
  runs: RunQuery | readonly RunQuery[],
  target: ClickHouseTarget,
): Promise<string[]> {
  const shards = Array.isArray(runs) ? runs : [runs as RunQuery];
  const params = { database: target.database, table: target.table };
  const answers = await Promise.all(shards.map((run) => run(appsSql(), params)));
  const apps = new Set<string>();
  for (const rows of answers) for (const row of rows) apps.add(String(row.app));
  return [...apps].sort();
}

/** The time (epoch ms) of the latest event of every shard, or null without events. */
export async function clickhouseLastEventTime(
  runs: RunQuery | readonly RunQuery[],
  target: ClickHouseTarget,
): Promise<number | null> {
  const shards = Array.isArray(runs) ? runs : [runs as RunQuery];
  const params = { database: target.database, table: target.table };
  const answers = await Promise.all(shards.map((run) => run(lastEventSql(), params)));
  const times = answers
    .flat()
    .map((row) => row.last)
    .filter((t) => t !== null && t !== undefined);
  return times.length === 0 ? null : Math.max(...times.map(Number));
}

export interface ClickHouseReportOptions {
  /** Passed on as the Report's diagnostics (the chDB engine's parse of its file). */
  diagnostics?: Diagnostics;
  /** The distinct app ids, when the caller knows them already (else one query asks). */
  apps?: readonly string[];
}

/**
 * The Report of SPEC §5 computed by ClickHouse. `runs` is one runner (a server, chDB, or a
 * cluster's entry node with `target.cluster`), or one runner per shard, whose partials are
 * merged here: with events sharded by user each metric is an exact sum of the shards'.
 * Bad options throw the engine's RangeError before any query.
 */
export async function clickhouseReport(
  runs: RunQuery | readonly RunQuery[],
  options: ReportOptions,
  target: ClickHouseTarget,
  extra: ClickHouseReportOptions = {},
): Promise<Report> {
  const opts = resolveOptions(options);
  const plan = planPeriods(opts.range, parseCivil(opts.end), opts.timeZone);
  const shards = Array.isArray(runs) ? runs : [runs as RunQuery];
  const apps = extra.apps ?? (opts.app === null ? await clickhouseApps(shards, target) : []);
  const { sql, params } = reportQuery(opts, plan, apps, target);
  const answers = await Promise.all(shards.map((run) => run(sql, params)));
  const buckets = plan.previousBuckets.length + plan.buckets.length;
  const p = mergePartials(answers.flat(), buckets);
  return reportFromSums(opts, plan, p, extra.diagnostics);
}
