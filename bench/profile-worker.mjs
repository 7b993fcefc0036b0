#!/usr/bin/env node
/**
 * A CPU profile of the report worker while `<ua-source events-src>` loads one of the browser
 * bench's files (bench/events-src-files.ts) and computes its Report, in headless Chromium: the
 * CDP Profiler on the worker target (puppeteer-core), started as the worker is attached. Prints
 * the functions with the most self time, and the time from the worker's start to report-load
 * split into what the worker did (by top-level task kind) and idle; writes the .cpuprofile
 * (open it in Chrome DevTools, Performance panel) into the work folder.
 *
 * The kit is built as bench/browser.mjs builds it, then the worker and its lazy readers are
 * bundled again with esbuild unminified (one shared chunk rather than the build's copies), so
 * that the profile names functions. Timings are a little slower than the bench's: profiling
 * costs CPU; compare the bench's figures, not these, against targets.
 *
 *   node bench/profile-worker.mjs [--format=arrow|parquet|ndjson|json] [--size=1m] [--runs=3]
 *     [--top=40] [--interval=100 (µs)] [--out=DIR]
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare, serve, writeEventsFiles } from './browser.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const format = args.format ?? 'arrow';
const events = Number((args.size ?? '1m').replace(/m$/i, '')) * 1e6;
const runs = Number(args.runs ?? 3);
const top = Number(args.top ?? 40);
const interval = Number(args.interval ?? 100);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = args.out ?? mkdtempSync(join(tmpdir(), 'ua-profile-'));
mkdirSync(work, { recursive: true });
const www = await prepare(root, work, false);
// The worker again, unminified, where the kit starts it (assets/report.worker.js).
for (const f of readdirSync(join(www, 'assets')))
  if (f.startsWith('report.worker')) rmSync(join(www, 'assets', f));
const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: { 'report.worker': join(root, 'src/store/worker/report.worker.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  outdir: join(www, 'assets'),
  chunkNames: 'report.worker-[name]-[hash]',
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'error',
});
const [written] = await writeEventsFiles(root, work, join(www, 'data'), [events], [format]);
const file = written.files[format];
const { server, base } = await serve(www);
const puppeteer = (await import('puppeteer-core')).default;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--headless=new', '--js-flags=--expose-gc'],
});
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
try {
  const page = await browser.newPage();
  await page.goto(`${base}/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => 'uaBench' in globalThis);
  /** The worker of the current run, its profiler started as it is attached. */
  let current = null;
  page.on('workercreated', (w) => {
    const started = (async () => {
      await w.client.send('Profiler.enable');
      await w.client.send('Profiler.setSamplingInterval', { interval });
      await w.client.send('Profiler.start');
    })();
    current = { w, started, at: Date.now() };
  });
  console.log(
    `profile of the report worker: ${format} ${events / 1e6} M (${file}), load ${load()}`,
  );
  for (let run = 0; run < runs; run++) {
    current = null;
    const ms = await page.evaluate(
      async ({ url, kitModule }) => {
        await import(kitModule);
        await customElements.whenDefined('ua-source');
        globalThis.gc?.();
        await new Promise((r) => setTimeout(r, 100));
        const el = document.createElement('ua-source');
        el.setAttribute('range', '30');
        el.setAttribute('end-date', '2026-03-31');
        el.setAttribute('time-zone', 'Asia/Shanghai');
        const t0 = performance.now();
        const loaded = new Promise((ok, fail) => {
          el.addEventListener('report-load', () => ok(performance.now() - t0), { once: true });
          el.addEventListener('report-error', (e) => fail(new Error(JSON.stringify(e.detail))));
        });
        el.setAttribute('events-src', url);
        document.body.append(el);
        const ms = await loaded;
        globalThis.__uaProfileEl = el;
        return ms;
      },
      { url: `/data/${file}`, kitModule: '/kit/ua-kit.js' },
    );
    if (current === null) throw new Error('no worker was created');
    await current.started;
    const { profile } = await current.w.client.send('Profiler.stop');
    await page.evaluate(() => globalThis.__uaProfileEl.remove());
    const out = join(work, `worker-${format}-${run}.cpuprofile`);
    writeFileSync(out, JSON.stringify(profile));
    console.log(`\nrun ${run + 1}: report-load ${ms.toFixed(0)} ms, load ${load()}; ${out}`);
    summarize(profile);
  }
} finally {
  await browser.close();
  server.close();
}

/** Self time by function (name, file:line), and busy vs idle. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const d = (dt[i + 1] ?? 0) / 1000;
    total += d;
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + d);
  }
  const idle = self.get('(idle) :0') ?? 0;
  console.log(
    `  profiled ${total.toFixed(0)} ms: busy ${(total - idle).toFixed(0)} ms, idle ${idle.toFixed(0)} ms`,
  );
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, ms] of rows) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
}
