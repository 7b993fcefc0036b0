// The package as users get it: `npm pack`, the tarball installed into real client apps, each
// built for production and opened in Chromium from a server on 127.0.0.1.
//
// Clients (test/package/apps/): Vite + TS (`import 'ua-kit'`), React 19 + TS (tsc, a named
// import), Vue 3 (vue-tsc), webpack 5 (the seven per-element entries), esbuild and Rollup (the
// worker copied by the app, `setWorkerUrl`), and a plain page over dist/standalone. One install for
// all of them per run, in a temporary folder, from the npm cache when it can.
//
// Each client: the seven elements are defined; the overview shows the numbers computeReport
// (ua-kit/engine from the same tarball) gives over the same events, for `range="30"` written in
// the app's own template; the report was computed in the Web Worker; a card click reaches the
// app's own metric-select handler once, with that metric; no console error, no failed request.
//
// npm run test:package   (KEEP=1 keeps the temporary folder)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import puppeteer from 'puppeteer-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const appsDir = join(root, 'test/package/apps');
const TAGS = ['ua-source', 'ua-overview', 'ua-trend', 'ua-detail-table', 'ua-app-select', 'ua-range-select', 'ua-dashboard'];
const OPTIONS = { range: 30, end: '2026-03-10', timeZone: 'UTC' };
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'ua-kit-package-'));
const sizes = [];
let browser;
let computeReport;

/** Runs a command in `cwd`; its output goes to the test log only when it fails. */
function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout}\n${e.stderr}`);
  }
}

/** A deterministic month and a half of events: 400 users of 3 apps, opens with pages and hides. */
function makeEvents() {
  let seed = 20260310;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const start = Date.UTC(2026, 0, 20);
  const events = [];
  for (let u = 0; u < 400; u++) {
    const user = `u${u}`;
    const app = ['shop', 'news', 'game'][u % 3];
    const opens = 1 + Math.floor(random() * 6);
    for (let o = 0; o < opens; o++) {
      let t = start + Math.floor(random() * 50 * 86_400_000);
      events.push({ user, app, type: 'open', time: new Date(t).toISOString() });
      const pages = Math.floor(random() * 4);
      for (let p = 0; p < pages; p++) {
        t += 1000 + Math.floor(random() * 90_000);
        events.push({ user, app, type: 'page', page: `/p${p}`, time: new Date(t).toISOString() });
      }
      t += 1000 + Math.floor(random() * 200_000);
      events.push({ user, app, type: 'hide', time: new Date(t).toISOString() });
    }
  }
  return events;
}

/** The same events as an Arrow IPC file and a Parquet file (time as epoch ms, a double). */
function columnarFiles(events) {
  const columns = {
    user: events.map((e) => e.user),
    time: Float64Array.from(events, (e) => Date.parse(e.time)),
    type: events.map((e) => e.type),
    app: events.map((e) => e.app),
  };
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'user', data: columns.user, type: 'STRING' },
      { name: 'time', data: Array.from(columns.time), type: 'DOUBLE' },
      { name: 'type', data: columns.type, type: 'STRING' },
      { name: 'app', data: columns.app, type: 'STRING' },
    ],
  });
  return { 'events.arrow': tableToIPC(tableFromArrays(columns), 'file'), 'events.parquet': new Uint8Array(parquet) };
}

/** A metric as the overview shows it in English (src/i18n/format.ts). */
function shown(key, value) {
  const count = (n) => new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(n);
  if (key === 'avgOpensPerUser') return new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  if (key.startsWith('avgDuration')) {
    const total = Math.max(0, Math.round(value));
    const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    const two = (n) => String(n).padStart(2, '0');
    return h > 0 ? `${count(h)}h ${two(m)}m` : m > 0 ? `${m}m ${two(s)}s` : `${s}s`;
  }
  return count(value);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };

/** Serves `dir` on 127.0.0.1 at a free port. */
async function serve(dir) {
  const server = createServer((req, res) => {
    let path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      if (statSync(path).isDirectory()) path = join(path, 'index.html');
      statSync(path);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** Raw and gzip bytes of the JavaScript a client's build emitted. */
function measure(name, dir) {
  let raw = 0;
  let gz = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) {
        const bytes = readFileSync(p);
        raw += bytes.length;
        gz += gzipSync(bytes).length;
      }
    }
  };
  walk(dir);
  sizes.push({ client: name, 'JS (bytes)': raw, 'JS gzip (bytes)': gz });
}

/** The Vite app's page (the same elements) with the bundle's own script tag, into `out`. */
function writePage(out, script) {
  const page = readFileSync(join(work, 'apps/vite/index.html'), 'utf8');
  writeFileSync(join(out, 'index.html'), page.replace(/<script type="module" src=".\/main.ts"><\/script>/, script));
}

/** Each client's production build into `out` (a folder served as it is). */
const BUILDS = {
  vite: (app, out) => {
    run('npx', ['tsc', '-p', '.'], app);
    run('npx', ['vite', 'build', '--outDir', out, '--logLevel', 'error'], app);
  },
  react: (app, out) => {
    run('npx', ['tsc', '-p', '.'], app);
    run('npx', ['vite', 'build', '--outDir', out, '--logLevel', 'error'], app);
  },
  vue: (app, out) => {
    run('npx', ['vue-tsc', '-p', '.'], app);
    run('npx', ['vite', 'build', '--outDir', out, '--logLevel', 'error'], app);
  },
  webpack: (app, out) => {
    run('node', ['build.mjs', out], app);
    writePage(out, '<script src="./main.js"></script>');
  },
  esbuild: (app, out) => {
    run('node', ['build.mjs', out], app);
    writePage(out, '<script type="module" src="./main.js"></script>');
  },
  rollup: (app, out) => {
    run('node', ['build.mjs', out], app);
    writePage(out, '<script type="module" src="./main.js"></script>');
  },
  plain: (app, out) => {
    cpSync(join(app, 'index.html'), join(out, 'index.html'));
    cpSync(join(work, 'apps/node_modules/ua-kit/dist/standalone'), join(out, 'ua-kit'), {
      recursive: true,
      filter: (src) => !src.endsWith('.map'),
    });
  },
};

/** Opens `url`; collects console errors and warnings, page errors and failed requests. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  const warnings = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    if (msg.type() === 'warn') warnings.push(msg.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  return { page, problems, warnings };
}

/** The overview's cards once the source has a report: { key: text }, and where it computed. */
async function overviewOnceLoaded(page) {
  await page.waitForFunction(
    () => {
      const card = document.querySelector('#overview')?.shadowRoot?.querySelector('[data-metric] .value');
      return document.querySelector('#ua')?.report && card;
    },
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const source = document.querySelector('#ua');
    const cards = {};
    for (const card of document.querySelector('#overview').shadowRoot.querySelectorAll('[data-metric]')) {
      cards[card.dataset.metric] = card.querySelector('.value').textContent.trim();
    }
    return { cards, totals: source.report.totals, buckets: source.report.series.length, site: source.store.computeSite, range: source.store.config.range };
  });
}

/** Clicks the card of `metric` in the overview, then lets the framework handle the event. */
async function clickCard(page, metric) {
  const card = await page.evaluateHandle(
    (m) => document.querySelector('#overview').shadowRoot.querySelector(`[data-metric="${m}"]`),
    metric,
  );
  await card.click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
}

before(async () => {
  // The tarball, as `npm publish` would send it (its prepack script is this build).
  run('npm', ['run', 'build'], root);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root));
  const tarball = join(work, packed[0].filename);
  cpSync(appsDir, join(work, 'apps'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(work, 'apps/package.json'), 'utf8'));
  manifest.dependencies['ua-kit'] = `file:${tarball}`;
  writeFileSync(join(work, 'apps/package.json'), JSON.stringify(manifest, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], join(work, 'apps'));
  ({ computeReport } = await import(pathToFileURL(join(work, 'apps/node_modules/ua-kit/dist/engine.js'))));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  if (sizes.length) console.table(sizes);
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
});

describe('the tarball', () => {
  it('holds the build, the types and the manifest, and no tests, demo or sources', () => {
    const files = readdirSync(join(work, 'apps/node_modules/ua-kit'), { recursive: true });
    for (const f of ['dist/ua-kit.js', 'dist/engine.js', 'dist/standalone/ua-kit.js', 'dist/standalone/report.worker.js', 'dist/assets/report.worker.js', 'types/react.d.ts', 'types/jsx.d.ts', 'types/vue.d.ts', 'custom-elements.json', 'LICENSE', 'README.md']) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const unwanted = files.filter((f) => /^(test|demo|src|bench|scripts|docs|public)\//.test(f) || f.includes('node_modules'));
    assert.deepEqual(unwanted, []);
  });

  it('ua-kit/overview defines its element and does not pull chart.js; the full kit loads chart.js lazily', async () => {
    const { build } = await import(pathToFileURL(join(work, 'apps/node_modules/esbuild/lib/main.js')));
    const bundle = async (spec) => {
      const out = await build({
        stdin: { contents: `import '${spec}';`, resolveDir: join(work, 'apps') },
        bundle: true, splitting: true, format: 'esm', minify: true, write: false, metafile: true,
        outdir: join(work, 'out'), logLevel: 'silent',
      });
      const eager = new Set();
      const visit = (p) => {
        if (eager.has(p)) return;
        eager.add(p);
        for (const imp of out.metafile.outputs[p].imports) if (imp.kind === 'import-statement') visit(imp.path);
      };
      visit(Object.keys(out.metafile.outputs).find((p) => out.metafile.outputs[p].entryPoint));
      const inputs = [...eager].flatMap((p) => Object.keys(out.metafile.outputs[p].inputs));
      const code = out.outputFiles.map((f) => f.text).join('\n');
      return { inputs, code };
    };
    const overview = await bundle('ua-kit/overview');
    assert.equal(overview.inputs.filter((p) => p.includes('node_modules/chart.js')).length, 0);
    assert.ok(overview.code.includes('"ua-overview"'), 'the overview is defined');
    assert.ok(!overview.code.includes('"ua-trend"'), 'the overview alone has no trend');
    const kit = await bundle('ua-kit');
    assert.equal(kit.inputs.filter((p) => p.includes('node_modules/chart.js')).length, 0, 'chart.js is not in the first load');
    for (const tag of TAGS) assert.ok(kit.code.includes(`"${tag}"`), `${tag} is in the bundle`);
  });
});

describe('client apps, production builds, in Chromium', () => {
  const events = makeEvents();
  const columnar = columnarFiles(events);

  for (const name of Object.keys(BUILDS)) {
    it(name, async () => {
      const app = join(work, 'apps', name);
      const out = join(work, 'www', name);
      BUILDS[name](app, out);
      writeFileSync(join(out, 'events.json'), JSON.stringify(events));
      for (const [file, bytes] of Object.entries(columnar)) writeFileSync(join(out, file), bytes);
      measure(name, out);
      const { server, url } = await serve(out);
      try {
        const { page, problems } = await open(url);
        const defined = await page.evaluate((tags) => tags.filter((t) => customElements.get(t)), TAGS);
        assert.deepEqual(defined, TAGS, 'all seven elements are defined');

        const shownNow = await overviewOnceLoaded(page);
        const expected = computeReport(events, OPTIONS);
        assert.equal(shownNow.range, 30, 'range="30" from the template reached the store as 30');
        assert.equal(shownNow.buckets, 30);
        assert.deepEqual(shownNow.totals, expected.totals);
        for (const [key, value] of Object.entries(expected.totals)) {
          assert.equal(shownNow.cards[key], shown(key, value), `the ${key} card`);
        }
        assert.equal(shownNow.site, 'worker', 'computed in the Web Worker');

        await clickCard(page, 'opens');
        assert.deepEqual(await page.evaluate(() => window.selected), ['opens'], "the app's own metric-select handler ran once");
        if (name === 'react' || name === 'vue') {
          assert.equal(await page.$eval('#chosen', (p) => p.textContent), 'opens', 'the framework re-rendered from the event');
        }
        // The trend (chart.js, loaded lazily) drew its chart; the dashboard has its numbers.
        await page.waitForFunction(() => document.querySelector('ua-trend')?.shadowRoot?.querySelector('canvas'), { timeout: 20_000 });
        await page.waitForFunction(
          () => document.querySelector('ua-dashboard')?.shadowRoot?.querySelector('ua-overview')?.shadowRoot?.querySelector('[data-metric] .value'),
          { timeout: 20_000 },
        );
        // Arrow and Parquet: the worker imports its reader, a chunk beside it, only now.
        for (const file of Object.keys(columnar)) {
          const totals = await page.evaluate(
            (src) =>
              new Promise((ok, fail) => {
                const source = document.querySelector('#ua');
                source.addEventListener('report-load', (e) => ok(e.detail.totals), { once: true });
                source.addEventListener('report-error', (e) => fail(new Error(e.detail.reason)), { once: true });
                source.setAttribute('events-src', `./${src}`);
              }),
            file,
          );
          assert.deepEqual(totals, expected.totals, `the same totals from ${file}`);
        }
        assert.deepEqual(problems, [], 'no console error, no failed request');
        await page.close();
      } finally {
        server.close();
      }
    });
  }

  it('esbuild without setWorkerUrl: one console warning that names the fix, the same numbers from the main thread', async () => {
    const { server, url } = await serve(join(work, 'www', 'esbuild'));
    try {
      const { page, warnings } = await open(`${url}?no-worker-url`);
      const shownNow = await overviewOnceLoaded(page);
      assert.equal(shownNow.site, 'main');
      assert.deepEqual(shownNow.totals, computeReport(events, OPTIONS).totals);
      const told = warnings.filter((w) => w.startsWith('ua-kit:'));
      assert.equal(told.length, 1, 'said once');
      assert.match(told[0], /setWorkerUrl/);
      await page.close();
    } finally {
      server.close();
    }
  });
});
