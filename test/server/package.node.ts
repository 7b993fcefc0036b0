/**
 * What `npm run build` leaves for users of `ua-kit/server`: dist/server/index.js, a plain ES
 * module for Node, whose handler plugs into node:http.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.js';

const entry = join(ROOT, 'dist/server/index.js');

test('package.json maps ua-kit/server and bin.ua-kit to the build', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.exports['./server'].default, './dist/server/index.js');
  assert.equal(pkg.bin['ua-kit'], './bin/ua-kit.mjs');
});

test(
  'dist/server/index.js: createReportHandler over a DuckDBEngine on node:http',
  { skip: existsSync(entry) ? false : 'run npm run build first' },
  async () => {
    const server = await import(pathToFileURL(entry).href);
    const engine = await server.DuckDBEngine.open();
    await engine.ingest([
      { user: 'u1', type: 'open', time: '2026-05-01T10:00:00Z', app: 'shop' },
      { user: 'u1', type: 'hide', time: '2026-05-01T10:01:00Z', app: 'shop' },
    ]);
    const http = createServer(server.createReportHandler({ engine }));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = http.address() as { port: number };
      const res = await fetch(
        `http://127.0.0.1:${port}/api/report?range=1&end=2026-05-01&tz=UTC&app=shop`,
      );
      const report = (await res.json()) as { totals: Record<string, number> };
      assert.equal(res.status, 200);
      assert.equal(report.totals.opens, 1);
      assert.equal(report.totals.avgDurationPerOpen, 60);
    } finally {
      http.close();
      await engine.close();
    }
  },
);
