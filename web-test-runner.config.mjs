import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { countsReporter } from './scripts/counts-reporter.mjs';
import { cspHeader } from './scripts/csp-check.mjs';
import { traceCommands } from './scripts/trace-cpu.mjs';

const executablePath =
  process.env.CHROME_PATH ||
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
    existsSync(p),
  );

/** msw's worker must be served from the root so that its scope covers the test pages. */
function serveMswWorker(ctx, next) {
  if (ctx.path === '/mockServiceWorker.js') ctx.path = '/public/mockServiceWorker.js';
  return next();
}

/**
 * `/__slow/KEY?first=MS&then=MS` answers test/fixtures/store-events.json after MS (the first
 * request of KEY waits `first`, later ones `then`); `/__slow-count/KEY` tells how many requests
 * of KEY were reached and answered. For the store's worker tests (a worker ended mid-fetch):
 * the dev server itself, not msw, whose service worker did not always route a Web Worker's
 * request to the test page in full runs.
 */
const slowCounts = new Map();
async function serveSlowFixture(ctx, next) {
  const count = ctx.path.match(/^\/__slow-count\/([\w-]+)$/);
  if (count) {
    ctx.body = slowCounts.get(count[1]) ?? { reached: 0, answered: 0 };
    return;
  }
  const slow = ctx.path.match(/^\/__slow\/([\w-]+)$/);
  if (!slow) return next();
  const c = slowCounts.get(slow[1]) ?? { reached: 0, answered: 0 };
  slowCounts.set(slow[1], c);
  c.reached++;
  const ms = Number((c.reached === 1 ? ctx.query.first : ctx.query.then) ?? 0);
  await new Promise((done) => setTimeout(done, ms));
  c.answered++;
  ctx.type = 'application/json';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = await readFile('test/fixtures/store-events.json');
}

/** `/__gzip/PATH` answers the repository's file PATH gzip-encoded (tests of compressed events-src). */
async function serveGzipped(ctx, next) {
  if (!ctx.path.startsWith('/__gzip/')) return next();
  const root = process.cwd();
  const file = resolve(root, ctx.path.slice('/__gzip/'.length));
  if (!file.startsWith(root + sep)) return next();
  ctx.body = gzipSync(await readFile(file));
  ctx.set('Content-Encoding', 'gzip');
  ctx.type = 'application/octet-stream';
}

/**
 * hyparquet's package entry is its Node build (it reads files with `fs`) unless a resolver asks
 * for the "browser" condition; hyparquet-writer, used by the format tests, imports it bare.
 */
/**
 * 'ua-forced-colors' (payload 'active' or 'none'): emulates forced colours in the test's page
 * through the DevTools protocol (emulateMedia of @web/test-runner-commands does not pass
 * forced-colors to Chromium under puppeteer). The session stays open: closing it would undo it.
 */
const cdpSessions = new Map();
const forcedColorsCommand = {
  name: 'ua-kit:forced-colors',
  async executeCommand({ command, payload, session }) {
    if (command !== 'ua-forced-colors') return undefined;
    let cdp = cdpSessions.get(session.id);
    if (!cdp) {
      cdp = await session.browser.getPage(session.id).createCDPSession();
      cdpSessions.set(session.id, cdp);
    }
    const value = payload === 'active' ? 'active' : '';
    await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value }] });
    return true;
  },
};

/**
 * 'ua-load-average': the machine's 1-minute load average per core, so that a wall-clock bound
 * (test/store/long-tasks.test.ts) can allow for a renderer that waits for a core.
 */
const loadAverageCommand = {
  name: 'ua-kit:load-average',
  executeCommand({ command }) {
    if (command !== 'ua-load-average') return undefined;
    return os.loadavg()[0] / os.availableParallelism();
  },
};

const hyparquetInTheBrowser = {
  name: 'hyparquet-browser-entry',
  resolveImport({ source }) {
    if (source === 'hyparquet') return '/node_modules/hyparquet/src/index.js';
    return undefined;
  },
};

export default {
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  // One test page at a time: msw's service worker is shared by every page of the origin, and
  // requests from a dedicated worker are answered by whichever page msw picks.
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 10 * 60 * 1000,
  // cspHeader: demo/csp.html (and what it loads) is served with the strict CSP that
  // test/hostile/csp.test.ts checks the kit under; no other page is touched.
  middleware: [serveMswWorker, serveGzipped, serveSlowFixture, cspHeader()],
  // WTR_RESULTS: where the counts go (scripts/test-tz.sh saves each zone's run in .ci-results/).
  reporters: [defaultReporter(), countsReporter(process.env.WTR_RESULTS || undefined)],
  plugins: [
    // 'ua-trace-start' / 'ua-trace-stop': CPU time of the page's tasks (test/store/long-tasks.test.ts).
    traceCommands(),
    forcedColorsCommand,
    loadAverageCommand,
    hyparquetInTheBrowser,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        // Tests run in two tabs at once: keep the one in the background from being throttled
        // (no animation frames or ResizeObserver callbacks in a hidden tab otherwise).
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-dev-shm-usage',
          '--disable-renderer-backgrounding',
          '--disable-background-timer-throttling',
          '--disable-backgrounding-occluded-windows',
        ],
      },
    }),
  ],
};
