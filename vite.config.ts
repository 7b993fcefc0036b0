import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { rolldown } from 'rolldown';
import { build as esbuild } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Every element folder under src/components; each is also built as its own entry (`ua-kit/overview`, …). */
const ELEMENTS = elementFolders(resolve(here, 'src/components'));

/** The folders in `dir`, sorted: one per element. scripts/size.mjs reads the same list. */
function elementFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * CSS without comments and without the whitespace that does not matter; quoted strings kept.
 * Line breaks stay (one per line), so that source maps keep their lines.
 */
function minifyCss(text: string, first: boolean, last: boolean): string {
  const breaks = (s: string) => s.replace(/[^\n]/g, '');
  let out = text
    .split(/('[^'\n]*'|"[^"\n]*")/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\/\*[\s\S]*?\*\//g, breaks)
            .replace(/\s+/g, (ws) => breaks(ws) || ' ')
            .replace(/ ?([{};,>]) ?/g, '$1')
            .replace(/ ?\n ?/g, '\n')
            .replace(/: /g, ':')
            .replace(/;(\n*)}/g, '$1}'),
    )
    .join('');
  if (first) out = out.replace(/^ /, '');
  if (last) out = out.replace(/ $/, '');
  return out;
}

/**
 * HTML without indentation: a run of white space with line breaks becomes the line breaks
 * alone. Still white space where there was some, so nothing renders differently (no template
 * of ours has white-space: pre).
 */
function minifyHtml(text: string): string {
  return text.replace(/[ \t]*\n\s*/g, (ws) => ws.replace(/[^\n]/g, ''));
}

/**
 * Minifies the text of Lit's css`…` and html`…` templates in our sources at build time (a
 * bundler's minifier leaves template text alone): about 1 KB gzip of the kit, see `npm run
 * size`. Only the text between `${…}` bindings changes, white space next to a binding stays,
 * and a piece with a backslash is left as it is.
 */
function minifyLitTemplates(): Plugin {
  return {
    name: 'ua-kit:minify-lit-templates',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true);
      const edits: Array<{ start: number; end: number; text: string }> = [];
      const visit = (node: ts.Node): void => {
        if (
          ts.isTaggedTemplateExpression(node) &&
          ts.isIdentifier(node.tag) &&
          (node.tag.text === 'css' || node.tag.text === 'html')
        ) {
          const css = node.tag.text === 'css';
          const t = node.template;
          const pieces = ts.isNoSubstitutionTemplateLiteral(t)
            ? [t]
            : [t.head, ...t.templateSpans.map((span) => span.literal)];
          pieces.forEach((piece, i) => {
            // The text between the delimiters: ` or } before it, ` or ${ after it.
            const start = piece.getStart(file) + 1;
            const end =
              piece.end - (ts.isTemplateHead(piece) || ts.isTemplateMiddle(piece) ? 2 : 1);
            const raw = code.slice(start, end);
            if (raw.includes('\\')) return;
            const text = css ? minifyCss(raw, i === 0, i === pieces.length - 1) : minifyHtml(raw);
            edits.push({ start, end, text });
          });
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      if (edits.length === 0) return null;
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, e.start) + e.text + out.slice(e.end);
      }
      // Every line stays where it was: the identity source map (null) is right for lines.
      return { code: out, map: null };
    },
  };
}

/** The form in the sources that starts the report worker (beside it: report.worker.ts). */
const WORKER_URL_IN_SOURCE = /new URL\(\s*(['"])\.\/report\.worker\.ts\1,\s*import\.meta\.url\s*\)/;
const WORKER_URL_MARK = '__UA_KIT_REPORT_WORKER_URL__';

/**
 * The report worker as one self-contained file, `file` in the output (no hash: a page without
 * a bundler, or an app whose bundler does not emit workers, points `setWorkerUrl` at it), with
 * the chunks it imports lazily beside it (workerFiles). Each
 * chunk that starts it gets the plain `new Worker(new URL('./…/report.worker.js',
 * import.meta.url), { type: 'module' })`, relative to that chunk: the form that Vite and
 * webpack 5 recognize and bundle in an app (Vite's own worker output nests `new URL`s, which
 * they do not).
 */
function reportWorker(file: string): Plugin {
  let worker: string | null = null;
  return {
    name: 'ua-kit:report-worker',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !WORKER_URL_IN_SOURCE.test(code)) return null;
      worker = resolve(dirname(id), 'report.worker.ts');
      return { code: code.replace(WORKER_URL_IN_SOURCE, WORKER_URL_MARK), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes(WORKER_URL_MARK)) return null;
      const path = relative(dirname(chunk.fileName), file);
      const url = path.startsWith('../') ? path : `./${path}`;
      const expr = `new URL(${JSON.stringify(url)}, import.meta.url)`;
      return { code: code.split(WORKER_URL_MARK).join(expr), map: null };
    },
    async generateBundle() {
      if (!worker) this.error('no module starts the report worker: its new URL(…) form changed');
      for (const { fileName, source } of await workerFiles(worker, dirname(file))) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
  };
}

const LAZY_MARK = '__UA_KIT_LAZY_';

/**
 * The report worker's files, named relative to the output folder: `outdir/report.worker.js`,
 * one self-contained file with everything it imports statically (no shared chunk: each file a
 * page loads costs its own request and gzip overhead, and the budget is the one file), and
 * beside it what it imports with import() (the Arrow and Parquet readers, the columns
 * parser), built apart with their own copies of what they share with the worker, in chunks
 * loaded only when such data comes. The worker's import()s are pointed at those files.
 */
async function workerFiles(entry: string, outdir: string) {
  const lazy: string[] = [];
  // Rolldown (Vite's bundler) and its minifier: some 200 bytes less gzip than esbuild here.
  const eager = await rolldown({
    input: entry,
    platform: 'browser',
    transform: { target: 'es2022' },
    logLevel: 'warn',
    plugins: [
      {
        name: 'ua-kit:lazy-imports',
        async resolveDynamicImport(specifier, importer) {
          if (typeof specifier !== 'string') return null;
          const resolved = await this.resolve(specifier, importer);
          if (resolved === null) return null;
          if (!lazy.includes(resolved.id)) lazy.push(resolved.id);
          return { id: `./${LAZY_MARK}${lazy.indexOf(resolved.id)}.js`, external: true };
        },
      },
    ],
  });
  const [chunk] = (await eager.generate({ format: 'es', minify: true, comments: false })).output;
  await eager.close();
  const readers = await esbuild({
    entryPoints: Object.fromEntries(lazy.map((path) => [basename(path, '.ts'), path])),
    bundle: true,
    splitting: true,
    outdir,
    entryNames: 'report.worker-[name]-[hash]',
    chunkNames: 'report.worker-[name]-[hash]',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    metafile: true,
  });
  const named = (path: string) => relative(process.cwd(), path);
  const fileOf = new Map(
    Object.entries(readers.metafile.outputs).map(([out, meta]) => [meta.entryPoint, out]),
  );
  let { code } = chunk;
  lazy.forEach((path, i) => {
    const out = fileOf.get(named(path));
    if (out === undefined) throw new Error(`no chunk for the worker's import of ${path}`);
    code = code.split(`./${LAZY_MARK}${i}.js`).join(`./${basename(out)}`);
  });
  return [
    { fileName: named(resolve(outdir, 'report.worker.js')), source: code },
    ...readers.outputFiles.map((f) => ({ fileName: named(f.path), source: f.contents })),
  ];
}

/**
 * Chunks that define elements (any module of src/components in them) go to dist/elements/,
 * the others to dist/chunks/: package.json's `sideEffects` names the first, so that bundlers
 * keep every `customElements.define` and may drop the rest when unused.
 */
function chunkFileName(chunk: { moduleIds: string[] }): string {
  const defines = chunk.moduleIds.some((id) => id.includes('/src/components/'));
  return `${defines ? 'elements' : 'chunks'}/[name]-[hash].js`;
}

/** `npm run build` (mode production): the library; lit and chart.js stay imports. */
function libraryBuild(): UserConfig {
  return {
    publicDir: false,
    plugins: [minifyLitTemplates(), reportWorker('assets/report.worker.js')],
    base: './',
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: false,
      minify: true,
      sourcemap: true,
      lib: {
        formats: ['es'],
        entry: {
          'ua-kit': resolve(here, 'src/index.ts'),
          engine: resolve(here, 'src/engine/index.ts'),
          ...Object.fromEntries(
            ELEMENTS.map((name) => [
              `components/${name}`,
              resolve(here, `src/components/${name}/${name}.ts`),
            ]),
          ),
        },
      },
      rolldownOptions: {
        external: [/^lit(\/.*)?$/, /^@lit\//, /^chart\.js(\/.*)?$/],
        output: { chunkFileNames: chunkFileName },
      },
    },
  };
}

/**
 * `vite build --mode standalone`: dist/standalone/ua-kit.js for a page without a bundler, lit
 * and chart.js inside; chart.js still loads lazily (its own chunk beside it), and so does the
 * worker, report.worker.js beside it. Relative URLs only: it works from any static host.
 */
function standaloneBuild(): UserConfig {
  return {
    publicDir: false,
    plugins: [minifyLitTemplates(), reportWorker('report.worker.js')],
    base: './',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      target: 'es2022',
      outDir: 'dist/standalone',
      emptyOutDir: true,
      minify: true,
      sourcemap: true,
      lib: { formats: ['es'], entry: { 'ua-kit': resolve(here, 'src/index.ts') } },
      // Lib mode leaves ES output unminified for an app's bundler; this file is what pages load.
      rolldownOptions: { output: { chunkFileNames: '[name]-[hash].js', minify: true } },
    },
  };
}

/**
 * `npm start` serves the demo (demo/, with msw's worker from public/); `npm run build` builds
 * the library (the whole kit, the engine alone, each element alone) and the standalone module.
 */
export default defineConfig(({ command, mode }) =>
  command === 'serve'
    ? {
        root: resolve(here, 'demo'),
        publicDir: resolve(here, 'public'),
        server: {
          host: '127.0.0.1',
          port: 5173,
          fs: { allow: [here] },
          // npm start (scripts/start.mjs) runs `ua-kit serve` beside Vite and names it here.
          proxy: process.env.UA_KIT_API ? { '/api': process.env.UA_KIT_API } : undefined,
        },
      }
    : mode === 'standalone'
      ? standaloneBuild()
      : libraryBuild(),
);
