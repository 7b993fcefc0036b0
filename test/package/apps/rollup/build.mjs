// Rollup 4 with node-resolve, over the esbuild app's entry (Rollup does not emit workers
// either, so the app copies ua-kit's worker beside the bundle and calls setWorkerUrl).
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];

const bundle = await rollup({
  input: join(here, '../esbuild/src/index.js'),
  plugins: [nodeResolve({ browser: true, exportConditions: ['production'] })],
  onwarn(warning, warn) {
    if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
  },
});
await bundle.write({ dir: outDir, format: 'es', entryFileNames: 'main.js' });
await bundle.close();
const kit = dirname(createRequire(import.meta.url).resolve('ua-kit/package.json'));
// The worker and, beside it, the chunks it imports for Arrow and Parquet files: the whole folder.
cpSync(join(kit, 'dist/assets'), outDir, { recursive: true });
