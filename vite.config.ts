import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Every element folder; each is also built as its own entry (`ua-kit/overview`, …). */
const ELEMENTS = [
  'source',
  'overview',
  'trend',
  'detail-table',
  'app-select',
  'range-select',
  'dashboard',
];

/**
 * `npm start` serves the demo (demo/, with msw's worker from public/); `npm run build` builds
 * the library: the whole kit, the engine alone, and each element alone.
 */
export default defineConfig(({ command }) =>
  command === 'serve'
    ? {
        root: resolve(here, 'demo'),
        publicDir: resolve(here, 'public'),
        server: { host: '127.0.0.1', port: 5173, fs: { allow: [here] } },
      }
    : {
        publicDir: false,
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
