#!/usr/bin/env node
/**
 * `npm run size`: what an app ships when it bundles ua-kit, in min, gzip and brotli bytes,
 * beside the budgets.
 *
 * What is measured, and why:
 * - The BUILT kit, not src/: the library is built with Vite and vite.config.ts exactly as
 *   `npm run build` does (into a temporary folder, so that a dist/ someone is using is left
 *   alone; `--dist` measures ./dist as `npm run build` left it instead). The TypeScript
 *   declarations that `npm run build` also writes do not ship in a bundle and are skipped.
 *   The build minifies the text of Lit's css`…` and html`…` templates (vite.config.ts), which
 *   no app bundler would do; src/ measured directly would miss that.
 * - Each dist entry is then bundled the way an app's bundler would: esbuild, ES modules,
 *   code splitting, minified, production conditions, with lit and chart.js (external in dist)
 *   resolved from node_modules. The figures are therefore ua-kit + lit + chart.js, the whole
 *   cost of adding the kit to an app that has neither yet.
 * - Sizes are per chunk, compressed one by one (gzip -9, brotli -q 11) and summed: every chunk
 *   is its own HTTP response. "all chunks" includes the lazy ones (chart.js, which `<ua-trend>`
 *   imports after its first paint); "first paint" is the entry and its static imports only.
 * - The report worker (src/store/worker/report.worker.ts, built by vite.config.ts as one file,
 *   dist/assets/report.worker.js, loaded with `new URL(…, import.meta.url)`) is its own file
 *   that a page downloads only in in-browser mode (`events`, `events-src`); the chunks beside
 *   it (report.worker-*.js) are what it imports lazily, for Arrow and Parquet files only. It is listed on its own line
 *   with its own budget and is NOT part of "whole kit (all chunks)"; the line after it adds it
 *   in, the most one page can download.
 * - The engine's main-thread copy (src/engine/compute.ts, a lazy chunk dist/compute-*.js that
 *   the store imports only when no Web Worker can start, as under a CSP without worker-src) is
 *   likewise listed on its own line and not in "whole kit (all chunks)": like the worker, a
 *   page downloads it only in in-browser mode, and only in place of the worker's copy.
 * - The page's adapter for `source.columns` (src/store/worker/columns-message.ts, a lazy chunk
 *   dist/columns-message-*.js that the store imports the first time columns are set: it reads
 *   an Arrow Table's Data) is listed on its own line too, and not in "whole kit (all chunks)":
 *   only a page that sets `columns` downloads it, as only an Arrow or Parquet file brings the
 *   worker's readers.
 * - A breakdown of the whole kit's minified bytes by origin (ua-kit, lit, chart.js) follows.
 *
 * Exit code 1 when a budget is exceeded.
 */
import { build } from 'esbuild';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const useDist = process.argv.includes('--dist');
const KB = 1024;
const KIT = 'whole kit (all chunks)';
const WORKER = 'report worker (in-browser mode)';
const MAIN_ENGINE = 'engine on the main thread (no Worker; lazy)';
const COLUMNS_ADAPTER = 'source.columns adapter (lazy, `columns` only)';
const WORKER_LAZY = "worker's Arrow/Parquet readers (lazy, such files only)";
const WORKER_NDJSON = "worker's NDJSON scanner (lazy, NDJSON only)";

/**
 * The report worker's files that every in-browser page loads: report.worker.js and the chunks
 * it imports statically, transitively. What it imports with import() (the Arrow and Parquet
 * readers, vite.config.ts) loads only for such a file and is listed on its own line.
 */
function workerFiles(dir, assets, entry = 'report.worker.js') {
  if (!assets.includes(entry)) return assets.filter((f) => /worker.*\.js$/.test(f));
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      visit(m[1]);
    }
  };
  visit(entry);
  return [...seen];
}
/** The dist chunk of the engine's main-thread copy (see the notes above). */
const isMainEngine = (p) => /(^|\/)compute-[\w-]+\.js$/.test(p);
/** The dist chunk of the page's `source.columns` adapter (see the notes above). */
const isColumnsAdapter = (p) => /(^|\/)columns-message-[\w-]+\.js$/.test(p);
/** gzip budgets in KB; the element budgets exclude chart.js, which only ua-trend loads, lazily. */
const BUDGETS = {
  [KIT]: 80,
  overview: 20,
  'detail-table': 20,
  'app-select': 20,
  'range-select': 20,
  [WORKER]: 8,
};

const gzip = (b) => gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Builds the library with vite.config.ts into `outDir`. */
async function viteBuild(outDir) {
  const { build: vite } = await import('vite');
  await vite({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
}

/** Sizes of some files' contents, each compressed on its own, summed. */
function sizes(contents) {
  let min = 0;
  let gz = 0;
  let br = 0;
  for (const c of contents) {
    min += c.length;
    gz += gzip(c);
    br += brotli(c);
  }
  return { min, gzip: gz, brotli: br };
}

/**
 * Bundles one built entry as an app would; returns the sizes of its eager closure and of all
 * its chunks, and the minified bytes by origin.
 */
async function measure(entry) {
  const outdir = mkdtempSync(join(tmpdir(), 'ua-size-out-'));
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      write: false,
      outdir,
      target: 'es2022',
      metafile: true,
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
      conditions: ['production'],
      nodePaths: [join(root, 'node_modules')],
      logLevel: 'error',
    });
    const files = new Map(result.outputFiles.map((f) => [f.path, f.contents]));
    const outputs = result.metafile.outputs;
    const contentsOf = (p) => files.get(resolve(process.cwd(), p));
    const all = Object.keys(outputs).filter((p) => p.endsWith('.js'));
    const mainEngine = all.filter(
      (p) => !outputs[p].entryPoint && Object.keys(outputs[p].inputs).some(isMainEngine),
    );
    // A dynamic import's own chunk is an entry point of esbuild's: not excluded by that.
    const columnsAdapter = all.filter((p) => Object.keys(outputs[p].inputs).some(isColumnsAdapter));
    const js = all.filter((p) => !mainEngine.includes(p) && !columnsAdapter.includes(p));
    const entryOut = js.find((p) => outputs[p].entryPoint);
    // Eager closure: the entry chunk and what it imports statically (not dynamic imports).
    const eager = new Set();
    const visit = (p) => {
      if (eager.has(p)) return;
      eager.add(p);
      for (const imp of outputs[p].imports) if (imp.kind === 'import-statement') visit(imp.path);
    };
    visit(entryOut);
    const origin = { 'ua-kit': 0, lit: 0, 'chart.js': 0, other: 0 };
    for (const p of js) {
      for (const [input, { bytesInOutput }] of Object.entries(outputs[p].inputs)) {
        const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
        const key = !pkg
          ? 'ua-kit'
          : /^(lit|lit-html|lit-element|@lit\/.*)$/.test(pkg)
            ? 'lit'
            : pkg === 'chart.js' || pkg === '@kurkle/color'
              ? 'chart.js'
              : 'other';
        origin[key] += bytesInOutput;
      }
    }
    return {
      eager: sizes([...eager].map(contentsOf)),
      all: sizes(js.map(contentsOf)),
      mainEngine: mainEngine.length > 0 ? sizes(mainEngine.map(contentsOf)) : null,
      columnsAdapter: columnsAdapter.length > 0 ? sizes(columnsAdapter.map(contentsOf)) : null,
      chunks: js.length,
      origin,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function main() {
  let dist = join(root, 'dist');
  let temp = null;
  if (useDist) {
    if (!existsSync(join(dist, 'ua-kit.js'))) {
      console.error('dist/ua-kit.js not found: run `npm run build` first, or drop --dist');
      process.exitCode = 1;
      return;
    }
  } else {
    temp = mkdtempSync(join(tmpdir(), 'ua-size-dist-'));
    dist = temp;
    await viteBuild(dist);
  }
  try {
    const rows = [];
    const kit = await measure(join(dist, 'ua-kit.js'));
    rows.push([KIT, kit.all]);
    rows.push(['whole kit, first paint (without lazy chart.js)', kit.eager]);
    // Every element entry the build made (vite.config.ts: one per folder of src/components).
    const elements = readdirSync(join(dist, 'components'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => file.slice(0, -'.js'.length))
      .sort();
    for (const name of elements) {
      const m = await measure(join(dist, 'components', `${name}.js`));
      rows.push([name, m.eager]);
      if (name === 'trend') rows.push(['trend with its lazy chart.js', m.all]);
    }
    rows.push(['engine (ua-kit/engine)', (await measure(join(dist, 'engine.js'))).eager]);
    const assets = existsSync(join(dist, 'assets')) ? readdirSync(join(dist, 'assets')) : [];
    const workers = workerFiles(join(dist, 'assets'), assets);
    if (workers.length > 0) {
      const read = (f) => readFileSync(join(dist, 'assets', f));
      const worker = sizes(workers.map(read));
      rows.push([WORKER, worker]);
      const readers = assets.filter((f) => /^report\.worker-.*\.js$/.test(f) && !workers.includes(f));
      // The NDJSON scanner with what it imports that the worker does not; the rest is Arrow's
      // and Parquet's (a chunk both share is counted in each).
      const scanEntry = readers.find((f) => /^report\.worker-ndjson-scan-/.test(f));
      const scanner = scanEntry
        ? workerFiles(join(dist, 'assets'), assets, scanEntry).filter((f) => !workers.includes(f))
        : [];
      if (scanner.length > 0) rows.push([WORKER_NDJSON, sizes(scanner.map(read))]);
      const columnar = readers.filter((f) => f !== scanEntry);
      if (columnar.length > 0) rows.push([WORKER_LAZY, sizes(columnar.map(read))]);
      const parts = [kit.all, worker];
      if (kit.mainEngine) {
        rows.push([MAIN_ENGINE, kit.mainEngine]);
        parts.push(kit.mainEngine);
      }
      if (kit.columnsAdapter) {
        rows.push([COLUMNS_ADAPTER, kit.columnsAdapter]);
        parts.push(kit.columnsAdapter);
      }
      const sum = (k) => parts.reduce((a, s) => a + s[k], 0);
      rows.push([
        `whole kit + report worker${kit.mainEngine ? ' + main-thread engine' : ''}` +
          `${kit.columnsAdapter ? ' + columns adapter' : ''} (most one page loads)`,
        { min: sum('min'), gzip: sum('gzip'), brotli: sum('brotli') },
      ]);
    } else {
      rows.push([WORKER, null]);
    }

    const kb = (n) => (n / KB).toFixed(2).padStart(7);
    const where = useDist ? 'dist/ (npm run build)' : 'a fresh Vite build (vite.config.ts)';
    console.log(
      `ua-kit bundle size — ${where}, each entry bundled with lit and chart.js by esbuild, ` +
        'minified; gzip -9 and brotli -q 11 per chunk, summed',
    );
    console.log('bundle'.padEnd(48), '   min KB', '  gzip KB', 'brotli KB', '  budget (gzip)');
    let over = 0;
    for (const [name, s] of rows) {
      const budget = BUDGETS[name];
      if (s === null) {
        console.log(name.padEnd(48), '   (no worker chunk in the build)');
        over++;
        continue;
      }
      const ok = budget === undefined || s.gzip / KB <= budget;
      if (!ok) over++;
      const verdict = budget === undefined ? '' : ok ? `≤ ${budget} KB ok` : `> ${budget} KB OVER`;
      console.log(
        name.padEnd(48),
        kb(s.min),
        '   ',
        kb(s.gzip),
        '   ',
        kb(s.brotli),
        '   ',
        verdict,
      );
    }
    const o = kit.origin;
    const total = o['ua-kit'] + o.lit + o['chart.js'] + o.other;
    const share = (n) => `${(n / KB).toFixed(1)} KB (${Math.round((n / total) * 100)} %)`;
    console.log(
      `whole kit by origin, minified: ua-kit ${share(o['ua-kit'])}, lit ${share(o.lit)}, ` +
        `chart.js ${share(o['chart.js'])}` +
        (o.other ? `, other ${share(o.other)}` : '') +
        `; ${kit.chunks} chunks`,
    );
    if (workers.length > 0)
      console.log(
        `worker: ${workers.map((f) => relative(dist, join(dist, 'assets', f))).join(', ')}`,
      );
    if (over > 0) {
      console.log(`${over} budget(s) exceeded`);
      process.exitCode = 1;
    } else {
      console.log('all budgets met');
    }
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

await main();
