// The strict Content-Security-Policy ua-kit works under, and two ways to check it.
//
// - `cspHeader()` is a web-test-runner middleware (web-test-runner.config.mjs): it serves
//   demo/csp.html, and every request that page makes (its worker script included), with the
//   header. test/hostile/csp.test.ts loads the page in an iframe and fails on any violation.
// - `node scripts/csp-check.mjs` checks the production build: Vite builds demo/csp.html into a
//   temporary folder, a small server sends every file with the header, and Chromium loads the
//   page; it fails on a violation, an uncaught error, or a dashboard without numbers and chart.
//
// Usage: node scripts/csp-check.mjs [--keep]   (--keep leaves the build folder in place)
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** No inline script or style, no eval; workers, fetches and images from the page's origin only. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
].join('; ');

export const CSP_PAGE = '/demo/csp.html';

/**
 * web-test-runner middleware: adds the CSP header to the CSP demo page and to whatever that page
 * loads (by its Referer), so that its Web Worker runs under the policy too. Other pages (the
 * test runner's own, which needs inline scripts) are left alone.
 */
export function cspHeader() {
  return async function cspHeaderMiddleware(ctx, next) {
    await next();
    let fromPage = false;
    try {
      fromPage = new URL(ctx.get('referer') || 'about:blank').pathname === CSP_PAGE;
    } catch {
      // no usable Referer
    }
    if (ctx.path === CSP_PAGE || fromPage) ctx.set('Content-Security-Policy', CSP);
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** Serves `dir` with the CSP header on every response. Resolves with the server. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Security-Policy': CSP }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'ua-kit-csp-'));
  const keep = process.argv.includes('--keep');
  const { build } = await import('vite');
  const { default: puppeteer } = await import('puppeteer-core');
  let server;
  let browser;
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      root: join(root, 'demo'),
      publicDir: join(root, 'public'), // msw's mockServiceWorker.js
      base: '/',
      worker: { format: 'es' },
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        rollupOptions: { input: join(root, 'demo/csp.html') },
      },
    });
    server = await serve(outDir);
    const url = `http://127.0.0.1:${server.address().port}/csp.html`;
    browser = await puppeteer.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1800 });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    // Registered through the DevTools protocol before any page script: exempt from the CSP.
    await page.evaluateOnNewDocument(() => {
      window.__violations = [];
      document.addEventListener(
        'securitypolicyviolation',
        (e) => window.__violations.push(`${e.effectiveDirective}: ${e.blockedURI} ${e.sample}`),
        true,
      );
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    const header = response.headers()['content-security-policy'];
    if (header !== CSP) problems.push(`the page was served without the CSP header (${header})`);
    const result = await page
      .waitForFunction(
        () => {
          const dashboards = [...document.querySelectorAll('ua-dashboard')];
          const done = dashboards.every((d) => {
            const trend = d.shadowRoot?.querySelector('ua-trend');
            return d.store?.report.status === 'ready' && trend?.chart;
          });
          if (!done || dashboards.length === 0) return false;
          return dashboards.map((d) => {
            const trend = d.shadowRoot.querySelector('ua-trend');
            const overview = d.shadowRoot.querySelector('ua-overview');
            const value = overview.shadowRoot.querySelector('[data-metric="activeUsers"] .value');
            return {
              id: d.id,
              site: d.store.computeSite,
              activeUsers: value?.textContent ?? '',
              points: trend.chart.data.datasets[0].data.length,
            };
          });
        },
        { timeout: 60_000, polling: 200 },
      )
      .then((handle) => handle.jsonValue());
    const violations = await page.evaluate(() => window.__violations);
    for (const v of violations) problems.push(`CSP violation: ${v}`);
    for (const d of result) {
      console.log(
        `${d.id}: active users ${d.activeUsers}, ${d.points} chart points` +
          (d.site ? `, computed on the ${d.site === 'worker' ? 'Web Worker' : 'main thread'}` : ''),
      );
      if (!/\d/.test(d.activeUsers)) problems.push(`${d.id}: no number in the overview`);
      if (d.points === 0) problems.push(`${d.id}: an empty chart`);
    }
    const inBrowser = result.find((d) => d.id === 'in-browser');
    if (inBrowser && inBrowser.site !== 'worker') {
      problems.push('in-browser: the Web Worker did not run under the policy');
    }
    if (problems.length > 0) {
      console.error(`CSP check failed:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log(`CSP check passed: the built demo runs under\n  ${CSP}`);
    }
  } finally {
    await browser?.close();
    server?.close();
    if (!keep) rmSync(outDir, { recursive: true, force: true });
    else console.log(`build kept in ${outDir}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
