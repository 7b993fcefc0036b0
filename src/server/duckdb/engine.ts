/// <reference types="node" />
import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  LIST,
  UTINYINT,
  VARCHAR,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  EventParser,
  type Diagnostics,
  type EventColumns,
  type Report,
} from '../../engine/index.js';
import { ColumnarEventParser } from '../../engine/parse-columns.js';
import type { ColumnBatch } from '../columns.js';
import { Queue } from '../queue.js';
import {
  emptySums,
  planOf,
  reportFromSums,
  timelineEdges,
  type AppEntry,
  type ReportEngine,
  type ReportQuery,
} from '../engine.js';
import {
  SCHEMA,
  WINDOW_ACTIVITY,
  bucketActivitySql,
  bucketNewUsersSql,
  bucketOpensSql,
  firstsSql,
  opensSql,
  type BucketMode,
} from '../sql/duckdb.js';
import { ingestBatches } from '../load.js';
import { duckdbParquetBatches } from './parquet.js';

export interface DuckDBEngineOptions {
  /** Database file; default in memory. */
  db?: string;
  /** Apps to list (and to answer reports for) even without events, with names and kinds. */
  apps?: AppEntry[];
  /** SPEC §2 merge gap, default 30 000 ms. */
  mergeGapMs?: number;
}

type Params = Record<string, DuckDBValue>;

/** Parameter types the statements use; values are always bound, never spliced. */
const TYPES: Record<string, DuckDBType> = {
  scope: INTEGER,
  gap: DOUBLE,
  byApp: BOOLEAN,
  edges: LIST(DOUBLE),
  first: DOUBLE,
  last: DOUBLE,
  split: DOUBLE,
  step: DOUBLE,
  n: INTEGER,
};

/**
 * How the SQL may place times in buckets: by arithmetic when every edge lies within half a
 * step of where equal steps would put it (see bucketed() in ../sql/duckdb.ts), else by a join.
 */
function bucketModeOf(edges: number[], step: number): BucketMode {
  const first = edges[0];
  const near = edges.every((e, i) => Math.abs(e - (first + i * step)) < step / 2);
  return near ? 'near-uniform' : 'any';
}

function typesOf(params: Params): Record<string, DuckDBType> {
  const types: Record<string, DuckDBType> = {};
  for (const key of Object.keys(params)) types[key] = TYPES[key];
  return types;
}

const CHUNK = 2048;
const EVENT_TYPES = [INTEGER, INTEGER, DOUBLE, UTINYINT];

/**
 * The embedded default engine of `ua-kit serve`. Rows are judged by the engine's own parser
 * (SPEC §6) and appended as integer ids; the database sessionizes every stream once into an
 * `opens` table and the first sightings into `firsts` (SQL in ../sql/duckdb.ts), so that a
 * report is four aggregations over the timeline. Ingested rows mark their users dirty; their
 * derived rows are recomputed before the next report.
 */
export class DuckDBEngine implements ReportEngine {
  private readonly userIds = new Map<string, number>();
  /** Per user id, the time of the user's earliest event (what an ingestion can change is later). */
  private readonly firstTime: number[] = [];
  private readonly appIds = new Map<string, number>();
  private readonly appNames: string[] = [];
  private readonly queue = new Queue();
  /** Whether the events hold more than one app (computeReport's own streams rule). */
  private byApp = false;
  private needsRebuild = true;
  private hasDirty = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly write: DuckDBConnection,
    private readonly reads: DuckDBConnection[],
    private readonly listed: AppEntry[] | null,
    private readonly gap: number,
  ) {}

  static async open(options: DuckDBEngineOptions = {}): Promise<DuckDBEngine> {
    const instance = await DuckDBInstance.create(options.db ?? ':memory:');
    const write = await instance.connect();
    const reads = await Promise.all([0, 1, 2, 3].map(() => instance.connect()));
    const engine = new DuckDBEngine(
      instance,
      write,
      reads,
      options.apps ?? null,
      options.mergeGapMs ?? 30_000,
    );
    await engine.start();
    return engine;
  }

  /** Creates the tables, reads the dictionaries back (a database file kept from before). */
  private async start(): Promise<void> {
    await this.write.run(SCHEMA);
    for (const row of await this.rows('SELECT id, name FROM users ORDER BY id')) {
      this.userIds.set(String(row.name), Number(row.id));
    }
    for (const row of await this.rows('SELECT u, min(t) AS m FROM events GROUP BY u')) {
      this.firstTime[Number(row.u)] = Number(row.m);
    }
    for (const row of await this.rows('SELECT id, name FROM apps ORDER BY id')) {
      this.appIds.set(String(row.name), Number(row.id));
      this.appNames[Number(row.id)] = String(row.name);
    }
    const listed = (this.listed ?? []).map((a) => a.id);
    const added = this.internApps(listed);
    if (added.length > 0) await this.appendApps(added);
  }

  private async rows(sql: string, params?: Params, conn = this.write) {
    const reader = await conn.runAndReadAll(sql, params, params && typesOf(params));
    return reader.getRowObjectsJS();
  }

  /** New app names get the next ids; returns the [id, name] pairs that are new. */
  private internApps(names: string[]): Array<[number, string]> {
    const added: Array<[number, string]> = [];
    for (const name of names) {
      if (this.appIds.has(name)) continue;
      const id = this.appNames.length === 0 ? 1 : this.appNames.length;
      this.appIds.set(name, id);
      this.appNames[id] = name;
      added.push([id, name]);
    }
    return added;
  }

  private async appendApps(added: Array<[number, string]>): Promise<void> {
    await this.appendRows(
      'apps',
      [INTEGER, VARCHAR],
      [added.map((a) => a[0]), added.map((a) => a[1])],
    );
  }

  private async appendRows(
    table: string,
    types: DuckDBType[],
    columns: Array<DuckDBValue[] | Int32Array | Float64Array | Uint8Array>,
  ): Promise<void> {
    const appender = await this.write.createAppender(table);
    const chunk = DuckDBDataChunk.create(types, CHUNK);
    const n = columns[0].length;
    // A chunk's values: a view of a typed array (setColumns reads any array-like), a slice else.
    const part = (c: (typeof columns)[number], i: number, to: number) =>
      (ArrayBuffer.isView(c) ? c.subarray(i, to) : c.slice(i, to)) as DuckDBValue[];
    for (let i = 0; i < n; i += CHUNK) {
      const to = Math.min(n, i + CHUNK);
      chunk.rowCount = to - i;
      chunk.setColumns(columns.map((c) => part(c, i, to)));
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  }

  /** Events in the database (a kept --db file may already hold some). */
  async eventCount(): Promise<number> {
    const [row] = await this.rows('SELECT count(*) AS n FROM events');
    return Number(row.n);
  }

  async lastEventTime(): Promise<number | null> {
    const [row] = await this.rows('SELECT max(t) AS last FROM events');
    return row.last === null ? null : Number(row.last);
  }

  async apps(): Promise<AppEntry[]> {
    if (this.listed !== null) return this.listed.map((a) => ({ ...a }));
    const rows = await this.rows('SELECT DISTINCT a FROM events WHERE a <> 0 ORDER BY a');
    return rows.map((r) => {
      const id = this.appNames[Number(r.a)];
      return { id, name: id };
    });
  }

  ingest(rows: ArrayLike<unknown>): Promise<Diagnostics & { earliest: number | null }> {
    const parser = new EventParser(rows.length);
    parser.addRange(rows);
    const cols = parser.finish();
    return this.queue.run(() => this.append(cols));
  }

  /** A batch of columns (Parquet, Arrow), judged as ingest judges the same rows. */
  ingestColumns(batch: ColumnBatch): Promise<Diagnostics & { earliest: number | null }> {
    const parser = new ColumnarEventParser(batch.length);
    parser.addColumns(batch);
    const cols = parser.finish();
    return this.queue.run(() => this.append(cols));
  }

  /**
   * Loads a Parquet file read by this DuckDB (`read_parquet`, streamed over a connection of its
   * own), batch by batch, each judged by the engine's columnar parser.
   */
  async loadNative(path: string, format: 'parquet' | 'arrow'): Promise<Diagnostics | null> {
    if (format !== 'parquet') return null; // Arrow: apache-arrow's batches, through ingestColumns
    const conn = await this.instance.connect();
    try {
      return await ingestBatches(this, duckdbParquetBatches(conn, path));
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Appends judged rows in one transaction: the events, new users and apps, and the users to
   * recompute. DuckDB syncs its log at commit, so a file database has every accepted row once
   * this resolves.
   */
  private async append(cols: EventColumns): Promise<Diagnostics & { earliest: number | null }> {
    const n = cols.length;
    if (n === 0) return { ...cols.diagnostics, earliest: null };
    const newUsers: Array<[number, string]> = [];
    const userMap = cols.users.map((name) => {
      let id = this.userIds.get(name);
      if (id === undefined) {
        id = this.userIds.size;
        this.userIds.set(name, id);
        newUsers.push([id, name]);
      }
      return id;
    });
    const newApps = this.internApps(cols.apps);
    const appMap = [0, ...cols.apps.map((name) => this.appIds.get(name)!)];
    // Typed arrays: no JS array of numbers per column (and its garbage) per batch.
    const u = new Int32Array(n);
    const a = new Int32Array(n);
    const t = cols.time.subarray(0, n);
    const k = cols.kind.subarray(0, n);
    let earliest = Infinity;
    for (let i = 0; i < n; i++) {
      u[i] = userMap[cols.user[i]];
      a[i] = appMap[cols.app[i]];
    }
    const batchUsers = [...new Set(u)];
    await this.write.run('BEGIN TRANSACTION');
    try {
      await this.appendRows('events', EVENT_TYPES, [u, a, t, k]);
      if (newUsers.length > 0) {
        await this.appendRows(
          'users',
          [INTEGER, VARCHAR],
          [newUsers.map((x) => x[0]), newUsers.map((x) => x[1])],
        );
      }
      if (newApps.length > 0) await this.appendApps(newApps);
      if (!this.needsRebuild) await this.appendRows('dirty', [INTEGER], [batchUsers]);
      await this.write.run('COMMIT');
    } catch (error) {
      await this.write.run('ROLLBACK');
      throw error;
    }
    const first = this.firstTime;
    for (let i = 0; i < n; i++) if (!(first[u[i]] <= t[i])) first[u[i]] = t[i];
    // The earliest event of the batch's users: no report of a period before it can change.
    for (const user of batchUsers) earliest = Math.min(earliest, first[user]);
    if (newApps.length > 0) this.needsRebuild = true;
    else this.hasDirty = true;
    return { ...cols.diagnostics, earliest: this.needsRebuild ? -Infinity : earliest };
  }

  /** Recomputes the derived tables: all of them, or the dirty users' rows. */
  private async refresh(): Promise<void> {
    if (!this.needsRebuild && !this.hasDirty) return;
    const [row] = await this.rows('SELECT count(DISTINCT a) AS n FROM events WHERE a <> 0');
    const byApp = Number(row.n) > 0;
    const users = this.needsRebuild || byApp !== this.byApp ? 'every' : 'dirty';
    this.byApp = byApp;
    const where = users === 'every' ? '' : ' WHERE u IN (SELECT u FROM dirty)';
    await this.write.run('BEGIN TRANSACTION');
    try {
      await this.write.run('DELETE FROM opens' + where);
      await this.write.run('DELETE FROM firsts' + where);
      const scopes: Array<['all' | 'app', Params]> = [['all', { scope: 0, gap: this.gap, byApp }]];
      for (let id = 1; id < this.appNames.length; id++)
        scopes.push(['app', { scope: id, gap: this.gap }]);
      for (const [scope, params] of scopes) {
        await this.rows(`INSERT INTO opens ${opensSql(scope, users)}`, params);
        const firstParams: Params = { scope: params.scope };
        if (scope === 'all') firstParams.byApp = byApp;
        await this.rows(`INSERT INTO firsts ${firstsSql(scope, users)}`, firstParams);
      }
      await this.write.run('DELETE FROM dirty');
      await this.write.run('COMMIT');
    } catch (error) {
      await this.write.run('ROLLBACK');
      throw error;
    }
    this.needsRebuild = false;
    this.hasDirty = false;
  }

  /** Sessionizes every stream now (after the initial load) rather than at the first report. */
  prepare(): Promise<void> {
    return this.queue.run(() => this.refresh());
  }

  async report(query: ReportQuery): Promise<Report> {
    await this.queue.run(() => this.refresh());
    const plan = planOf(query);
    const edges = timelineEdges(plan);
    const sums = emptySums(edges.length - 1);
    const scope = query.app === null ? 0 : this.appIds.get(query.app);
    if (scope === undefined) throw new RangeError(`app: unknown app '${query.app}'`);
    const range: Params = { first: edges[0], last: edges[edges.length - 1] };
    const step = plan.granularity === 'hour' ? 3_600_000 : 86_400_000;
    const mode = bucketModeOf(edges, step);
    const bucketed: Params = { scope, edges: listValue(edges), ...range };
    if (mode === 'near-uniform') Object.assign(bucketed, { step, n: edges.length - 1 });
    const [opens, activity, windows, firsts] = await Promise.all([
      this.rows(bucketOpensSql(mode), bucketed, this.reads[0]),
      this.rows(bucketActivitySql(mode), bucketed, this.reads[1]),
      this.rows(WINDOW_ACTIVITY, { scope, split: plan.period.start, ...range }, this.reads[2]),
      this.rows(bucketNewUsersSql(mode), bucketed, this.reads[3]),
    ]);
    for (const r of opens) {
      sums.opens[Number(r.i)] = Number(r.opens);
      sums.stayMs[Number(r.i)] = Number(r.stay);
    }
    for (const r of activity) {
      sums.active[Number(r.i)] = Number(r.active);
      sums.pages[Number(r.i)] = Number(r.pages);
    }
    for (const r of firsts) sums.newUsers[Number(r.i)] = Number(r.new_users);
    sums.windowActive.previous = Number(windows[0].previous);
    sums.windowActive.period = Number(windows[0].period);
    return reportFromSums(query, plan, sums);
  }

  async close(): Promise<void> {
    await this.queue.run(async () => {
      for (const c of [this.write, ...this.reads]) c.closeSync();
      this.instance.closeSync();
    });
  }
}
