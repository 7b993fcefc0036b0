import { defineConfig, type Plugin } from 'vite';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
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

/**
 * `npm start` serves the demo (demo/, with msw's worker from public/); `npm run build` builds
 * the library: the whole kit, the engine alone, and each element alone.
 */
export default defineConfig(({ command }) =>
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
    : {
        publicDir: false,
        plugins: [minifyLitTemplates()],
        // Relative URLs for the worker chunk, so dist/ works from node_modules or any sub-path.
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
          rollupOptions: {
            external: [/^lit(\/.*)?$/, /^@lit\//, /^chart\.js(\/.*)?$/],
          },
        },
        worker: { format: 'es' },
      },
);
