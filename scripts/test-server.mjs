#!/usr/bin/env node
/**
 * `npm run test:server`: the server's Node suite. It first builds the server from src/ into
 * dist/server/ (scripts/build-server.mjs, as `npm run build` does), so that the processes the
 * tests start (bin/ua-kit.mjs) run the current code. The test files (test/server/*.node.ts)
 * are TypeScript; esbuild bundles each into node_modules/.cache/ua-kit-server-tests/ (packages
 * stay imports) and Node's test runner runs them, printing the spec report and saving the
 * counts to .ci-results/server.json for .ci/run. Arguments are test files to run instead of
 * all.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'node_modules/.cache/ua-kit-server-tests');
const given = process.argv.slice(2);
const files = given.length > 0
  ? given.map((f) => resolve(f))
  : readdirSync(resolve(root, 'test/server'))
      .filter((f) => f.endsWith('.node.ts'))
      .map((f) => resolve(root, 'test/server', f));

const server = spawnSync(process.execPath, [resolve(root, 'scripts/build-server.mjs')], { stdio: 'inherit' });
if (server.status !== 0) process.exit(server.status ?? 1);
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
mkdirSync(resolve(root, '.ci-results'), { recursive: true });
const built = files.map((f) => resolve(outdir, basename(f).replace(/\.ts$/, '.mjs')));
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${resolve(root, 'scripts/node-counts-reporter.mjs')}`,
    `--test-reporter-destination=${resolve(root, '.ci-results/server.json')}`,
    ...built,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, UA_KIT_ROOT: root } },
);
process.exit(run.status ?? 1);
