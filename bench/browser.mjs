#!/usr/bin/env node
/**
 * The browser bench: 1 M events handed to a `<ua-source>` in headless Chromium, timed from
 * setting its `events` property to its `report-load` event, with the longest main-thread task
 * (PerformanceObserver 'longtask') over that time. Targets: report ≤ 1.5 s, no task > 50 ms.
 *
 * Vite's dev server (createServer, 127.0.0.1, a free port) serves bench/browser.html, which
 * loads bench/browser-page.ts and the element's module; puppeteer-core drives the system
 * Chromium (/usr/bin/chromium, or CHROME_PATH; never a downloaded browser). Whatever is
 * missing (Chromium, puppeteer-core, the element) makes it print "browser bench skipped:
 * <reason>" and succeed.
 *
 * Run by `npm run bench` after the engine part, or alone: `node bench/browser.mjs`.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_FILE = 'src/components/source/source.ts';
const TARGET_REPORT_MS = 1500;
const TARGET_TASK_MS = 50;

/**
 * Runs the browser bench and prints its figures; returns them, or `{ skipped }` with the reason.
 * `sourceModule` is the URL path of the module defining `<ua-source>` (for trying the harness
 * with a stand-in element).
 */
export async function runBrowserBench({
  root = resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  events = 1_000_000,
  sourceModule = '/' + SOURCE_FILE,
  allow = [],
  timeoutMs = 120_000,
} = {}) {
  const skip = (reason) => {
    console.log(`browser bench skipped: ${reason}`);
    return { skipped: reason };
  };
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return skip(`no Chromium at ${executablePath}`);
  if (sourceModule === '/' + SOURCE_FILE && !existsSync(join(root, SOURCE_FILE))) {
    return skip(`${SOURCE_FILE} does not exist yet`);
  }
  let puppeteer;
  let vite;
  try {
    puppeteer = (await import('puppeteer-core')).default;
    vite = await import('vite');
  } catch (e) {
    return skip(`cannot load puppeteer-core or vite (${e.message})`);
  }

  let server = null;
  let browser = null;
  try {
    server = await vite.createServer({
      configFile: false,
      root,
      logLevel: 'error',
      clearScreen: false,
      appType: 'mpa',
      // Its own cache, apart from the demo server's node_modules/.vite.
      cacheDir: join(tmpdir(), 'ua-kit-bench-vite'),
      // Scan the element's imports up front, so that no dependency found late reloads the page.
      optimizeDeps: {
        entries: [
          'bench/browser.html',
          ...(existsSync(join(root, SOURCE_FILE)) ? [SOURCE_FILE] : []),
        ],
      },
      server: {
        host: '127.0.0.1',
        port: 0,
        strictPort: false,
        hmr: false,
        watch: null,
        fs: { allow: [root, ...allow] },
      },
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address !== 'object') return skip('the Vite server has no address');
    const base = `http://127.0.0.1:${address.port}`;

    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--headless=new'],
      protocolTimeout: timeoutMs + 60_000,
    });
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(`${base}/bench/browser.html`, { waitUntil: 'load', timeout: 60_000 });
    try {
      await page.waitForFunction(() => 'uaBench' in globalThis, { timeout: 60_000 });
    } catch {
      return skip(`the bench page did not start${pageErrors.length ? ': ' + pageErrors[0] : ''}`);
    }
    let result;
    try {
      result = await page.evaluate((options) => globalThis.uaBench.run(options), {
        events,
        sourceModule,
        timeoutMs,
      });
    } catch (e) {
      const reason = String(e.message ?? e).split('\n')[0];
      if (/definition|Failed to fetch dynamically imported module|does not provide/.test(reason)) {
        return skip(`<ua-source> could not be loaded (${reason})`);
      }
      throw new Error(`browser bench failed: ${reason}`, { cause: e });
    }
    print(result, await browser.version());
    return result;
  } finally {
    await browser?.close();
    await server?.close();
  }
}

function print(r, version) {
  const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
  const longest = r.longTasks[0]?.duration ?? 0;
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  const tasks = r.longTasks.length;
  const at = (t) => `${ms(t.duration)} at +${ms(t.start)}`;
  console.log(`ua-kit browser bench — ${version}, headless`);
  console.log(
    `  ${r.events.toLocaleString('en-US')} events generated in the page in ${ms(r.generateMs)}; ` +
      '<ua-source range=30 end-date=2026-03-31 time-zone=Asia/Shanghai>, ' +
      `computed in ${r.computedIn ?? 'n/a'}`,
  );
  console.log(
    `  events set → report-load        ${ms(r.reportMs).padStart(9)}  ` +
      `target ≤ ${TARGET_REPORT_MS} ms: ${verdict(r.reportMs <= TARGET_REPORT_MS)}`,
  );
  console.log(
    `  longest main-thread task        ${ms(longest).padStart(9)}  ` +
      `target ≤ ${TARGET_TASK_MS} ms: ${verdict(longest <= TARGET_TASK_MS)}` +
      `  (${tasks} task${tasks === 1 ? '' : 's'} ≥ 50 ms${tasks ? ': ' : ''}` +
      `${r.longTasks.slice(0, 5).map(at).join(', ')})`,
  );
  if (r.measures.length > 0) {
    const spans = r.measures.map((m) => `${m.name} ${ms(m.duration)} at +${ms(m.start)}`);
    console.log(`  store timings: ${spans.join(', ')}`);
  }
  console.log(
    `  report: accepted ${r.accepted ?? 'n/a'}, activeUsers ${r.totals.activeUsers}, ` +
      `opens ${r.totals.opens}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runBrowserBench();
}
