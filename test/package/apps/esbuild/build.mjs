// esbuild, bundled and minified for production, with ua-kit's worker file copied beside it.
import { copyFileSync } from 'node:fs';
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
copyFileSync(join(kit, 'dist/assets/report.worker.js'), join(outDir, 'report.worker.js'));
