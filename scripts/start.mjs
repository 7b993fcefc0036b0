#!/usr/bin/env node
/**
 * `npm start`: the demo with a real endpoint. Writes the demo's synthetic events (the same
 * ones demo/main.ts computes in the browser: demo/synthetic.ts's demoEvents, this machine's
 * time zone) to NDJSON, starts `ua-kit serve` over them on a free 127.0.0.1 port, and Vite
 * with /api proxied to it. Ctrl-C ends both.
 */
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules/.cache/ua-kit-demo');
mkdirSync(cache, { recursive: true });

/** The demo's events and apps, from demo/synthetic.ts bundled on the fly. */
async function writeDemoData() {
  const out = join(cache, 'synthetic.mjs');
  await build({
    entryPoints: [join(root, 'demo/synthetic.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const { demoEvents, DEMO_APPS } = await import(pathToFileURL(out).href);
  const events = demoEvents();
  writeFileSync(join(cache, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(cache, 'apps.json'), JSON.stringify({ apps: DEMO_APPS }));
  return events.length;
}

/** A port that was free a moment ago (the server gets it explicitly, Vite proxies to it). */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

const count = await writeDemoData();
const port = await freePort();
const children = [];
const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

const server = spawn(
  process.execPath,
  [join(root, 'bin/ua-kit.mjs'), 'serve', '--events', join(cache, 'events.ndjson'),
    '--apps', join(cache, 'apps.json'), '--port', String(port)],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(server);
await new Promise((ready, fail) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    text += chunk;
    if (text.includes('ua-kit serve: http')) ready();
  });
  server.once('exit', (code) => fail(new Error(`ua-kit serve exited with ${code}`)));
});
console.log(`demo: ${count} synthetic events served by ua-kit serve; Vite proxies /api to it`);
const vite = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UA_KIT_API: `http://127.0.0.1:${port}` },
});
children.push(vite);
vite.once('exit', (code) => {
  stopAll();
  process.exitCode = code ?? 0;
});
server.once('exit', () => vite.exitCode === null && vite.kill('SIGTERM'));
