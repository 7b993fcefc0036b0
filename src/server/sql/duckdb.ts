/**
 * The DuckDB SQL of `ua-kit serve`, all in one place: the tables, the sessionizing that turns a
 * stream of events into opens (SPEC §2), the first sightings, and the per-bucket sums of a
 * report (SPEC §3). Values reach these statements only as bound parameters ($name).
 *
 * Columns: u (user id), a (app id, 0 for none), t (epoch ms, whole, as DOUBLE: exact below
 * 2^53), k (0 hide, 1 open, 2 page — also the order of equal-time events).
 *
 * A "scope" is the set of streams a report reads: scope 0 is "no app filter" (each app's events
 * of a user are one stream and the app-less ones one more), scope A (an app id) is "app A"
 * (A's events and the app-less ones form one stream per user).
 */

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (id INTEGER, name VARCHAR);
CREATE TABLE IF NOT EXISTS apps (id INTEGER, name VARCHAR);
CREATE TABLE IF NOT EXISTS events (u INTEGER, a INTEGER, t DOUBLE, k UTINYINT);
CREATE TABLE IF NOT EXISTS dirty (u INTEGER);
CREATE TABLE IF NOT EXISTS opens (scope INTEGER, u INTEGER, start DOUBLE, stay DOUBLE);
CREATE TABLE IF NOT EXISTS firsts (scope INTEGER, u INTEGER, first DOUBLE);
`;

/**
 * The rows (u, sk, t, k) of one scope: sk is the stream of the user the row belongs to.
 * `$byApp` mirrors computeReport: without an app filter, the apps of a user are separate
 * streams, and the app-less events one more (SPEC §2), whenever the events hold an app. `users` limits to some users (the
 * dirty ones after an ingestion).
 */
function scopeRows(scope: 'all' | 'app', users: 'every' | 'dirty'): string {
  const onlyDirty = users === 'dirty' ? 'AND u IN (SELECT u FROM dirty)' : '';
  return scope === 'all'
    ? `SELECT u, CASE WHEN $byApp THEN a ELSE 0 END AS sk, t, k FROM events WHERE true ${onlyDirty}`
    : `SELECT u, 0 AS sk, t, k FROM events WHERE (a = $scope OR a = 0) ${onlyDirty}`;
}

/**
 * Opens of a scope (SPEC §2), as (u, start, stay):
 * - marked: each event with the kind of the event before it in its stream, order (t, k).
 * - seg: the events that make foreground segments: opens, pages, and a hide right after one
 *   (which ends the segment); a hide after a hide or at the start is ignored. An open starts
 *   a segment; so does a page right after a hide or at the start (an implicit segment).
 * - segments: numbered by a running count of starts; a segment lasts from its first event to
 *   its last (its closing hide, else its last page or open: a missing hide, or a second open).
 *   Rows of equal (t, k) are alike, but not their `starts`: of pages at one time right after a
 *   hide, the one lag() saw first starts the segment and the others do not. DuckDB's window
 *   sorts do not keep the order of equal keys from one sort to the next (threads, blocks), so
 *   the running count sorts a start first among its equals (starts DESC); without that, a
 *   non-start could land before it, stretch the previous segment up to that time and merge
 *   the two opens (fewer opens, background time counted as stay), now and then.
 * - An open is a run of segments each starting less than $gap ms after the previous one ended;
 *   its stay is the sum of its segments' lengths, and it belongs to the time it starts.
 */
export function opensSql(scope: 'all' | 'app', users: 'every' | 'dirty'): string {
  return `
WITH marked AS (
  SELECT u, sk, t, k, lag(k) OVER (PARTITION BY u, sk ORDER BY t, k) AS pk
  FROM (${scopeRows(scope, users)})
),
seg AS (
  SELECT u, sk, t, k,
    CASE WHEN k = 1 OR (k = 2 AND (pk IS NULL OR pk = 0)) THEN 1 ELSE 0 END AS starts
  FROM marked
  WHERE k <> 0 OR pk <> 0
),
numbered AS (
  SELECT u, sk, t,
    sum(starts) OVER (PARTITION BY u, sk ORDER BY t, k, starts DESC ROWS UNBOUNDED PRECEDING)
      AS segno
  FROM seg
),
segments AS (
  SELECT u, sk, segno, min(t) AS s_start, max(t) AS s_end
  FROM numbered GROUP BY u, sk, segno
),
merged AS (
  SELECT u, sk, segno, s_start, s_end,
    CASE WHEN s_start - lag(s_end) OVER (PARTITION BY u, sk ORDER BY segno) < $gap
      THEN 0 ELSE 1 END AS new_open
  FROM segments
),
numbered_opens AS (
  SELECT u, sk, s_start, s_end,
    sum(new_open) OVER (PARTITION BY u, sk ORDER BY segno ROWS UNBOUNDED PRECEDING) AS openno
  FROM merged
)
SELECT $scope AS scope, u, min(s_start) AS start, sum(s_end - s_start) AS stay
FROM numbered_opens GROUP BY u, sk, openno`;
}

/** First-ever open or page per user of a scope (SPEC §3 newUsers). */
export function firstsSql(scope: 'all' | 'app', users: 'every' | 'dirty'): string {
  return `SELECT $scope AS scope, u, min(t) AS first FROM (${scopeRows(scope, users)})
WHERE k <> 0 GROUP BY u`;
}

/**
 * Bucket index of each row of `rows` (a query with a column `time`), for a timeline whose
 * bucket starts and end are $edges (from the engine's planPeriods; bucket i is
 * [edges[i], edges[i + 1])), $first and $last its ends, $n its bucket count.
 * - 'near-uniform': every edge lies within half a step ($step ms) of first + i × step (days
 *   with a clock change, or hours away from one): the index is floor((t − first) / step),
 *   off by at most one, then corrected against the two edges around it. Plain arithmetic.
 * - 'any': an ASOF join with the edges (hours around a clock change).
 */
function bucketed(rows: string, mode: BucketMode): string {
  if (mode === 'any') {
    return `(SELECT r.*, b.i FROM (${rows}) r ASOF JOIN
      (SELECT unnest($edges) AS s, generate_subscripts($edges, 1) - 1 AS i) b ON r.time >= b.s)`;
  }
  return `(SELECT g.*, g.guess - (g.time < $edges[g.guess + 1])::INTEGER
        + (g.time >= $edges[g.guess + 2])::INTEGER AS i
    FROM (SELECT r.*, least(greatest(floor((r.time - $first) / $step), 0), $n - 1)::INTEGER AS guess
      FROM (${rows}) r) g)`;
}

export type BucketMode = 'near-uniform' | 'any';

const IN_TIMELINE = (column: string) => `${column} >= $first AND ${column} < $last`;
/** Events a scope reads: all for scope 0, else the app's and the app-less ones. */
const IN_SCOPE = `($scope = 0 OR e.a = $scope OR e.a = 0)`;

/** Opens starting in each bucket, with their stay (ms). */
export function bucketOpensSql(mode: BucketMode): string {
  const rows = `SELECT o.start AS time, o.stay FROM opens o
    WHERE o.scope = $scope AND ${IN_TIMELINE('o.start')}`;
  return `SELECT i, count(*) AS opens, sum(stay) AS stay FROM ${bucketed(rows, mode)} GROUP BY i`;
}

/**
 * Distinct active users and page visits in each bucket: per (bucket, user) first, then per
 * bucket (two plain GROUP BYs run faster in DuckDB than a grouped count(DISTINCT)).
 */
export function bucketActivitySql(mode: BucketMode): string {
  const rows = `SELECT e.u, e.k, e.t AS time FROM events e
    WHERE e.k <> 0 AND ${IN_SCOPE} AND ${IN_TIMELINE('e.t')}`;
  return `SELECT i, count(*) AS active, sum(pages) AS pages FROM (
    SELECT i, u, count(*) FILTER (WHERE k = 2) AS pages FROM ${bucketed(rows, mode)} GROUP BY i, u
  ) GROUP BY i`;
}

/** New users per bucket: first sightings that fall in it. */
export function bucketNewUsersSql(mode: BucketMode): string {
  const rows = `SELECT f.first AS time FROM firsts f
    WHERE f.scope = $scope AND ${IN_TIMELINE('f.first')}`;
  return `SELECT i, count(*) AS new_users FROM ${bucketed(rows, mode)} GROUP BY i`;
}

/** Distinct active users of the comparison window and of the period ($split: its start). */
export const WINDOW_ACTIVITY = `SELECT
  count(DISTINCT e.u) FILTER (WHERE e.t < $split) AS previous,
  count(DISTINCT e.u) FILTER (WHERE e.t >= $split) AS period
FROM events e WHERE e.k <> 0 AND ${IN_SCOPE} AND ${IN_TIMELINE('e.t')}`;
