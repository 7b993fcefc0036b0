#!/usr/bin/env node
// `ua-kit serve …`: runs the built server (dist/server/cli.js). In a clone that has not run
// `npm run build`, the server is built first with esbuild (a devDependency) into
// node_modules/.cache/ua-kit-server/.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = new URL('../dist/server/cli.js', import.meta.url);
let cli = built;
if (!existsSync(built)) {
  const cache = new URL('../node_modules/.cache/ua-kit-server/', import.meta.url);
  const script = fileURLToPath(new URL('../scripts/build-server.mjs', import.meta.url));
  const out = spawnSync(process.execPath, [script, '--out', fileURLToPath(cache)], { stdio: 'inherit' });
  if (out.status !== 0) process.exit(out.status ?? 1);
  cli = pathToFileURL(fileURLToPath(new URL('cli.js', cache)));
}
const { main } = await import(cli.href);
await main(process.argv.slice(2));
