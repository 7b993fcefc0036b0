#!/usr/bin/env node
/**
 * The browser bench, on the BUILT kit, in headless Chromium. Every figure is printed beside
 * its budget.
 *
 * What runs where:
 * - The kit is built with Vite and vite.config.ts as `npm run build` does, into a temporary
 *   folder (`--dist`: use ./dist as `npm run build` left it). dist/ua-kit.js is then bundled
 *   with lit and chart.js by esbuild (ES modules, code splitting, minified, production
 *   conditions), the way an app's bundler would, and the report worker chunk is copied beside
 *   it. bench/browser-page.ts (the harness and demo/synthetic.ts's generator) is bundled on its
 *   own and imports the kit by URL at run time. A small node:http server serves it all.
 * - puppeteer-core drives the system Chromium (/usr/bin/chromium, or CHROME_PATH; never a
 *   downloaded browser), launched with --js-flags=--expose-gc and --enable-precise-memory-info.
 *   Each section runs in a fresh browser.
 *
 * Sections and budgets:
 * - render: a 30-day and a 1-day hourly Report set on a store under <ua-overview>,
 *   <ua-trend> and <ua-detail-table> (`store.setReport(report)`), to the next animation frame
 *   after all three finished updating (requestAnimationFrame after `updateComplete`; the chart
 *   is drawn during the update). Median ≤ 50 ms. Also shown: the work alone (to
 *   `updateComplete`) and to the end of that frame (a task queued in the frame: style, layout
 *   and paint done).
 * - click: a metric card clicked in <ua-overview> until <ua-trend> shows that metric, to the
 *   next frame. Median ≤ 16 ms.
 * - memory: 200 mount/unmount cycles of <ua-dashboard> over 5 000 events (each waits for the
 *   report and the chart). JS heap after GC (performance.memory.usedJSHeapSize, precise, after
 *   gc() calls) back within 5 % of the start; no chart.js instance left (`Chart.instances`);
 *   no Web Worker left (the page wraps the Worker constructor and counts constructions and
 *   terminate() calls); no detached DOM node. The start is taken after 200 warm-up cycles:
 *   V8 keeps compiling hot functions for about that long (compiled code is part of the JS
 *   heap: +160 KB over the first 200 cycles, +30 KB over the next 200), which is not a leak.
 *   Two heap snapshots (start, end) split the growth into JS objects (a leak would show
 *   there), compiled code, V8 internals and DOM/Blink objects (performance entries and the
 *   like, outside usedJSHeapSize), the largest kinds named.
 * - in-browser mode: 1 M and 5 M generated events set on a <ua-source> (`events`), to
 *   `report-load`, with the main thread's long tasks (PerformanceObserver 'longtask', wall
 *   clock) and, from the trace, the CPU time of each. No task > 50 ms; the 1 M report ≤ 1.5 s.
 *   Before each run the page calls gc(), so that the generated events sit in V8's old
 *   generation like data loaded a moment earlier (see bench/browser-page.ts).
 *
 * Timings are wall-clock medians of several runs. On a shared machine they wander with the
 * load, so the CPU time of the same runs is printed beside them: a Chromium trace
 * (devtools.timeline) is recorded around a section, the page marks each run's start and end
 * (User Timing), and the thread time (`tdur`) of the main thread's tasks in each run is
 * summed (in-browser mode: the Web Worker's too); medians over the runs. Tracing itself costs
 * some CPU, so these figures are a little high.
 *
 * - events-src (issue #15): files of 1 M and 10 M events (bench/events-src-files.ts, written in
 *   Node: NDJSON, a JSON array, an Arrow IPC stream, Parquet; and, by chDB from that Parquet
 *   file, Arrow IPC files with LZ4_FRAME and ZSTD bodies as ClickHouse exports them,
 *   bench/arrow-compressed.mjs, skipped when chDB is missing) served over HTTP, each given to a
 *   <ua-source events-src>, to report-load; beside the events property of the same events in
 *   the same browser, and for NDJSON beside a bare fetch + split + JSON.parse loop in a worker.
 *   Each file's report-load is also printed as a multiple of this machine's floor for it,
 *   measured in the same browser, taking turns with its runs: a bare Web Worker that fetches the file
 *   and reads every chunk (new Worker → last chunk; also from the fetch call), plus the
 *   compute of the same runs (the store's ua-kit:compute measure: compute message → Report
 *   back). The worker's peak memory (JS heap + ArrayBuffers, sampled over CDP) per event. At
 *   1 M each format gets one more run, traced: the CPU of the main thread and of the worker
 *   (the timed runs are not traced, as the floors are not). At 1 M also `source.columns =
 *   table`: the Arrow file read into an apache-arrow Table in the page (not timed), to
 *   report-load. The load average is printed beside each figure.
 *
 * Flags: --quick (fewer runs, 50 memory cycles, no 5 M, events-src at 1 M only), --dist,
 * --only=render,click,memory,in-browser,events-src; for events-src also --sizes=1m,10m (the
 * sizes to run, default both) and --formats=arrow,arrow-lz4,arrow-zstd,parquet,ndjson,json (default all; the
 * events property always runs as the baseline), so that the 10 M figures can be taken one
 * format at a time (`node bench/browser.mjs --only=events-src --sizes=10m --formats=parquet`).
 * Each figure is printed with the load average at the time. Whatever is missing (Chromium, puppeteer-core) makes it print "browser bench
 * skipped: <reason>" and succeed.
 *
 * Run by `npm run bench` after the engine part, or alone: `node bench/browser.mjs`.
 */
import { createServer } from 'node:http';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  statSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CATEGORIES, cpuPerRun } from '../scripts/trace-cpu.mjs';
import { COMPRESSED_ARROW, writeCompressedArrow } from './arrow-compressed.mjs';

const BUDGET = {
  renderMs: 50,
  clickMs: 16,
  heapPercent: 5,
  taskMs: 50,
  report1MMs: 1500,
  /** events-src to report-load, ms, at 1 M and 10 M events (issue #15). */
  eventsSrc: {
    arrow: [100, 1000],
    'arrow-lz4': [100, 1000],
    'arrow-zstd': [100, 1000],
    parquet: [400, 4000],
    ndjson: [900, 9000],
  },
  /** NDJSON's load against a bare fetch + split + JSON.parse loop in a worker. */
  ndjsonRatio: 1.3,
};

/**
 * Writes the events-src files (bench/events-src-files.ts, bundled for Node) of `sizes` events
 * into `dir`, and the compressed Arrow ones from its Parquet file by chDB
 * (bench/arrow-compressed.mjs); returns what it wrote, per size (`skipped`: why the
 * compressed Arrow files are missing).
 */
export async function writeEventsFiles(root, work, dir, sizes, formats) {
  const compressed = formats.filter((f) => f in COMPRESSED_ARROW);
  const plain = formats.filter((f) => !(f in COMPRESSED_ARROW));
  // chDB makes the compressed Arrow files from the Parquet one.
  if (compressed.length > 0 && !plain.includes('parquet')) plain.push('parquet');
  const esbuild = await import('esbuild');
  const out = join(work, 'events-src-files.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'bench', 'events-src-files.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'error',
  });
  const { writeEventsFiles: write } = await import(pathToFileURL(out).href);
  mkdirSync(dir, { recursive: true });
  const written = [];
  for (const n of sizes) {
    const w = await write(dir, n, '2026-03-31', 'Asia/Shanghai', plain);
    if (compressed.length > 0) {
      const c = await writeCompressedArrow(root, dir, w.files.parquet, `${n / 1e6}m`, compressed);
      Object.assign(w.files, c.files);
      w.skipped = c.skipped;
    }
    written.push(w);
  }
  return written;
}

/**
 * Samples the JS heap (and, where Chromium reports it, the ArrayBuffer backing stores) of every
 * Web Worker of `page` every 20 ms, until stopped; returns the peak in bytes.
 */
function sampleWorkerMemory(page) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const w of page.workers()) {
        try {
          const u = await w.client.send('Runtime.getHeapUsage');
          peak = Math.max(peak, u.usedSize + (u.backingStorageSize ?? 0));
        } catch {
          // the worker ended meanwhile
        }
      }
      await new Promise((ok) => setTimeout(ok, 20));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return peak;
  };
}

/** Builds the kit, bundles it and the page into `www`; returns the folder. */
export async function prepare(root, work, useDist, { minify = true } = {}) {
  const esbuild = await import('esbuild');
  let built = join(root, 'dist');
  if (useDist) {
    if (!existsSync(join(built, 'ua-kit.js')))
      throw new Error('dist/ua-kit.js not found: run `npm run build` first');
  } else {
    built = join(work, 'dist');
    const { build } = await import('vite');
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: built, emptyOutDir: true, sourcemap: false, minify },
    });
  }
  const www = join(work, 'www');
  const common = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    conditions: ['production'],
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'error',
  };
  await esbuild.build({
    ...common,
    entryPoints: [join(built, 'ua-kit.js')],
    splitting: true,
    minify,
    outdir: join(www, 'kit'),
  });
  // The worker where the kit's URL points once bundled into kit/: dist/elements/source-*.js
  // starts it from ../assets/report.worker.js, which esbuild keeps as it is.
  const assets = join(built, 'assets');
  if (existsSync(assets)) {
    mkdirSync(join(www, 'assets'), { recursive: true });
    for (const f of readdirSync(assets)) copyFileSync(join(assets, f), join(www, 'assets', f));
  }
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'bench', 'browser-page.ts')],
    outfile: join(www, 'page.js'),
  });
  copyFileSync(join(root, 'bench', 'browser.html'), join(www, 'index.html'));
  return www;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.arrows': 'application/vnd.apache.arrow.stream',
  '.arrow': 'application/vnd.apache.arrow.file',
  '.parquet': 'application/vnd.apache.parquet',
};

/** Serves `dir` on 127.0.0.1 at a free port (files streamed, with their Content-Length). */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const size = statSync(file).size;
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // One byte range (`bytes=a-b`), as static hosts and CDNs answer it: the Parquet reader
    // fetches a file's footer first that way, to read row groups while the rest downloads.
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range && +range[1] <= +range[2] && +range[2] < size) {
      const [start, end] = [+range[1], +range[2]];
      res.writeHead(206, {
        'content-type': type,
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${size}`,
      });
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(size),
      'accept-ranges': 'bytes',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/** Runs `fn` with a trace of the page; returns its value and the CPU time of its marked runs. */
async function traced(page, fn) {
  await page.tracing.start({ categories: CATEGORIES });
  let value;
  try {
    value = await fn();
  } catch (e) {
    await page.tracing.stop();
    throw e;
  }
  const buffer = await page.tracing.stop();
  let cpu = new Map();
  try {
    if (buffer) cpu = cpuPerRun(JSON.parse(new TextDecoder().decode(buffer)));
  } catch {
    // an unreadable trace: CPU figures n/a
  }
  return { value, cpu };
}

/** Median CPU of the runs whose key starts with `prefix`: `{ main, worker, runs }`. */
function cpuOf(cpu, prefix) {
  const xs = [...cpu].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  const med = (ys) => {
    const s = [...ys].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  return {
    main: med(xs.map((x) => x.main)),
    worker: med(xs.map((x) => x.worker)),
    runs: xs.length,
  };
}

const fmt = (ms) =>
  Number.isFinite(ms)
    ? (ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1)) + ' ms'
    : 'n/a';
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const signed = (n) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toLocaleString('en-US')}`;
const kbSigned = (bytes) => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1024).toFixed(1)} KB`;

/**
 * A heap snapshot (CDP HeapProfiler; it collects garbage first), summed by kind: JS objects
 * (objects, arrays, closures, strings, numbers…), compiled code, V8 internals (hidden nodes,
 * object shapes), DOM/Blink (native), and the number of detached DOM nodes.
 */
async function heapSummary(cdp) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const snap = JSON.parse(chunks.join(''));
  const meta = snap.snapshot.meta;
  const width = meta.node_fields.length;
  const at = (f) => meta.node_fields.indexOf(f);
  const [type, name, size] = [at('type'), at('name'), at('self_size')];
  const types = meta.node_types[0];
  const sum = {
    js: 0,
    jsCount: 0,
    code: 0,
    internal: 0,
    native: 0,
    detached: 0,
    natives: new Map(),
  };
  const JS = new Set([
    'array',
    'string',
    'object',
    'closure',
    'regexp',
    'number',
    'concatenated string',
    'sliced string',
    'symbol',
    'bigint',
  ]);
  for (let i = 0; i < snap.nodes.length; i += width) {
    const t = types[snap.nodes[i + type]];
    const bytes = snap.nodes[i + size];
    if (JS.has(t)) {
      sum.js += bytes;
      sum.jsCount++;
    } else if (t === 'code') sum.code += bytes;
    else if (t === 'native') {
      sum.native += bytes;
      const n = snap.strings[snap.nodes[i + name]];
      if (n.startsWith('Detached ')) sum.detached++;
      const key = n.replace(/^blink::/, '').replace(/<.*/, '<…>');
      const [count, total] = sum.natives.get(key) ?? [0, 0];
      sum.natives.set(key, [count + 1, total + bytes]);
    } else sum.internal += bytes;
  }
  return sum;
}

const verdict = (ok) => (ok ? 'met' : 'MISSED');

/** What the bench's events files are (bench/events-src-files.ts). */
const FILE_KINDS = {
  arrow:
    'Arrow IPC stream with dictionary strings, record batches of 122 880 rows as DuckDB exports',
  parquet: 'Parquet: snappy, dictionary strings, INT64 ms timestamps, row groups of 200 k',
  'arrow-lz4':
    'Arrow IPC file with LZ4_FRAME bodies and dictionary strings, written by chDB from the Parquet file as ClickHouse exports it (its default codec)',
  'arrow-zstd': 'Arrow IPC file with ZSTD bodies and dictionary strings, written by chDB likewise',
  ndjson: 'NDJSON',
  json: 'JSON array',
};

/** The 1-minute load average now (`uptime`), printed beside each events-src figure. */
const loadNow = () => loadavg()[0].toFixed(1);

function line(label, value, extra = '') {
  console.log(`  ${label.padEnd(40)} ${value.padStart(22)}  ${extra}`.trimEnd());
}

/** The median, and the range of the runs. */
const spread = (t) => `${fmt(t.median)}`;
const range = (t) => `(${fmt(t.min)} – ${fmt(t.max)}, ${t.runs} runs)`;

/**
 * Runs the browser bench and prints its figures; returns them, or `{ skipped }` with the reason.
 */
export async function runBrowserBench({
  root = resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  quick = false,
  useDist = false,
  only = null,
  sizes = null,
  formats = null,
  timeoutMs = 300_000,
} = {}) {
  const skip = (reason) => {
    console.log(`browser bench skipped: ${reason}`);
    return { skipped: reason };
  };
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return skip(`no Chromium at ${executablePath}`);
  let puppeteer;
  try {
    puppeteer = (await import('puppeteer-core')).default;
  } catch (e) {
    return skip(`cannot load puppeteer-core (${e.message})`);
  }
  const wants = (name) => only === null || only.includes(name);

  const work = mkdtempSync(join(tmpdir(), 'ua-bench-web-'));
  let server = null;
  let browser = null;
  const results = {};
  try {
    const t0 = performance.now();
    const www = await prepare(root, work, useDist);
    const served = await serve(www);
    server = served.server;
    const launch = () =>
      puppeteer.launch({
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--headless=new',
          '--js-flags=--expose-gc',
          '--enable-precise-memory-info',
        ],
        protocolTimeout: timeoutMs * 4,
      });
    browser = await launch();
    const version = await browser.version();
    console.log(
      `ua-kit browser bench — ${version}, headless; the built kit (${useDist ? 'dist/' : 'fresh Vite build'}, ` +
        `bundled with lit and chart.js, minified), ready in ${fmt(performance.now() - t0)}`,
    );

    /**
     * The bench page in a fresh browser (a section's garbage and renderer must not reach the
     * next one); errors on the page are collected.
     */
    const open = async () => {
      await browser.close();
      browser = await launch();
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${served.base}/index.html`, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForFunction(() => 'uaBench' in globalThis, { timeout: 60_000 });
      return { page, errors };
    };
    const kitModule = '/kit/ua-kit.js';
    const reportErrors = (errors) => {
      for (const e of errors.slice(0, 5)) console.log(`    page error: ${e.split('\n')[0]}`);
    };

    if (wants('render')) {
      const runs = quick ? 8 : 20;
      const { page, errors } = await open();
      const { value: r, cpu } = await traced(page, () =>
        page.evaluate((o) => globalThis.uaBench.render(o), { kitModule, runs }),
      );
      await page.close();
      results.render = { ...r, cpu };
      console.log(
        `\nrender: store.setReport(report) under <ua-overview>, <ua-trend>, <ua-detail-table>; ` +
          `medians of ${runs} runs each, alternating`,
      );
      for (const [key, label] of [
        ['day30', `30-day Report (${r.buckets.day30} days)`],
        ['day1', `1-day Report (${r.buckets.day1} hours)`],
      ]) {
        const t = r[key];
        line(
          `${label} → next frame`,
          spread(t),
          `target ≤ ${BUDGET.renderMs} ms: ${verdict(t.median <= BUDGET.renderMs)}  ${range(t)}`,
        );
        line('  of which the update itself', fmt(r[`${key}Work`].median));
        line('  to the end of that frame (painted)', fmt(r[`${key}Painted`].median));
        const c = cpuOf(cpu, `${key}-`);
        line(
          '  main-thread CPU, to the end of the frame',
          fmt(c.main),
          `(trace, median of ${c.runs})`,
        );
      }
      line(
        'first report (loads chart.js lazily)',
        fmt(r.first.toFrame),
        `(painted ${fmt(r.first.painted)}; no budget: once per page)`,
      );
      reportErrors(errors);
    }

    if (wants('click')) {
      const runs = quick ? 14 : 35;
      const { page, errors } = await open();
      const { value: r, cpu } = await traced(page, () =>
        page.evaluate((o) => globalThis.uaBench.click(o), { kitModule, runs }),
      );
      await page.close();
      results.click = { ...r, cpu };
      console.log(
        `\nclick: a metric card in <ua-overview> → <ua-trend> shows that metric (30 days)`,
      );
      line(
        'card click → chart updated, next frame',
        spread(r.toFrame),
        `target ≤ ${BUDGET.clickMs} ms: ${verdict(r.toFrame.median <= BUDGET.clickMs)}  ${range(r.toFrame)}`,
      );
      line('  of which the update itself', fmt(r.work.median));
      line('  to the end of that frame (painted)', fmt(r.painted.median));
      const c = cpuOf(cpu, 'click-');
      line(
        '  main-thread CPU, to the end of the frame',
        fmt(c.main),
        `(trace, median of ${c.runs})`,
      );
      reportErrors(errors);
    }

    if (wants('memory')) {
      const cycles = quick ? 50 : 200;
      const warmup = quick ? 20 : 200;
      const every = 50;
      const { page, errors } = await open();
      const cdp = await page.createCDPSession();
      const run = (n) =>
        page.evaluate((o) => globalThis.uaBench.memoryCycles(o), {
          kitModule,
          cycles: n,
          timeoutMs: 60_000,
        });
      const heap = () => page.evaluate(() => globalThis.uaBench.heapAfterGc());
      await run(0); // the kit and the events
      const beforeWarmup = await heap();
      await run(warmup);
      const start = await heap();
      const before = await heapSummary(cdp);
      const samples = [[0, start]];
      let state = null;
      for (let done = 0; done < cycles;) {
        const n = Math.min(every, cycles - done);
        state = await run(n);
        done += n;
        samples.push([done, await heap()]);
      }
      const end = samples[samples.length - 1][1];
      const after = await heapSummary(cdp);
      await page.close();
      results.memory = {
        cycles,
        warmup,
        beforeWarmup,
        start,
        end,
        samples,
        before,
        after,
        ...state,
      };
      const r = results.memory;
      const growth = ((end - start) / start) * 100;
      console.log(
        `\nmemory: ${cycles} mount/unmount cycles of <ua-dashboard> over ${r.events.toLocaleString('en-US')} events, ` +
          `each to its report and chart (median ${fmt(r.cycleMs)}); start after ${warmup} warm-up cycles` +
          (r.gcAvailable ? '' : ' — gc() NOT available: heap figures are not after GC'),
      );
      line(
        'JS heap after GC, start → end',
        `${mb(start)} → ${mb(end)}`,
        `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %, target within ±${BUDGET.heapPercent} %: ` +
          `${verdict(Math.abs(growth) <= BUDGET.heapPercent)}  (before warm-up ${mb(beforeWarmup)})`,
      );
      line('  after GC by cycles done', '', samples.map(([n, b]) => `${n}: ${mb(b)}`).join(', '));
      const d = (k) => after[k] - before[k];
      line(
        '  heap snapshot growth, start → end',
        '',
        `JS objects ${kbSigned(d('js'))} (${signed(d('jsCount'))} objects), compiled code ${kbSigned(d('code'))}, ` +
          `V8 internals ${kbSigned(d('internal'))}, DOM/Blink ${kbSigned(d('native'))}`,
      );
      const grown = [...after.natives]
        .map(([k, [n, b]]) => [
          k,
          n - (before.natives.get(k)?.[0] ?? 0),
          b - (before.natives.get(k)?.[1] ?? 0),
        ])
        .filter(([, , b]) => b > 0)
        .sort((x, y) => y[2] - x[2])
        .slice(0, 5);
      line(
        '  DOM/Blink growth, largest kinds',
        '',
        grown.map(([k, n, b]) => `${k} ${signed(n)} (${kbSigned(b)})`).join(', '),
      );
      line(
        'detached DOM nodes at the end',
        String(after.detached),
        `target 0: ${verdict(after.detached === 0)}`,
      );
      line(
        'chart.js instances left',
        String(r.chartsLeft),
        `target 0: ${verdict(r.chartsLeft === 0)}`,
      );
      line(
        'Web Workers left',
        String(r.workers.alive),
        `target 0: ${verdict(r.workers.alive === 0)}  (${r.workers.created} started, ${r.workers.terminated} terminated)`,
      );
      reportErrors(errors);
    }

    if (wants('in-browser')) {
      const sizes = quick
        ? [{ events: 1_000_000, label: '1 M', runs: 2 }]
        : [
            { events: 1_000_000, label: '1 M', runs: 3 },
            { events: 5_000_000, label: '5 M', runs: 3 },
          ];
      results.inBrowser = [];
      for (const size of sizes) {
        const { page, errors } = await open();
        // Generate first (outside the trace), then time the runs.
        await page.evaluate((o) => globalThis.uaBench.generate(o), {
          kitModule,
          events: size.events,
        });
        const { value: r, cpu } = await traced(page, () =>
          page.evaluate((o) => globalThis.uaBench.inBrowser(o), {
            kitModule,
            events: size.events,
            runs: size.runs,
            timeoutMs,
          }),
        );
        await page.close();
        results.inBrowser.push({ ...r, cpu });
        printInBrowser(size, r, cpu);
        reportErrors(errors);
      }
    }
    if (wants('events-src')) {
      results.eventsSrc = await eventsSrcSection({
        root,
        work,
        www,
        quick,
        sizes,
        formats,
        open,
        kitModule,
        timeoutMs,
        reportErrors,
      });
    }
    return results;
  } finally {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok()));
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * events-src at 1 M (and 10 M unless --quick): each format to report-load, beside the events
 * property in the same browser and the bare NDJSON loop; worker peak memory per event.
 */
async function eventsSrcSection({
  root,
  work,
  www,
  quick,
  sizes: givenSizes,
  formats: givenFormats,
  open,
  kitModule,
  timeoutMs,
  reportErrors,
}) {
  const sizes = givenSizes ?? (quick ? [1_000_000] : [1_000_000, 10_000_000]);
  const formats = givenFormats ?? ['arrow', 'arrow-lz4', 'arrow-zstd', 'parquet', 'ndjson', 'json'];
  const t0 = performance.now();
  const written = await writeEventsFiles(root, work, join(www, 'data'), sizes, formats);
  console.log(
    `\nevents-src: files of demo/synthetic's events written in ${fmt(performance.now() - t0)} ` +
      `(${formats.map((f) => FILE_KINDS[f]).join(', ')}), served ` +
      `over HTTP with Content-Length; <ua-source events-src range=30>; load average ` +
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' '),
  );
  console.log(
    `  floor of each file, in the same browser, one after each of its runs: a bare Web Worker that fetches ` +
      `it and reads every chunk (new Worker → last chunk; and from the fetch call), plus the ` +
      `compute of that file's runs (the store's own ua-kit:compute measure: compute message → ` +
      `Report back in the page, the columns already in the worker)`,
  );
  const out = [];
  for (const w of written) {
    const label = `${w.events / 1e6} M`;
    const is1M = w.events === 1_000_000;
    const runs = is1M ? (quick ? 2 : 3) : quick ? 1 : 2;
    console.log(`  ${label} events:`);
    const results = {};
    for (const format of formats) {
      const file = w.files[format];
      if (file === undefined) {
        line(format, 'skipped', w.skipped ?? 'no file');
        continue;
      }
      const { page, errors } = await open();
      const size = mb(statSync(join(www, 'data', file)).size);
      const stop = sampleWorkerMemory(page);
      const url = `/data/${file}`;
      let r;
      let c = null;
      try {
        ({ value: r, cpu: c } = await timedThenTraced(page, is1M, `src-${format}`, runs, (o) =>
          page.evaluate((x) => globalThis.uaBench.eventsSrc(x), {
            label: o.label,
            runs: o.runs,
            kitModule,
            url,
            timeoutMs,
            floor: !o.traced, // each timed run followed by a bare download of the file
          }),
        ));
      } catch (e) {
        await stop();
        line(`${format} (${size})`, 'FAILED', e.message.split('\n')[0]);
        reportErrors(errors);
        await page.close();
        continue;
      }
      const peak = await stop();
      const { download } = r;
      let bare = null;
      let b = null;
      if (format === 'ndjson') {
        ({ value: bare, cpu: b } = await timedThenTraced(page, is1M, 'bare-ndjson', runs, (o) =>
          page.evaluate((x) => globalThis.uaBench.bareNdjson(x), {
            label: o.label,
            runs: o.runs,
            url,
          }),
        ));
      }
      await page.close();
      results[format] = { ...r, format, peak, bare, download };
      const budget = BUDGET.eventsSrc[format]?.[is1M ? 0 : 1];
      printAgainstFloor(`${format} (${size}) → report-load`, r, download, budget, {
        json: format === 'json' ? r.accepted === results.ndjson?.accepted : null,
      });
      const longest = Math.max(0, ...r.longestPerRun);
      // The other files hold the same events: the same Report as the first format's.
      const first = results[formats.find((f) => results[f])];
      const same = Object.keys(first.totals).every((k) => r.totals[k] === first.totals[k]);
      line(
        '  accepted, main-thread task ≥ 50 ms',
        `${r.accepted?.toLocaleString('en-US')}`,
        `longest ${longest === 0 ? '< 50 ms' : fmt(longest)}: ${verdict(longest <= BUDGET.taskMs)}` +
          (first === results[format]
            ? ''
            : `; totals as ${first.format}'s: ${same ? 'yes' : 'NO'}`),
      );
      line(
        '  worker peak memory per event',
        `${(peak / w.events).toFixed(0)} B`,
        `peak ${mb(peak)}`,
      );
      printPhases(r);
      if (c) {
        line(
          '  CPU per run (trace): main, worker',
          `${fmt(c.main)}, ${fmt(c.worker)}`,
          `one more run, traced`,
        );
      }
      if (bare) {
        const ratio = r.reportMs.median / bare.median;
        if (b && c) {
          line(
            '  bare loop: worker CPU (trace)',
            fmt(b.worker),
            `the kit's worker + main CPU ${((c.worker + c.main) / b.worker).toFixed(2)}× of it`,
          );
        }
        line(
          '  bare fetch + split + JSON.parse (worker)',
          spread(bare),
          `NDJSON load ${ratio.toFixed(2)}× of it, target ≤ ${BUDGET.ndjsonRatio}×: ${verdict(ratio <= BUDGET.ndjsonRatio)}  ${range(bare)}, load ${loadNow()}`,
        );
      }
      reportErrors(errors);
    }
    // The events property, in the same browser, for comparison.
    const { page, errors } = await open();
    await page.evaluate((o) => globalThis.uaBench.generate(o), { kitModule, events: w.events });
    const stop = sampleWorkerMemory(page);
    try {
      const r = await page.evaluate((o) => globalThis.uaBench.inBrowser(o), {
        kitModule,
        events: w.events,
        runs,
        timeoutMs,
      });
      const peak = await stop();
      results.property = { ...r, peak };
      const base = r.reportMs.median;
      line(
        'events property (objects in the page)',
        spread(r.reportMs),
        `baseline  ${range(r.reportMs)}, load ${loadNow()}`,
      );
      line(
        '  worker peak memory per event',
        `${(peak / w.events).toFixed(0)} B`,
        `peak ${mb(peak)}`,
      );
      for (const f of formats) {
        const x = results[f];
        if (x) line(`  ${f} / events property`, `${(x.reportMs.median / base).toFixed(2)}×`);
      }
    } catch (e) {
      await stop();
      line('events property (objects in the page)', 'FAILED', e.message.split('\n')[0]);
    }
    reportErrors(errors);
    await page.close();
    if (is1M && formats.includes('arrow'))
      await arrowColumnsRuns({
        open,
        kitModule,
        file: w.files.arrow,
        runs,
        timeoutMs,
        results,
        reportErrors,
      });
    out.push({ events: w.events, results });
  }
  return out;
}

/**
 * `run({ label, runs, traced: false })` timed (wall clock, no trace: tracing costs CPU, which
 * the bare floors beside it would not pay); with `traceIt`, one more run, `{ traced: true }`,
 * whose CPU time (the main thread's and the worker's) comes back as `cpu` (10 M runs are too
 * long to trace).
 */
async function timedThenTraced(page, traceIt, label, runs, run) {
  const value = await run({ label, runs, traced: false });
  if (!traceIt) return { value, cpu: null };
  const { cpu } = await traced(page, () => run({ label: `${label}-cpu`, runs: 1, traced: true }));
  return { value, cpu: cpuOf(cpu, `${label}-cpu-`) };
}

/**
 * A format's report-load beside its floor on this machine: the bare download of the same file
 * (new Worker → last chunk) plus the compute of the same runs (the store's measure). A target
 * below that floor is said so: no reader could meet it here.
 */
function printAgainstFloor(label, r, download, budget, { json }) {
  const ms = r.reportMs.median;
  const compute = r.computeMs;
  const floor = download.fromWorker.median + (compute?.median ?? NaN);
  let target = '';
  if (budget) {
    const miss = floor > budget ? 'MISSED, below the floor of this machine' : 'MISSED';
    target =
      `; target ≤ ${fmt(budget)}: ${ms <= budget ? 'met' : miss} ` +
      `(${(ms / budget).toFixed(2)}× target)`;
  } else if (json !== null) target = `; target: loads, every event: ${verdict(json)}`;
  line(
    label,
    spread(r.reportMs),
    `floor ${fmt(floor)} (download ${fmt(download.fromWorker.median)} + compute ` +
      `${fmt(compute?.median)}): ${(ms / floor).toFixed(2)}× the floor${target}  ` +
      `${range(r.reportMs)}, load ${loadNow()}`,
  );
  line(
    '  bare download: new Worker → last chunk',
    spread(download.fromWorker),
    `${range(download.fromWorker)}, ${mb(download.bytes)} in ${download.chunks} chunks, load ${loadNow()}`,
  );
  line('    the same from the fetch call', spread(download.fromFetch), range(download.fromFetch));
  line(
    '  compute (store: message → Report back)',
    compute ? spread(compute) : 'n/a',
    compute ? `${range(compute)}, in the worker, same runs` : 'no ua-kit:compute measure',
  );
}

/**
 * Where a run's time went: each phase of its progress events (downloading, reading, computing),
 * from its first event to its last, in ms after the start, and report-load; the store's timings.
 */
function printPhases(r) {
  const spans = Object.entries(r.phases ?? {}).map(
    ([phase, p]) => `${phase} ${fmt(p.first)}–${fmt(p.last)} (${p.events})`,
  );
  line('  progress by phase, last run', '', `${spans.join(', ')}; report-load ${fmt(r.lastMs)}`);
  if (r.measures.length > 0) {
    const timings = r.measures.map(
      (m) => `${m.name.replace('ua-kit:', '')} ${fmt(m.start)}+${fmt(m.duration)}`,
    );
    line('  store timings, last run', '', timings.join(', '));
  }
}

/** The median CPU of the traced runs labelled `prefix`: the page's main thread and the worker. */
function printCpu(cpu, prefix, what) {
  const c = cpuOf(cpu, prefix);
  if (c.runs > 0) {
    line('  CPU per run: main thread', fmt(c.main), `worker ${fmt(c.worker)} (${what})`);
  }
}

/**
 * `source.columns = table` at 1 M: the Arrow file read into a Table in the page (tableFromIPC,
 * not timed), beside the events property and the same file through events-src (issue #15).
 */
async function arrowColumnsRuns({ open, kitModule, file, runs, timeoutMs, results, reportErrors }) {
  const { page, errors } = await open();
  try {
    const run = (label, n) =>
      page.evaluate((o) => globalThis.uaBench.arrowColumns(o), {
        kitModule,
        url: `/data/${file}`,
        label,
        runs: n,
        timeoutMs,
      });
    const r = await run('columns-arrow', runs);
    const { cpu } = await traced(page, () => run('columns-arrow-cpu', 1));
    results.arrowColumns = r;
    line(
      'columns = Arrow Table (tableFromIPC)',
      spread(r.reportMs),
      `no target; the Table read in ${fmt(r.tableMs)} before  ${range(r.reportMs)}  load ${loadNow()}`,
    );
    printCpu(cpu, 'columns-arrow-cpu-', 'one more run, traced');
    const longest = Math.max(0, ...r.longestPerRun);
    line(
      '  accepted, main-thread task ≥ 50 ms',
      `${r.accepted?.toLocaleString('en-US')}`,
      `longest ${longest === 0 ? '< 50 ms' : fmt(longest)}: ${verdict(longest <= BUDGET.taskMs)}`,
    );
    for (const [name, x] of [
      ['events property', results.property],
      ['events-src Arrow', results.arrow],
    ]) {
      if (x)
        line(
          `  columns = Table / ${name}`,
          `${(r.reportMs.median / x.reportMs.median).toFixed(2)}×`,
        );
    }
  } catch (e) {
    line('columns = Arrow Table (tableFromIPC)', 'FAILED', e.message.split('\n')[0]);
  }
  reportErrors(errors);
  await page.close();
}

function printInBrowser(size, r, cpu) {
  const longest = Math.max(0, ...r.longestPerRun);
  const at = (t) => `${fmt(t.duration)} at +${fmt(t.start)} (run ${t.run + 1})`;
  console.log(
    `\nin-browser mode, ${size.label}: ${r.events.toLocaleString('en-US')} events (generated in the page in ${fmt(r.generateMs)}) ` +
      `set on <ua-source range=30 end-date=2026-03-31 time-zone=Asia/Shanghai>; computed in the ${r.computedIn ?? 'n/a'}`,
  );
  const is1M = size.events === 1_000_000;
  line(
    'events set → report-load',
    spread(r.reportMs),
    (is1M
      ? `target ≤ ${fmt(BUDGET.report1MMs)}: ${verdict(r.reportMs.median <= BUDGET.report1MMs)}`
      : 'no budget (1 M: ≤ 1.5 s)') + `  ${range(r.reportMs)}`,
  );
  line(
    'longest main-thread task, all runs',
    longest === 0 ? '< 50 ms' : fmt(longest),
    `target ≤ ${BUDGET.taskMs} ms: ${verdict(longest <= BUDGET.taskMs)}` +
      (r.longTasks.length
        ? `  (≥ 50 ms: ${r.longTasks.slice(0, 4).map(at).join(', ')})`
        : '  (no task ≥ 50 ms)'),
  );
  const c = cpuOf(cpu, 'in-browser-');
  // The same long tasks in the trace, with the CPU time of each: a task much longer on the
  // wall clock than on the CPU was the thread waiting for a core (the machine's load).
  const traced = [...cpu]
    .filter(([k]) => k.startsWith('in-browser-'))
    .flatMap(([, v]) => v.long)
    .sort((a, b) => b.wall - a.wall);
  if (traced.length > 0) {
    const top = traced[0];
    const maxCpu = Math.max(...traced.map((t) => t.cpu));
    line(
      '  the longest in the trace: wall / CPU',
      `${fmt(top.wall)} / ${fmt(top.cpu)}`,
      `longest CPU of a task ≥ 50 ms: ${fmt(maxCpu)}, target ≤ ${BUDGET.taskMs} ms: ` +
        `${verdict(maxCpu <= BUDGET.taskMs)}` +
        (maxCpu <= BUDGET.taskMs
          ? ' (the rest of the wall time the thread waited for a core)'
          : ''),
    );
  }
  line(
    'CPU per run: main thread',
    fmt(c.main),
    `worker ${fmt(c.worker)} (trace, median of ${c.runs})`,
  );
  if (r.measures.length > 0) {
    const spans = r.measures.map((m) => `${m.name.replace('ua-kit:', '')} ${fmt(m.duration)}`);
    line('  store timings, last run', '', spans.join(', '));
  }
  line(
    '  report',
    '',
    `accepted ${r.accepted?.toLocaleString('en-US') ?? 'n/a'}, activeUsers ${r.totals.activeUsers}, opens ${r.totals.opens}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const listArg = (name) => {
    const arg = args.find((a) => a.startsWith(`--${name}=`));
    return arg ? arg.slice(name.length + 3).split(',') : null;
  };
  const sizes = listArg('sizes')?.map((s) => Number(s.replace(/m$/i, '')) * 1e6);
  await runBrowserBench({
    quick: args.includes('--quick'),
    useDist: args.includes('--dist'),
    only: listArg('only'),
    sizes: sizes ?? null,
    formats: listArg('formats'),
  });
}
