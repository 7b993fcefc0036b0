// webpack 5 in production mode through its Node API (the CLI adds nothing here).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];

webpack(
  {
    mode: 'production',
    context: here,
    entry: './src/index.js',
    output: { path: outDir, filename: 'main.js', chunkFilename: '[name].[contenthash].js', publicPath: 'auto' },
  },
  (err, stats) => {
    if (err || stats.hasErrors()) {
      console.error(err ?? stats.toString('errors-only'));
      process.exit(1);
    }
  },
);
