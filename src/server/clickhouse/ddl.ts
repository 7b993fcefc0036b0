/**
 * The schema `ua-kit sql clickhouse` prints, and the one the tests and the chDB engine create.
 *
 * One MergeTree table ordered by (app, user, time), so that one user's stream of one app is
 * contiguous on disk and the report's windows read it in order, partitioned by (UTC) month so
 * that old months can be dropped or moved whole.
 *
 * On a cluster, that table is each shard's local table (`<table>_local`, created ON CLUSTER) and
 * `<table>` is a Distributed table over them, sharded by `cityHash64(user)`: every event of a user
 * lands on the same shard, so each stream, each user's first sighting and each user's
 * activity live on one shard. The report query then runs shard-local: `cluster(name, view(…))`
 * sends it to one replica of every shard, each computes partial sums over its local table, and
 * the node that received it adds them (or the server adds per-shard answers itself, with one
 * runner per shard). A Distributed table is not used for the report itself: window functions
 * over it would ship every raw event to one node. Each metric is an exact sum of the shards'
 * partials because each is a count or sum over users, and no user is on two shards: distinct
 * active users (per bucket and per window), new users, opens (an open never spans users), page
 * visits and stay. `optimize_distributed_group_by_sharding_key` would give the same for plain
 * GROUP BY user queries over the Distributed table, but not for the window functions here.
 */
import { EVENT_COLUMNS } from './sql.js';

export interface ClickHouseSchema {
  /** Default 'ua_kit'. */
  database?: string;
  /** Default 'events'. */
  table?: string;
  /** A cluster of `remote_servers`: also create the Distributed table, ON CLUSTER. */
  cluster?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `name` if it is a plain identifier; throws a RangeError naming `option` otherwise. */
export function checkIdentifier(name: string, option: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new RangeError(`${option}: expected letters, digits and '_', got '${name}'`);
  }
  return name;
}

/** The table of each shard that holds the rows: `table` itself, or `<table>_local` on a cluster. */
export function localTableOf(table: string, cluster?: string): string {
  return cluster === undefined ? table : `${table}_local`;
}

/** The shard key of the Distributed table. */
export const SHARD_KEY = 'cityHash64(user)';

/** The CREATE statements, each ending with ';', for a single server or a cluster. */
export function clickhouseDDL(schema: ClickHouseSchema = {}): string {
  const database = checkIdentifier(schema.database ?? 'ua_kit', 'database');
  const table = checkIdentifier(schema.table ?? 'events', 'table');
  const cluster =
    schema.cluster === undefined ? undefined : checkIdentifier(schema.cluster, 'cluster');
  const on = cluster === undefined ? '' : ` ON CLUSTER ${cluster}`;
  const local = localTableOf(table, cluster);
  const columns = EVENT_COLUMNS.map(([name, type]) => `  \`${name}\` ${type}`).join(',\n');
  const statements = [
    `CREATE DATABASE IF NOT EXISTS ${database}${on};`,
    `CREATE TABLE IF NOT EXISTS ${database}.${local}${on}
(
${columns}
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(toDateTime(intDiv(time, 1000), 'UTC'))
ORDER BY (app, user, time);`,
  ];
  if (cluster !== undefined) {
    statements.push(`CREATE TABLE IF NOT EXISTS ${database}.${table}${on}
AS ${database}.${local}
ENGINE = Distributed(${cluster}, ${database}, ${local}, ${SHARD_KEY});`);
  }
  return statements.join('\n\n') + '\n';
}

/** The statements of {@link clickhouseDDL} one by one (for a client that sends one at a time). */
export function ddlStatements(schema: ClickHouseSchema = {}): string[] {
  return clickhouseDDL(schema)
    .split(/;\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '');
}
