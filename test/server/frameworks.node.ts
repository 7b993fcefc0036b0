/**
 * createReportHandler inside a portal's own server: Express (`app.use(handler)`), beside the
 * app's own routes; requests outside the API go on to Express.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { computeReport } from '../../src/engine/index.js';
import { DuckDBEngine } from '../../src/server/duckdb/engine.js';
import { createReportHandler } from '../../src/server/handler.js';
import { withoutDiagnostics } from '../engine/arbitraries.js';
import { messyRows, request, reportDifferences } from './helpers.js';

test('Express: app.use(createReportHandler(…)) answers /api, the app keeps its own routes and 404s', async () => {
  const rows = messyRows(5).map((r) => JSON.parse(JSON.stringify(r)) as unknown);
  const engine = await DuckDBEngine.open();
  await engine.ingest(rows);
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(createReportHandler({ engine, base: '/api', cors: 'https://portal.example' }));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('express 404');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.deepEqual((await request(`${base}/health`)).body, { ok: true });
    const { status, body, headers } = await request(
      `${base}/api/report?range=7&end=2026-10-25&tz=Europe/Berlin&app=wx-mall`,
    );
    assert.equal(status, 200);
    assert.equal(headers.get('access-control-allow-origin'), 'https://portal.example');
    const expected = computeReport(rows, {
      range: 7,
      end: '2026-10-25',
      timeZone: 'Europe/Berlin',
      app: 'wx-mall',
    });
    assert.deepEqual(reportDifferences(body, withoutDiagnostics(expected)), []);
    assert.equal((await request(`${base}/api/report?range=5`)).status, 400);
    const other = await request(`${base}/elsewhere`);
    assert.equal(other.status, 404);
    assert.equal(other.body, 'express 404');
  } finally {
    await new Promise((r) => server.close(r));
    await engine.close();
  }
});
