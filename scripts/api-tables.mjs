// Prints the README's reference tables (attributes, properties, events, parts, custom
// properties) from custom-elements.json, so that the docs follow the code.
// `node scripts/api-tables.mjs --write` (npm run docs) replaces the README's part between the
// api markers.
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url)));
const cell = (s) => (s ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const order = ['ua-source', 'ua-overview', 'ua-trend', 'ua-detail-table', 'ua-app-select', 'ua-range-select', 'ua-dashboard'];
const decls = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .filter((d) => d.customElement && d.tagName)
  .sort((a, b) => order.indexOf(a.tagName) - order.indexOf(b.tagName));
const lines = [];
const log = (s) => lines.push(s);
for (const d of decls) {
  log(`#### \`<${d.tagName}>\`\n\n${cell(d.summary)}\n`);
  const attrs = d.attributes ?? [];
  if (attrs.length) {
    log('| attribute | property | type | default | description |\n|---|---|---|---|---|');
    for (const a of attrs) {
      log(`| \`${a.name}\` | \`${a.fieldName ?? ''}\` | ${cell(a.type?.text)} | ${cell(a.default)} | ${cell(a.description)} |`);
    }
    log('');
  }
  const props = (d.members ?? []).filter(
    (m) => m.kind === 'field' && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !attrs.some((a) => a.fieldName === m.name),
  );
  const methods = (d.members ?? []).filter((m) => m.kind === 'method' && !m.privacy && !m.static);
  if (props.length || methods.length) {
    log('| property / method | type | description |\n|---|---|---|');
    for (const p of props) log(`| \`${p.name}\`${p.readonly ? ' (read-only)' : ''} | ${cell(p.type?.text)} | ${cell(p.description)} |`);
    for (const m of methods) log(`| \`${m.name}()\` | ${cell(m.return?.type?.text)} | ${cell(m.description)} |`);
    log('');
  }
  if (d.events?.length) {
    log('| event | description |\n|---|---|');
    for (const e of d.events) log(`| \`${e.name}\` | ${cell(e.description)} |`);
    log('');
  }
  if (d.cssParts?.length) log(`Parts: ${d.cssParts.map((p) => `\`${p.name}\``).join(', ')}.\n`);
  if (d.cssProperties?.length) log(`Custom properties: ${d.cssProperties.map((p) => `\`${p.name}\``).join(', ')}.\n`);
}

const text = lines.join('\n');
if (process.argv.includes('--write')) {
  const readme = new URL('../README.md', import.meta.url);
  const old = readFileSync(readme, 'utf8');
  const start = '<!-- api:start (npm run docs) -->';
  const end = '<!-- api:end -->';
  const a = old.indexOf(start);
  const b = old.indexOf(end);
  if (a < 0 || b < a) throw new Error('README.md has no api markers');
  writeFileSync(readme, `${old.slice(0, a + start.length)}\n\n${text}\n${old.slice(b)}`);
} else {
  console.log(text);
}
