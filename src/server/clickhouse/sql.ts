/**
 * The metric rules of SPEC §2–4 as one ClickHouse query, generated here and nowhere else: the
 * chDB engine, a ClickHouse server and every shard of a cluster run this same text. Every value
 * (app, bucket edges, merge gap, first-seen) goes in as a typed query parameter
 * (`{name:Type}`); database and table names as `{name:Identifier}` parameters. Nothing from a
 * request is ever spliced into the text.
 *
 * Sessionizing per user and stream (the app's events, or each app's, with the app-less ones as
 * the engine groups them) with array functions over the stream's events, sorted by
 * (time, kind) where kind is hide 0 < open 1 < page 2 (the engine's tie order). Rows of equal
 * (time, kind) are alike, so their order among themselves changes nothing. Then, in one pass:
 * - "In a segment" before an event is exactly "the previous event is not a hide": an open or a
 *   page leaves the stream in a segment, a hide (closing or stray) leaves it outside. So a
 *   segment starts at every open and at a page after a hide or at the stream's start (a lost
 *   open); a hide after a hide, or first, is stray and ignored.
 * - The running count of starts numbers the segments. A segment ends at its last event that is
 *   not a stray hide: its closing hide, else (a lost hide, or a second open next) its last
 *   open/page event, which is its start when it has no page (length 0).
 * - A segment starts a new open unless it begins less than `gap` ms after the previous
 *   segment's end (a gap of exactly `gap` starts a new one). An open's stay is the sum of its
 *   segments (a difference of running sums), its bucket that of its start.
 * The streams of a user are then gathered (first sighting, activity per bucket), so that every
 * row of the answer is a sum over users.
 *
 * Buckets are the engine's own period edges (planPeriods), passed as parameters: no time-zone
 * function runs in SQL, so DST days have the engine's 23 or 25 hours by construction. A time
 * finds its bucket in a lookup table over cells of equal length into which every bucket edge
 * falls (`lut[intDiv(t − s0, cell) + 1]`), or, when the edges have no such common cell of a
 * useful size, by counting the edges at or before it.
 *
 * The answer is partial sums, rows of (bucket, newUsers, activeUsers, opens, pageVisits,
 * stayMs), bucket −1 holding the comparison window's distinct active users and −2 the
 * period's. Every column is a sum over users (a stream never spans users), so partials of
 * shards that each hold whole users add up to the exact total (report.ts, mergePartials).
 */

/** The event table's columns, as the DDL creates them (ddl.ts) and the loaders fill them. */
export const EVENT_COLUMNS = [
  ['app', "String DEFAULT ''"],
  ['user', 'String'],
  ['time', 'Int64'],
  ['type', "Enum8('hide' = 0, 'open' = 1, 'page' = 2)"],
  ['page', "String DEFAULT ''"],
] as const;

/**
 * Beyond every window: epoch ms that stand for ±infinity. Times are clamped to ±2^59 ms (18
 * million years), so that (time + 2^60) × 4 + kind, one sortable Int64, holds time and kind.
 */
export const FAR = 2 ** 59;
/** The exact decimal texts of the constants (String(2 ** 59) would round). */
const FAR_SQL = (2n ** 59n).toString();
const SHIFT_SQL = (2n ** 60n).toString();

/** How a time finds its bucket: a lookup table (`lut`, `s0`, `cell`) or a count of `starts`. */
export type BucketLookup = 'table' | 'count';

/** Bucket index of time expression `t`, for a `t` inside the timeline. */
function bucketOf(t: string, lookup: BucketLookup): string {
  return lookup === 'table'
    ? `{lut:Array(Int32)}[intDiv(${t} - {s0:Int64}, {cell:Int64}) + 1]`
    : `toInt32(arrayCount(edge -> edge <= ${t}, {starts:Array(Int64)}) - 1)`;
}

/** `t` inside the timeline [first bucket start, period end). */
function inTimeline(t: string): string {
  return `(${t} >= {s0:Int64} AND ${t} < {timelineEnd:Int64})`;
}

/** The buckets of times `times` (an array expression) that are inside the timeline. */
function bucketsOf(times: string, lookup: BucketLookup): string {
  return `arrayMap(x -> ${bucketOf('x', lookup)}, arrayFilter(x -> ${inTimeline('x')}, ${times}))`;
}

/**
 * One stream's events in (time, kind) order: `ts` times, `ks` kinds. Sorting one Int64 key per
 * event is several times faster than sorting (time, kind) tuples.
 */
function streamsQuery(from: string): string {
  return `SELECT user,
      arraySort(groupArray((least(greatest(time, -${FAR_SQL}), ${FAR_SQL}) + ${SHIFT_SQL}) * 4
        + CAST(type, 'Int8'))) AS keys,
      arrayMap(x -> intDiv(x, 4) - ${SHIFT_SQL}, keys) AS ts,
      arrayMap(x -> toInt8(x % 4), keys) AS ks
    FROM ${from}
    WHERE {app:String} = '' OR app = {app:String} OR app = ''
    GROUP BY user, if({byApp:UInt8} = 1, app, '') AS stream`;
}

/** Per stream: its opens (start, stay), active and page-visit buckets, and first sighting. */
function sessionsQuery(from: string, lookup: BucketLookup): string {
  return `SELECT user,
      arrayPopBack(arrayPushFront(ks, toInt8(0))) AS prev,
      arrayMap((k, p) -> k = 1 OR (k = 2 AND p = 0), ks, prev) AS isStart,
      arrayMap((k, p) -> NOT (k = 0 AND p = 0), ks, prev) AS counted,
      arrayCumSum(isStart) AS seg,
      arrayFilter((t, s) -> s, ts, isStart) AS segStart,
      arrayFilter((t, c) -> c, ts, counted) AS countedTime,
      arrayFilter((s, c) -> c, seg, counted) AS countedSeg,
      arrayFilter((t, s, n) -> s != n, countedTime, countedSeg,
        arrayPopFront(arrayPushBack(countedSeg, toUInt64(0)))) AS segEnd,
      arrayMap((s, e, i) -> i = 1 OR s - e >= {gap:Float64},
        segStart, arrayPopBack(arrayPushFront(segEnd, toInt64(0))), arrayEnumerate(segStart)) AS isNew,
      arrayMap((s, e) -> e - s, segStart, segEnd) AS segStay,
      arrayCumSum(segStay) AS stayRun,
      arrayFilter((b, n) -> n, arrayMap((r, s) -> r - s, stayRun, segStay), isNew) AS stayBefore,
      arrayFilter((s, n) -> n, segStart, isNew) AS openStart,
      arrayMap((b, a) -> a - b, stayBefore, arrayPopFront(arrayPushBack(stayBefore, stayRun[-1]))) AS openStay,
      arrayFilter(o -> ${inTimeline('o.1')}, arrayZip(openStart, openStay)) AS opensIn,
      arrayZip(arrayMap(o -> ${bucketOf('o.1', lookup)}, opensIn), arrayMap(o -> o.2, opensIn)) AS opens,
      arrayDistinct(${bucketsOf('arrayFilter((t, k) -> k != 0, ts, ks)', lookup)}) AS active,
      ${bucketsOf('arrayFilter((t, k) -> k = 2, ts, ks)', lookup)} AS pages,
      if(arrayExists(k -> k != 0, ks), arrayFirst((t, k) -> k != 0, ts, ks), toInt64(${FAR_SQL})) AS firstAt
    FROM (${streamsQuery(from)})`;
}

/** Per user: the rows it adds, (bucket, newUsers, activeUsers, opens, pageVisits, stayMs). */
function usersQuery(from: string, lookup: BucketLookup): string {
  const row = (b: string, n: string, a: string, o: string, p: string, s: string) =>
    `(toInt32(${b}), toUInt64(${n}), toUInt64(${a}), toUInt64(${o}), toUInt64(${p}), toInt64(${s}))`;
  return `SELECT
      arrayDistinct(arrayFlatten(groupArray(active))) AS userActive,
      least(toFloat64(min(firstAt)), if(has({seenUsers:Array(String)}, user),
        {seenTimes:Array(Float64)}[indexOf({seenUsers:Array(String)}, user)], toFloat64(${FAR_SQL}))) AS seen,
      arrayConcat(
        arrayMap(b -> ${row('b', '0', '1', '0', '0', '0')}, userActive),
        arrayMap(b -> ${row('b', '0', '0', '0', '1', '0')}, arrayFlatten(groupArray(pages))),
        arrayMap(o -> ${row('o.1', '0', '0', '1', '0', 'o.2')}, arrayFlatten(groupArray(opens))),
        arrayFilter(r -> ${inTimeline('seen')}, [${row(bucketOf('toInt64(floor(seen))', lookup), '1', '0', '0', '0', '0')}]),
        arrayFilter(r -> arrayExists(b -> b < {split:Int32}, userActive), [${row('-1', '0', '1', '0', '0', '0')}]),
        arrayFilter(r -> arrayExists(b -> b >= {split:Int32}, userActive), [${row('-2', '0', '1', '0', '0', '0')}])
      ) AS adds
    FROM (${sessionsQuery(from, lookup)})
    GROUP BY user`;
}

/** The partial sums per bucket over `from`. */
function partialsQuery(from: string, lookup: BucketLookup): string {
  return `SELECT a.1 AS bucket, sum(a.2) AS newUsers, sum(a.3) AS activeUsers, sum(a.4) AS opens,
  sum(a.5) AS pageVisits, sum(a.6) AS stayMs
FROM (${usersQuery(from, lookup)})
ARRAY JOIN adds AS a
GROUP BY bucket`;
}

/** Where the events are read from, and how times find their buckets. */
export interface SqlSource {
  /**
   * The table is each shard's local table: the partials are computed on each shard by
   * `cluster({cluster:String}, view(…))` and summed by the node that received the query.
   */
  cluster?: boolean;
  /** Default 'table'; 'count' where the bucket edges have no common cell (report.ts decides). */
  lookup?: BucketLookup;
}

/**
 * The report query: partial sums per bucket (see the file's header). Parameters: database,
 * table (Identifier), app, byApp, gap, s0, cell, lut or starts, timelineEnd, split, seenUsers,
 * seenTimes, and cluster with `source.cluster`. Text only: the same for every request.
 */
export function reportSql(source: SqlSource = {}): string {
  const local = partialsQuery('{database:Identifier}.{table:Identifier}', source.lookup ?? 'table');
  if (!source.cluster) return local;
  return `SELECT bucket, sum(newUsers) AS newUsers, sum(activeUsers) AS activeUsers,
  sum(opens) AS opens, sum(pageVisits) AS pageVisits, sum(stayMs) AS stayMs
FROM cluster({cluster:String}, view(${local}))
GROUP BY bucket`;
}

/** The distinct app ids (not the empty one), sorted. Parameters: database, table. */
/** The time of the latest event (NULL without events). */
export function lastEventSql(): string {
  return `SELECT maxOrNull(time) AS last FROM {database:Identifier}.{table:Identifier}`;
}

export function appsSql(): string {
  return `SELECT DISTINCT app FROM {database:Identifier}.{table:Identifier} WHERE app != '' ORDER BY app`;
}
