#!/usr/bin/env node
/**
 * Builds the server (src/server) into dist/server/ as plain ES modules for Node: index.js
 * (ua-kit/server) and cli.js (bin/ua-kit.mjs); the engine is bundled in, packages stay
 * imports. Beside them, dashboard/ua-kit.js: the kit bundled with lit and chart.js for the
 * browser, the page `ua-kit serve` shows at '/' (the library build leaves those imports to the
 * portal's bundler). `--out DIR` builds elsewhere (bin/ua-kit.mjs does so in a clone without
 * dist/).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const outdir = at >= 0 ? resolve(process.argv[at + 1]) : resolve(root, 'dist/server');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [resolve(root, 'src/server/index.ts'), resolve(root, 'src/server/cli.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

await build({
  entryPoints: { 'ua-kit': resolve(root, 'src/index.ts') },
  outdir: resolve(outdir, 'dashboard'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  tsconfig: resolve(root, 'tsconfig.json'),
  logLevel: 'warning',
});
