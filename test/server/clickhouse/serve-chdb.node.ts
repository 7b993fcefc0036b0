/**
 * `ua-kit serve --events FILE --engine chdb`: the server suite of DuckDB (../serve-suite.ts)
 * run again over chDB, the same seeded messy sets, queries and checks; and ingestion into it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeReport } from '../../../src/engine/index.js';
import { withoutDiagnostics } from '../../engine/arbitraries.js';
import {
  request,
  serve,
  tempDir,
  writeNdjson,
  type Served,
  reportDifferences,
} from '../helpers.js';
import { serveSuite } from '../serve-suite.js';
import { messyRows } from './helpers.js';

serveSuite({
  label: 'chDB, --engine chdb',
  start: (path) => serve(['--events', path, '--engine', 'chdb']),
});

describe('ua-kit serve --engine chdb --ingest-token', () => {
  const temp = tempDir();
  const rows = messyRows(11);
  const first = rows.slice(0, Math.floor(rows.length / 2));
  const rest = rows.slice(first.length);
  const TOKEN = 'chdb-token';
  let server: Served;
  before(async () => {
    const path = join(temp.dir, 'events.ndjson');
    writeNdjson(path, first);
    server = await serve(['--events', path, '--engine', 'chdb', '--ingest-token', TOKEN]);
  });
  after(async () => {
    const code = await server?.stop();
    temp.remove();
    assert.equal(code, 0);
  });

  it('POST /api/events inserts into chDB; a cached report is dropped and computed again', async () => {
    const url = `${server.url}/api/report?range=30&end=2026-03-30&tz=Europe/Berlin`;
    const options = { range: 30 as const, end: '2026-03-30', timeZone: 'Europe/Berlin' };
    const before = await request(url);
    assert.equal(before.status, 200);
    assert.equal(before.headers.get('cache-control'), 'no-cache');
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const firstRows = first.map(json);
    assert.deepEqual(
      reportDifferences(before.body, withoutDiagnostics(computeReport(firstRows, options))),
      [],
    );
    const wrong = await request(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope' },
      body: JSON.stringify(rest),
    });
    assert.equal(wrong.status, 401);
    const posted = await request(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(rest),
    });
    assert.equal(posted.status, 200);
    const expected = computeReport(rest.map(json), options).diagnostics!;
    assert.deepEqual(posted.body, {
      accepted: expected.accepted,
      rejected: expected.rejected,
      reasons: expected.reasons,
    });
    const after = await request(url, { headers: { 'If-None-Match': before.headers.get('etag')! } });
    assert.equal(after.status, 200, 'the cached report was dropped');
    const all = [...firstRows, ...rest.map(json)];
    assert.deepEqual(
      reportDifferences(after.body, withoutDiagnostics(computeReport(all, options))),
      [],
    );
    assert.notDeepEqual(after.body, before.body, 'the new rows change this report');
  });
});
