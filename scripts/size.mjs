// npm run size: min+gzip and min+brotli of the whole kit and of each element alone, each
// bundled with its dependencies (lit, chart.js) the way an app's bundler would, beside its budget.
import { build } from 'esbuild';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KB = 1024;
const ELEMENTS = ['source', 'overview', 'trend', 'detail-table', 'app-select', 'range-select', 'dashboard'];
/** gzip budgets in KB; the element budgets exclude chart.js, which only ua-trend loads, lazily. */
const BUDGETS = {
  'whole kit (all chunks)': 80,
  overview: 20,
  'detail-table': 20,
  'app-select': 20,
  'range-select': 20,
};

const gzip = (b) => gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Bundles one entry with code splitting; returns the entry's eager closure and all chunks. */
async function measure(entry) {
  const outdir = mkdtempSync(join(tmpdir(), 'ua-size-'));
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
      logLevel: 'error',
    });
    const files = new Map(result.outputFiles.map((f) => [f.path, f.contents]));
    const outputs = result.metafile.outputs;
    const key = (p) => join(process.cwd(), p);
    const entryOut = Object.keys(outputs).find((p) => outputs[p].entryPoint);
    // Eager closure: the entry chunk and what it imports statically (not dynamic imports).
    const eager = new Set();
    const visit = (p) => {
      if (eager.has(p)) return;
      eager.add(p);
      for (const imp of outputs[p].imports) if (imp.kind === 'import-statement') visit(imp.path);
    };
    visit(entryOut);
    const sum = (paths) => {
      const bytes = Buffer.concat([...paths].map((p) => Buffer.from(files.get(key(p)))));
      return { min: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) };
    };
    return { eager: sum(eager), all: sum(Object.keys(outputs).filter((p) => p.endsWith('.js'))) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const rows = [];
const kit = await measure('src/index.ts');
rows.push(['whole kit (all chunks)', kit.all]);
rows.push(['whole kit, first paint (without lazy chart.js)', kit.eager]);
for (const name of ELEMENTS) {
  const m = await measure(`src/components/${name}/${name}.ts`);
  rows.push([name, m.eager]);
  if (name === 'trend') rows.push(['trend with its lazy chart.js', m.all]);
}
rows.push(['engine (ua-kit/engine)', (await measure('src/engine/index.ts')).eager]);

const kb = (n) => (n / KB).toFixed(1).padStart(6);
console.log('bundle'.padEnd(48), '   min KB', '  gzip KB', 'brotli KB', '  budget (gzip)');
let over = 0;
for (const [name, s] of rows) {
  const budget = BUDGETS[name];
  const verdict = budget === undefined ? '' : s.gzip / KB <= budget ? `≤ ${budget} KB ok` : `> ${budget} KB OVER`;
  if (budget !== undefined && s.gzip / KB > budget) over++;
  console.log(name.padEnd(48), kb(s.min), '   ', kb(s.gzip), '   ', kb(s.brotli), '   ', verdict);
}
if (over > 0) {
  console.log(`${over} budget(s) exceeded`);
  process.exitCode = 1;
}
