// Resolve hook of node-test-hooks.mjs: '@open-wc/testing' → chai's ESM bundle (its `expect`
// is the one @open-wc/testing re-exports; the DOM plugins are not needed by Node tests), and
// 'msw/browser' → node-test-msw.mjs.
const CHAI = new URL('../node_modules/@esm-bundle/chai/esm/chai.js', import.meta.url).href;
const MSW = new URL('./node-test-msw.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@open-wc/testing') return { url: CHAI, shortCircuit: true, format: 'module' };
  if (specifier === 'msw/browser') return { url: MSW, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}
