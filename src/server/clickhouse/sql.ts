/**
 * The metric rules of SPEC §2–4 as one ClickHouse query, generated here and nowhere else: the
 * chDB engine, a ClickHouse server and every shard of a cluster run this same text. Every value
 * (app, bucket edges, merge gap, first-seen) goes in as a typed query parameter
 * (`{name:Type}`); database and table names as `{name:Identifier}` parameters. Nothing from a
 * request is ever spliced into the text.
 *
 * Sessionizing with window functions, per user and stream (the app, or one stream per user),
 * in (time, kind) order where kind is hide 0 < open 1 < page 2 (the engine's tie order):
 * - Equal (time, kind) rows are alike, so they are grouped first with their count `n` (pages
 *   count n visits; with a merge gap of 0, n equal opens are n opens, n − 1 of them empty). That
 *   makes the order total, so every window pass below sees the same order.
 * - "In a segment" before a row is exactly "the previous row is not a hide": an open or a page
 *   leaves the stream in a segment, a hide (closing or stray) leaves it outside. So a segment
 *   starts at every open and at a page after a hide or at the start (a lost open); a hide right
 *   after a non-hide closes its segment; any other hide is stray and ignored.
 * - The running count of starts numbers the segments. A segment ends at its closing hide, else
 *   (a lost hide, or a second open) at its last open/page event, which is its start when it has
 *   no page: length 0.
 * - A segment starts a new open unless it begins less than `gap` ms after the previous
 *   segment's end (a gap of exactly `gap` starts a new one). The running count of new opens
 *   numbers the opens; an open's stay is the sum of its segments, its bucket that of its start.
 *
 * Buckets are the engine's own period edges (planPeriods), passed as one array `starts` (the
 * comparison window's bucket starts, the period's, then the period's end): no time-zone
 * function runs in SQL, so DST days have the engine's 23 or 25 hours by construction.
 *
 * The answer is partial sums, rows of (bucket, newUsers, activeUsers, opens, pageVisits,
 * stayMs), bucket −1 holding the comparison window's distinct active users and −2 the
 * period's. Every column is a sum over users (a stream never spans users), so partials of
 * shards that each hold whole users add up to the exact total: see {@link mergePartials}.
 */

/** The event table's columns, as the DDL creates them (ddl.ts) and the loaders fill them. */
export const EVENT_COLUMNS = [
  ['app', "String DEFAULT ''"],
  ['user', 'String'],
  ['time', 'Int64'],
  ['type', "Enum8('hide' = 0, 'open' = 1, 'page' = 2)"],
  ['page', "String DEFAULT ''"],
] as const;

/** Beyond every window: epoch ms that stand for ±infinity (times are clamped to ±FAR). */
export const FAR = 2 ** 62;

/** Window of one stream in (time, kind) order. */
const STREAM = 'PARTITION BY user, stream ORDER BY time, kind';

/** The events of the report: the app's own and the app-less ones, as (user, stream, time, kind). */
function eventsCte(from: string): string {
  return `events AS (
    SELECT user, if({byApp:UInt8} = 1, app, '') AS stream, time, CAST(type, 'Int8') AS kind
    FROM ${from}
    WHERE {app:String} = '' OR app = {app:String} OR app = ''
  )`;
}

/** The CTEs of the sessionizing, from events to one row per open. */
const SESSION_CTES = `
  grouped AS (
    SELECT user, stream, time, kind, count() AS n
    FROM events GROUP BY user, stream, time, kind
  ),
  marked AS (
    SELECT *, lagInFrame(kind, 1, toInt8(0)) OVER (${STREAM} ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prevKind
    FROM grouped
  ),
  numbered AS (
    SELECT *,
      kind = 1 OR (kind = 2 AND prevKind = 0) AS isStart,
      kind = 0 AND prevKind != 0 AS isClose,
      sum(isStart) OVER (${STREAM} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS seg
    FROM marked
  ),
  segments AS (
    SELECT user, stream, seg,
      min(time) AS segStart,
      if(countIf(isClose) > 0, minIf(time, isClose), maxIf(time, kind != 0)) AS segEnd,
      if({gap:Float64} = 0, sumIf(n - 1, kind = 1), 0) AS emptyOpens
    FROM numbered WHERE seg > 0
    GROUP BY user, stream, seg
  ),
  chained AS (
    SELECT *,
      row_number() OVER w = 1 OR segStart - lagInFrame(segEnd, 1, toInt64(0)) OVER w >= {gap:Float64} AS isNew
    FROM segments
    WINDOW w AS (PARTITION BY user, stream ORDER BY seg ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
  ),
  linked AS (
    SELECT *, sum(isNew) OVER (PARTITION BY user, stream ORDER BY seg ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS openId
    FROM chained
  ),
  opens AS (
    SELECT min(segStart) AS start, sum(segEnd - segStart) AS stay, sum(emptyOpens) AS empty
    FROM linked GROUP BY user, stream, openId
  ),
  firsts AS (
    SELECT user, if(countIf(kind != 0) > 0, minIf(time, kind != 0), toInt64(${FAR})) AS t
    FROM events GROUP BY user
  )`;

/** Bucket index of time expression `t` in the timeline, −1 … length − 1 (only valid inside). */
function bucketOf(t: string): string {
  return `toInt32(arrayCount(x -> x <= ${t}, {starts:Array(Int64)}) - 1)`;
}

/** `t` inside the timeline [first start, period end). */
function inTimeline(t: string): string {
  return `${t} >= {starts:Array(Int64)}[1] AND ${t} < {starts:Array(Int64)}[-1]`;
}

/** The partial sums, one SELECT per kind of count, all of the same columns. */
const PARTIALS = `
  SELECT ${bucketOf('time')} AS bucket, toUInt64(0) AS newUsers, uniqExact(user) AS activeUsers,
    toUInt64(0) AS opens, countIf(kind = 2) AS pageVisits, toInt64(0) AS stayMs
  FROM events WHERE kind != 0 AND ${inTimeline('time')} GROUP BY bucket
  UNION ALL
  SELECT ${bucketOf('start')} AS bucket, toUInt64(0), toUInt64(0),
    toUInt64(count() + sum(empty)), toUInt64(0), toInt64(sum(stay))
  FROM opens WHERE ${inTimeline('start')} GROUP BY bucket
  UNION ALL
  SELECT ${bucketOf('seen')} AS bucket, toUInt64(count()), toUInt64(0), toUInt64(0), toUInt64(0), toInt64(0)
  FROM (
    SELECT least(t, if(has({seenUsers:Array(String)}, user),
      {seenTimes:Array(Int64)}[indexOf({seenUsers:Array(String)}, user)], t)) AS seen
    FROM firsts
  ) WHERE ${inTimeline('seen')} GROUP BY bucket
  UNION ALL
  SELECT if(time < {periodStart:Int64}, -1, -2) AS bucket, toUInt64(0), uniqExact(user),
    toUInt64(0), toUInt64(0), toInt64(0)
  FROM events WHERE kind != 0 AND ${inTimeline('time')} GROUP BY bucket`;

/** Where the events are read from: a table, or the shards' local tables of a cluster. */
export interface SqlSource {
  /**
   * A cluster name (from `remote_servers`): the partials are computed on each shard, over its
   * local table, by `cluster(…, view(…))`, and summed by the server that received the query.
   */
  cluster?: boolean;
}

/**
 * The report query: partial sums per bucket (see the file's header). Parameters: database,
 * table (Identifier), app, byApp, gap, starts, periodStart, seenUsers, seenTimes, and cluster
 * when `source.cluster`. Text only: the same for every request.
 */
export function reportSql(source: SqlSource = {}): string {
  const local = `WITH ${eventsCte('{database:Identifier}.{table:Identifier}')},${SESSION_CTES}
${PARTIALS}`;
  if (!source.cluster) return local;
  return `SELECT bucket, sum(newUsers) AS newUsers, sum(activeUsers) AS activeUsers,
  sum(opens) AS opens, sum(pageVisits) AS pageVisits, sum(stayMs) AS stayMs
FROM cluster({cluster:String}, view(${local}))
GROUP BY bucket`;
}

/** The distinct app ids (not the empty one), sorted. Parameters: database, table. */
export function appsSql(): string {
  return `SELECT DISTINCT app FROM {database:Identifier}.{table:Identifier} WHERE app != '' ORDER BY app`;
}
