/**
 * Imports the repository's TypeScript modules into a bench: `lines` (export statements with
 * paths relative to the repository root) are bundled by esbuild into one ES module, written
 * inside the repository (node_modules/.cache) so that the packages it imports (kept external)
 * resolve from node_modules, imported, and removed again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function importTs(root, lines, name = 'bench') {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: {
      contents: lines.join('\n'),
      resolveDir: root,
      sourcefile: `${name}-entry.ts`,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, `ua-${name}-`));
  try {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, result.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
