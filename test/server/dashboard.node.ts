/**
 * The dashboard at `/` of `ua-kit serve`, in Chromium (puppeteer-core, the system Chromium):
 * its seven cards show the server's numbers. Needs the built kit (`npm run build`).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { generateEvents } from '../../demo/synthetic.js';
import { METRIC_KEYS, type Report } from '../../src/engine/index.js';
import { formatMetric } from '../../src/i18n/format.js';
import { ROOT, request, serve, tempDir, writeNdjson, type Served } from './helpers.js';

const temp = tempDir();
let server: Served;
let browser: Browser;
const built = existsSync(join(ROOT, 'dist/server/dashboard/ua-kit.js'));

before(async () => {
  if (!built) return;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const rows = generateEvents({
    users: 300,
    days: 20,
    end: yesterday,
    timeZone: 'UTC',
    seed: 5,
    targetEvents: 8_000,
  });
  const path = join(temp.dir, 'events.ndjson');
  writeNdjson(path, rows);
  server = await serve(['--events', path]);
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    env: { ...process.env, TZ: 'UTC' },
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  temp.remove();
});

test(
  'the dashboard at / shows the server’s numbers',
  { skip: built ? false : 'run npm run build first' },
  async () => {
    const page = await browser.newPage();
    await page.emulateTimezone('UTC');
    await page.goto(`${server.url}/`, { timeout: 30_000 });
    // The seven cards of <ua-overview> inside <ua-dashboard>, once loaded (values shown).
    const values = await page.waitForFunction(
      () => {
        const overview = document
          .querySelector('ua-dashboard')
          ?.shadowRoot?.querySelector('ua-overview');
        const spans = [...(overview?.shadowRoot?.querySelectorAll('.value') ?? [])].map((s) =>
          s.textContent!.trim(),
        );
        return spans.length === 7 && spans.every((t) => t !== '') ? spans : null; // skeletons are empty
      },
      { timeout: 30_000, polling: 100 },
    );
    const shown = (await values.jsonValue()) as string[];
    const { body } = await request(`${server.url}/api/report?range=7&tz=UTC`);
    const report = body as Report;
    assert.ok(report.totals.activeUsers > 0, 'the week has data');
    assert.deepEqual(
      shown,
      METRIC_KEYS.map((k) => formatMetric(k, report.totals[k], 'en')),
    );
    assert.match(server.output(), /GET \/api\/report\?\S+ 200/);
  },
);
