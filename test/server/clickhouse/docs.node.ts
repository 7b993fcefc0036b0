/**
 * The README's "Beyond one machine" section is what runs: its two DDL blocks are
 * clickhouseDDL()'s output, and its ingestion example (rows as JSONEachRow, a numeric user
 * among them) loads into that table through ClickHouse's own INSERT … FORMAT JSONEachRow and
 * reports the same numbers as computeReport.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ReportOptions } from '../../../src/engine/types.js';
import { clickhouseDDL, ddlStatements } from '../../../src/server/clickhouse/ddl.js';
import { chdbRunner } from '../../../src/server/clickhouse/chdb.js';
import { clickhouseReport } from '../../../src/server/clickhouse/report.js';
import { assertSameReport, newSession } from './helpers.js';

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(
  readme.indexOf('## Beyond one machine'),
  readme.indexOf('\n## ', readme.indexOf('## Beyond one machine') + 5),
);

describe('README: Beyond one machine', () => {
  const session = newSession();
  after(() => session.close());

  it('the DDL blocks are what clickhouseDDL prints, for one server and for a cluster', () => {
    const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.deepEqual(blocks, [clickhouseDDL(), clickhouseDDL({ cluster: 'ua' })]);
  });

  it('the ingestion example loads with INSERT … FORMAT JSONEachRow and reports as computeReport', async () => {
    const example = /--data-binary @events\.ndjson {3}# (\{.*\})/.exec(section);
    assert.ok(example, 'the example row is in the README');
    const first = JSON.parse(example[1]) as { time: number };
    const rows = [
      first,
      { app: 'shop', user: 'u1', time: first.time + 5_000, type: 'page', page: '/home' },
      { app: 'shop', user: 'u1', time: first.time + 65_000, type: 'hide' },
      { app: 'shop', user: 42, time: first.time + 3_600_000, type: 'open' },
      { app: 'shop', user: 42, time: first.time + 3_610_000, type: 'hide' },
    ];
    for (const statement of ddlStatements()) session.query(statement);
    session.query(
      `INSERT INTO ua_kit.events FORMAT JSONEachRow\n${rows.map((r) => JSON.stringify(r)).join('\n')}`,
    );
    const options: ReportOptions = { range: 1, end: '2026-01-01', timeZone: 'Asia/Shanghai' };
    const report = await clickhouseReport(chdbRunner(session), options, {
      database: 'ua_kit',
      table: 'events',
    });
    assert.equal(report.totals.opens, 2);
    assertSameReport(report, rows, options, '', { diagnostics: false });
  });
});
