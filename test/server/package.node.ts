/**
 * What `npm run build` leaves for users of `ua-kit/server`: dist/server/index.js, a plain ES
 * module for Node, whose handler plugs into node:http.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ROOT, tempDir } from './helpers.js';

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

test(
  'dist/server: apache-arrow is imported only when an Arrow file is loaded; loadEventsFile reads one',
  { skip: existsSync(entry) ? false : 'run npm run build first' },
  async () => {
    const dir = join(ROOT, 'dist/server');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(
        text,
        /from ["']apache-arrow["']/,
        `${file} imports apache-arrow statically`,
      );
      assert.doesNotMatch(text, /from ["']hyparquet/, `${file} imports hyparquet`);
    }
    const server = await import(pathToFileURL(entry).href);
    const temp = tempDir();
    const engine = await server.DuckDBEngine.open();
    try {
      const path = join(temp.dir, 'events.arrows');
      const table = tableFromArrays({
        user: ['u1', 'u1', 'u2'],
        time: Float64Array.from([Date.UTC(2026, 4, 1, 10), Date.UTC(2026, 4, 1, 10, 1), NaN]),
        type: ['open', 'hide', 'open'],
      });
      writeFileSync(path, tableToIPC(table, 'stream'));
      const counts = await server.loadEventsFile(engine, path);
      assert.deepEqual(counts, { accepted: 2, rejected: 1, reasons: { 'bad-time': 1 } });
      const report = await engine.report({
        range: 1,
        end: '2026-05-01',
        timeZone: 'UTC',
        app: null,
      });
      assert.equal(report.totals.avgDurationPerOpen, 60);
    } finally {
      await engine.close();
      temp.remove();
    }
  },
);
