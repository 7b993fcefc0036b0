// esbuild, bundled and minified for production, with ua-kit's worker files copied beside it.
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];

await build({
  entryPoints: [join(here, 'src/index.js')],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  outdir: outDir,
  entryNames: 'main',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
});
const kit = dirname(createRequire(import.meta.url).resolve('ua-kit/package.json'));
// The worker and, beside it, the chunks it imports for Arrow and Parquet files: the whole folder.
cpSync(join(kit, 'dist/assets'), outDir, { recursive: true });
