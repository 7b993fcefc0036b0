/**
 * The ClickHouse backend of `ua-kit serve` (SPEC §10). What the serve layer needs:
 * - `--clickhouse URL [--database D] [--table T]`: `clickhouseBackend({ url, database, table })`;
 * - `--events FILE --engine chdb`: `await chdbFromFile(FILE)` (one per process: chDB allows one
 *   data folder per process);
 * - `ua-kit sql clickhouse [--database D] [--table T] [--cluster C]`: print `clickhouseDDL(…)`.
 * Both backends have `apps(): Promise<string[]>`, `report(options): Promise<Report>` (options as
 * computeReport's; a RangeError names a bad one) and `close()`. Errors with `status` 503 or 504
 * (BackendUnavailableError, BackendTimeoutError) are the backend down or slow; any other error
 * is a 500.
 */
export { clickhouseBackend, classifyClickHouseError } from './client.js';
export type { ClickHouseBackend, ClickHouseConnection } from './client.js';
export { chdbFromFile, chdbFromColumns, ChdbMissingError, CHDB_VERSION, loadChdb } from './chdb.js';
export type { ChdbEvents } from './chdb.js';
export { clickhouseDDL, ddlStatements } from './ddl.js';
export type { ClickHouseSchema } from './ddl.js';
export { BackendTimeoutError, BackendUnavailableError } from './errors.js';
export { clickhouseApps, clickhouseReport, mergePartials, reportQuery } from './report.js';
export type { ClickHouseTarget, QueryParams, Row, RunQuery } from './report.js';
export { appsSql, reportSql } from './sql.js';
