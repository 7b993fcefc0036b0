/**
 * The ClickHouse backends as `ua-kit serve` engines (ReportEngine, ../engine.ts), so that they
 * sit behind the same handler as DuckDB: the same /api, caching and errors.
 * - ClickHouseEngine: any backend with apps() and report(options), e.g. `clickhouseBackend`
 *   (`--clickhouse URL`). ClickHouse has its own ingestion (README "Beyond one machine"), so
 *   this engine takes no rows: `ua-kit serve` refuses `--ingest-token` with `--clickhouse`.
 * - ChdbEngine: chDB in-process (`--events FILE --engine chdb`), a table created by
 *   clickhouseDDL and filled through ingest(), rows judged by the engine's parser; reports
 *   with exactly the SQL the --clickhouse backend sends.
 */
import { EventParser } from '../../engine/parse.js';
import { ColumnarEventParser } from '../../engine/parse-columns.js';
import type { Diagnostics, EventColumns, Report, ReportOptions } from '../../engine/types.js';
import type { ColumnBatch } from '../columns.js';
import type { AppEntry, ReportEngine, ReportQuery } from '../engine.js';
import { Queue } from '../queue.js';
import { checkColumns } from '../columns.js';
import { isArrowFile } from '../arrow.js';
import { chdbRunner, insertColumns, loadChdb, parseJsonEachRow, type ChdbSession } from './chdb.js';
import {
  describeSql,
  insertAcceptedSql,
  judgeableSql,
  reasonCountsSql,
  typesOf,
  type FileFormat,
} from './files.js';
import { ddlStatements } from './ddl.js';
import {
  clickhouseApps,
  clickhouseLastEventTime,
  clickhouseReport,
  type ClickHouseTarget,
  type RunQuery,
} from './report.js';

/** What ClickHouseEngine needs of a backend (clickhouseBackend's answer has it). */
export interface ClickHouseReports {
  apps(): Promise<string[]>;
  report(options: ReportOptions): Promise<Report>;
  /** The time of the latest event (none: no `dataUpTo` in the answers). */
  lastEventTime?(): Promise<number | null>;
  close(): Promise<void>;
}

/** A checked query as computeReport's options. */
function optionsOf(query: ReportQuery): ReportOptions {
  return {
    range: query.range,
    end: query.end,
    timeZone: query.timeZone,
    app: query.app ?? undefined,
  };
}

/** `--apps` as given, else the distinct app ids, each named by its id (SPEC §9). */
async function appEntries(
  listed: readonly AppEntry[] | null,
  ids: () => Promise<string[]>,
): Promise<AppEntry[]> {
  if (listed !== null) return listed.map((a) => ({ ...a }));
  return (await ids()).map((id) => ({ id, name: id }));
}

/** `ua-kit serve --clickhouse URL`: reports from a ClickHouse server or cluster. */
export class ClickHouseEngine implements ReportEngine {
  constructor(
    private readonly backend: ClickHouseReports,
    private readonly listed: readonly AppEntry[] | null = null,
  ) {}

  apps(): Promise<AppEntry[]> {
    return appEntries(this.listed, () => this.backend.apps());
  }

  report(query: ReportQuery): Promise<Report> {
    return this.backend.report(optionsOf(query));
  }

  lastEventTime(): Promise<number | null> {
    return this.backend.lastEventTime?.() ?? Promise.resolve(null);
  }

  ingest(): Promise<Diagnostics & { earliest: number | null }> {
    return Promise.reject(
      new Error('ClickHouse has its own ingestion: insert into the events table there'),
    );
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/**
 * `ua-kit serve --events FILE --engine chdb`: chDB in a temporary folder (chdb allows one per
 * process). One operation at a time on the session.
 */
export class ChdbEngine implements ReportEngine {
  private readonly queue = new Queue();
  private readonly run: RunQuery;

  private constructor(
    private readonly session: ChdbSession,
    private readonly target: ClickHouseTarget,
    private readonly listed: readonly AppEntry[] | null,
  ) {
    const run = chdbRunner(session);
    this.run = (sql, params) => this.queue.run(() => run(sql, params));
  }

  /** Creates the events table (clickhouseDDL) in a fresh session; ChdbMissingError without chdb. */
  static open(options: { apps?: AppEntry[]; root?: string } = {}): ChdbEngine {
    const { Session } = loadChdb(options.root);
    const session = new Session();
    const target = { database: 'ua_kit', table: 'events' };
    for (const statement of ddlStatements(target)) session.query(statement);
    return new ChdbEngine(session, target, options.apps ?? null);
  }

  apps(): Promise<AppEntry[]> {
    return appEntries(this.listed, () => clickhouseApps(this.run, this.target));
  }

  report(query: ReportQuery): Promise<Report> {
    return clickhouseReport(this.run, optionsOf(query), this.target);
  }

  lastEventTime(): Promise<number | null> {
    return clickhouseLastEventTime(this.run, this.target);
  }

  /**
   * Judges rows with the engine's parser and inserts the good ones. Any cached report may have
   * changed (a user's earlier event changes first-seen, merging can reach back): `earliest` is
   * -Infinity when a row was accepted.
   */
  ingest(rows: ArrayLike<unknown>): Promise<Diagnostics & { earliest: number | null }> {
    const parser = new EventParser(rows.length);
    parser.addRange(rows);
    return this.insert(parser.finish());
  }

  /** A batch of columns (Parquet, Arrow), judged as ingest judges the same rows. */
  ingestColumns(batch: ColumnBatch): Promise<Diagnostics & { earliest: number | null }> {
    const parser = new ColumnarEventParser(batch.length);
    parser.addColumns(batch);
    return this.insert(parser.finish());
  }

  /**
   * Loads a Parquet or Arrow IPC file read by chDB (`file(path, Parquet)`, `Arrow`,
   * `ArrowStream`), judged in SQL (./files.ts says for which column types); null for a file with
   * other types, which the caller then reads into the engine's parser (`ingestColumns`).
   */
  async loadNative(path: string, format: 'parquet' | 'arrow'): Promise<Diagnostics | null> {
    const kind =
      format === 'parquet' ? 'Parquet' : (await isArrowFile(path)) ? 'Arrow' : 'ArrowStream';
    return this.queue.run(() => Promise.resolve(this.loadJudgeable(path, kind)));
  }

  private loadJudgeable(path: string, format: FileFormat): Diagnostics | null {
    const what = format === 'Parquet' ? 'Parquet' : 'Arrow IPC';
    const fail = (error: unknown, hint = '') =>
      new Error(
        `${path}: not a readable ${what} file (${String((error as Error).message).split('\n')[0]})${hint}`,
      );
    let types;
    try {
      types = typesOf(
        parseJsonEachRow(this.session.query(describeSql(path, format), 'JSONEachRow')),
      );
    } catch (error) {
      throw fail(error, '; is it truncated?');
    }
    checkColumns(path, what, [...types.keys()]);
    const judged = judgeableSql(path, format, types);
    if (judged === null) return null;
    const { database, table } = this.target;
    const diagnostics: Diagnostics = { accepted: 0, rejected: 0, reasons: {} };
    try {
      const counts = parseJsonEachRow(this.session.query(reasonCountsSql(judged), 'JSONEachRow'));
      for (const { reason, n } of counts) {
        if (reason === '') diagnostics.accepted = Number(n);
        else {
          diagnostics.rejected += Number(n);
          diagnostics.reasons[String(reason)] = Number(n);
        }
      }
      this.session.query(insertAcceptedSql(judged, `${database}.${table}`));
    } catch (error) {
      throw fail(error, '; is it truncated?');
    }
    return diagnostics;
  }

  private insert(cols: EventColumns): Promise<Diagnostics & { earliest: number | null }> {
    const { database, table } = this.target;
    return this.queue.run(async () => {
      if (cols.length > 0) await insertColumns(this.session, cols, `${database}.${table}`, null);
      return { ...cols.diagnostics, earliest: cols.length > 0 ? -Infinity : null };
    });
  }

  close(): Promise<void> {
    return this.queue.run(() => Promise.resolve(this.session.close()));
  }
}
