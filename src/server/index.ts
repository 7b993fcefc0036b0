/**
 * ua-kit/server: the endpoint of SPEC §7 over an embedded database (`ua-kit serve`), and the
 * handler for a portal's own Node server.
 */
export { createReportHandler } from './handler.js';
export type { ReportHandlerOptions } from './handler.js';
export { DuckDBEngine } from './duckdb/engine.js';
export type { DuckDBEngineOptions } from './duckdb/engine.js';
export { loadEventsFile, readEventsFile, readAppsFile } from './load.js';
export type { EventsFormat, LoadTarget, RowBatch } from './load.js';
export { reportFromSums, resolveQuery } from './engine.js';
export type { AppEntry, ReportEngine, ReportQuery, BucketSums } from './engine.js';
export { ChdbEngine, ClickHouseEngine } from './clickhouse/engine.js';
export type { ClickHouseReports } from './clickhouse/engine.js';
export {
  clickhouseBackend,
  clickhouseDDL,
  BackendTimeoutError,
  BackendUnavailableError,
  ChdbMissingError,
} from './clickhouse/index.js';
export type { ClickHouseBackend, ClickHouseConnection } from './clickhouse/index.js';
