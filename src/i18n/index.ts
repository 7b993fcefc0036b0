export { strings, type Lang, type Strings } from './strings.js';
export * from './format.js';
export { resolveLang } from './lang.js';
