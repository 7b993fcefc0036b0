/**
 * `--engine chdb` over a file: the rows of an NDJSON or JSON file judged by the engine's parser
 * (the same rows rejected, for the same reasons, bad JSON lines included), loaded into chDB
 * by the DDL's table, and the Report equal to computeReport over the same rows, diagnostics
 * included. A missing chdb is a clear message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeReport } from '../../../src/engine/compute.js';
import type { ReportOptions } from '../../../src/engine/types.js';
import { ChdbMissingError, chdbFromFile, loadChdb } from '../../../src/server/clickhouse/chdb.js';
import { assertSameReport, messyRows } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ua-kit-chdb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('chDB engine over an events file', () => {
  const rows = messyRows(3);
  const options: ReportOptions = { range: 7, end: '2026-03-09', timeZone: 'America/New_York' };

  it('NDJSON with lines that are not JSON: bad-json counted as the browser loader counts it', async () => {
    const file = join(dir, 'events.ndjson');
    const lines = rows.map((r) => JSON.stringify(r) ?? 'undefined');
    lines.splice(3, 0, '{"user": "x", "time": 1,', 'not json at all');
    writeFileSync(file, lines.join('\n') + '\n\n');
    const events = await chdbFromFile(file);
    try {
      const report = await events.report(options);
      const expected = computeReport(rows, options);
      assert.equal(report.diagnostics!.reasons['bad-json'], 2);
      assert.equal(report.diagnostics!.rejected, expected.diagnostics!.rejected + 2);
      delete report.diagnostics!.reasons['bad-json'];
      report.diagnostics!.rejected -= 2;
      assertSameReport(report, rows, options);
      assert.deepEqual(await events.apps(), ['7', 'a', 'b']);
    } finally {
      events.close();
    }
  });

  it('a JSON array: the same Report as computeReport, diagnostics included', async () => {
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(rows));
    const events = await chdbFromFile(file);
    try {
      for (const app of [undefined, 'a', 'b']) {
        const o = { ...options, app };
        assertSameReport(await events.report(o), rows, o);
      }
    } finally {
      events.close();
    }
  });

  it('without chdb installed, the error says how to install it', () => {
    const saved = process.env.UA_KIT_CHDB_DIR;
    delete process.env.UA_KIT_CHDB_DIR;
    try {
      assert.throws(
        () => loadChdb(dir),
        (e: unknown) => {
          assert.ok(e instanceof ChdbMissingError);
          assert.match(e.message, /npm install chdb@3\.4\.0/);
          return true;
        },
      );
    } finally {
      if (saved !== undefined) process.env.UA_KIT_CHDB_DIR = saved;
    }
  });
});
