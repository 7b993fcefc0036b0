/**
 * `ua-kit sql clickhouse` as a user runs it: it prints clickhouseDDL's statements, and the
 * printed DDL run in chDB creates the very table the tests and `--engine chdb` create.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { loadColumns } from '../../../src/server/clickhouse/chdb.js';
import { clickhouseDDL } from '../../../src/server/clickhouse/ddl.js';
import { BIN, ROOT } from '../helpers.js';
import { columnsOf, newSession } from './helpers.js';

/** `ua-kit sql clickhouse ARGS`: what it prints (60 s at most). */
function printed(args: string[]): string {
  const run = spawnSync(process.execPath, [BIN, 'sql', 'clickhouse', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('ua-kit sql clickhouse', () => {
  const session = newSession();
  after(() => session.close());

  it('prints clickhouseDDL for one server, and with --database, --table and --cluster', () => {
    assert.equal(printed([]), clickhouseDDL());
    assert.equal(
      printed(['--database', 'web', '--table', 'hits', '--cluster', 'ua']),
      clickhouseDDL({ database: 'web', table: 'hits', cluster: 'ua' }),
    );
    assert.match(
      printed(['--cluster', 'ua']),
      /ENGINE = Distributed\(ua, ua_kit, events_local, cityHash64\(user\)\)/,
    );
  });

  it('the printed DDL, run as it is, creates the table the tests and --engine chdb create', async () => {
    for (const statement of printed(['--database', 'printed']).split(/;\n/)) {
      if (statement.trim() !== '') session.query(statement);
    }
    await loadColumns(
      session,
      columnsOf([{ user: 'u', time: 1, type: 'open' }]),
      'ua_kit',
      'events',
    );
    const show = (db: string) =>
      session.query(`SHOW CREATE TABLE ${db}.events`, 'TabSeparatedRaw').replace(db + '.', 'DB.');
    assert.match(show('printed'), /ORDER BY \(app, user, time\)/);
    assert.equal(show('printed'), show('ua_kit'));
  });
});
