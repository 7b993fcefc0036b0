/**
 * createReportHandler when its engine fails: a 500 with a message, never a stack trace, and
 * the server goes on answering.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createReportHandler } from '../../src/server/handler.js';
import type { ReportEngine } from '../../src/server/engine.js';
import { request } from './helpers.js';

/** An engine whose database is gone: every report fails with an error that has a stack. */
const broken: ReportEngine = {
  apps: async () => [{ id: 'shop', name: 'Shop' }],
  report: async () => {
    throw new Error('IO Error: could not read block 7 of /data/ua.duckdb\nmore detail');
  },
  ingest: async () => ({ accepted: 0, rejected: 0, reasons: {}, earliest: null }),
  close: async () => undefined,
};

test('an internal failure is 500 {"error": …} without a stack trace; the server keeps serving', async () => {
  const logged: string[] = [];
  const server = createServer(createReportHandler({ engine: broken, log: (l) => logged.push(l) }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { status, body } = await request(`${base}/api/report?range=7&end=2026-05-01&tz=UTC`);
    assert.equal(status, 500);
    const error = (body as { error: string }).error;
    assert.equal(error, 'internal error: IO Error: could not read block 7 of /data/ua.duckdb');
    assert.doesNotMatch(JSON.stringify(body), /\bat \S+ \(|handler\.|node:internal/);
    const apps = await request(`${base}/api/apps`);
    assert.equal(apps.status, 200);
    assert.ok(logged.some((l) => l.includes('/api/report') && l.includes(' 500 ')));
  } finally {
    await new Promise((r) => server.close(r));
  }
});
