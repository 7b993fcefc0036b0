/**
 * NdjsonReader parses whole batches of lines with one `JSON.parse`; it must give exactly what
 * one `JSON.parse` per line gives (what it did before): the same rows to the parser in the same
 * order, the same 'bad-json' count, the same truncation error. Here against a reference that
 * parses each line alone, on generated files chunked at random byte boundaries, adversarial
 * lines included (JSON cut across lines, two values side by side on a line, brackets and
 * escapes in strings). Seeded, so a failure replays.
 *
 * Mutation-checked (2 Dec, the known traps left out of the generator): without the
 * side-by-side test fast-check finds `{"b":[]` `"a":0}` `{},{}` (two lines merged, one split);
 * without the object check `[[]]` `{"a":[]` `"b":{}},[]`; without the count, the element loop
 * running to the parsed length, a line `…"extra":[[0],[100` before `100000],[100000000]]}`.
 * A joiner without its newline survives, as it should: a string spanning two lines would
 * swallow a joiner's comma, and the count would then be short.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { EventParser } from '../../src/engine/parse.js';
import { NdjsonReader, parseLines } from '../../src/store/worker/formats/ndjson.js';
import { runSeeded } from '../engine/arbitraries.js';

const SEED = 20261202;

/** An EventParser that also keeps every row it was given, in order. */
class RecordingParser extends EventParser {
  readonly seen: unknown[] = [];

  override addRange(rows: ArrayLike<unknown>, from = 0, to = rows.length): void {
    for (let i = from; i < to; i++) this.seen.push(rows[i]);
    super.addRange(rows, from, to);
  }
}

interface Outcome {
  rows: unknown[];
  badLines: number;
  error: string | null;
}

const TRUNCATED =
  'The events file is truncated: its last line is not complete JSON (and has no newline)';

/** The reader as it was: each line alone, a bad last line without its newline an error. */
function referenceRead(text: string): Outcome {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const rows: unknown[] = [];
  let badLines = 0;
  for (const line of lines) {
    if (line === '') continue;
    try {
      rows.push(JSON.parse(line));
    } catch {
      if (line.trim() !== '') badLines++;
    }
  }
  if (last.trim() === '') return { rows, badLines, error: null };
  try {
    rows.push(JSON.parse(last));
    return { rows, badLines, error: null };
  } catch {
    return { rows, badLines: badLines + 1, error: TRUNCATED };
  }
}

/** The reader under test, given `bytes` cut at `cuts`. */
function readerRead(bytes: Uint8Array, cuts: number[]): Outcome & { lines: number } {
  const parser = new RecordingParser();
  const reader = new NdjsonReader(parser);
  let error: string | null = null;
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, cut));
    from = cut;
  }
  try {
    reader.finish();
  } catch (e) {
    error = (e as Error).message;
  }
  return { rows: parser.seen, badLines: reader.badLines, error, lines: reader.lines };
}

/** Equal as JSON.parse makes values: same keys in the same order, numbers by Object.is. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(ra[k], rb[k]));
}

/** Why the reader's outcome differs from the reference's, or null. */
function difference(text: string, cuts: number[]): string | null {
  const bytes = new TextEncoder().encode(text);
  const want = referenceRead(new TextDecoder().decode(bytes));
  const got = readerRead(bytes, cuts);
  if (got.error !== want.error) return `error ${got.error} ≠ ${want.error}`;
  if (got.badLines !== want.badLines) return `badLines ${got.badLines} ≠ ${want.badLines}`;
  if (got.rows.length !== want.rows.length) return `rows ${got.rows.length} ≠ ${want.rows.length}`;
  const i = got.rows.findIndex((row, k) => !same(row, want.rows[k]));
  if (i >= 0) return `row ${i}: ${JSON.stringify(got.rows[i])} ≠ ${JSON.stringify(want.rows[i])}`;
  if (want.error === null && got.lines !== want.rows.length + want.badLines) return 'lines';
  return null;
}

// ---- lines ----

/** Characters JSON is made of, and a few that are not. */
const JSONISH = fc.constantFrom(
  ...'{}[],:"\\ \t\r01-.eE+aunlltrfs/',
  '\\n',
  '\\u005d',
  'é',
  '☃',
  '😀',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '\ud800',
);

const text = fc.string({ unit: 'binary', maxLength: 12 });
const jsonishText = fc.string({ unit: JSONISH, maxLength: 12 });
/** Strings with what could confuse a line splitter or a bracket counter: `],[`, quotes, escapes. */
const trickyString = fc.oneof(
  text,
  jsonishText,
  fc.constantFrom('],[', '] , [', '}, {', '},{', '"', '\\', '\n', '\r\n', '\u2028'),
);

const jsonValue = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

const eventLine = fc
  .record(
    {
      user: fc.oneof(fc.constantFrom('u1', 'u2', '__proto__'), trickyString, fc.integer()),
      time: fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.double(), fc.constant('x')),
      type: fc.constantFrom('open', 'page', 'hide', 'other'),
      app: fc.oneof(fc.constantFrom('a', 'b'), trickyString),
      page: trickyString,
      extra: fc.oneof(jsonValue, fc.array(fc.array(fc.nat(), { maxLength: 2 }), { maxLength: 3 })),
    },
    { requiredKeys: ['user', 'time', 'type', 'app'] },
  )
  .map((e) => JSON.stringify(e));

/** A `__proto__` key written in the text (JSON.parse makes it an own property). */
const protoLine = fc
  .tuple(jsonValue, fc.boolean())
  .map(([v, first]) =>
    first
      ? `{"__proto__":${JSON.stringify(v)},"user":"u1","time":1,"type":"open","app":"a"}`
      : `{"user":"u1","__proto__":{"type":"page"},"time":1,"type":"open","app":"a"}`,
  );

/** Escapes written by hand, some of them brackets, commas and newlines. */
const escapedLine = fc
  .array(
    fc.constantFrom('\\u005d', '\\u005b', '\\u002c', '\\n', '\\"', '\\\\', '\\/', 'x', '],['),
    {
      maxLength: 6,
    },
  )
  .map((parts) => `{"user":"${parts.join('')}","time":2,"type":"open","app":"a"}`);

const blankLine = fc.constantFrom('', ' ', '\t', '\r', ' \t\r', '\u00a0', '\ufeff', '\u2028');

const badLine = fc.oneof(jsonishText, text);

/** Two or more values on one line, side by side (a comma at the line's top level). */
const sideBySide = fc
  .tuple(
    fc.array(
      fc.oneof(
        jsonValue.map((v) => JSON.stringify(v)),
        eventLine,
      ),
      {
        minLength: 2,
        maxLength: 3,
      },
    ),
    fc.constantFrom(',', '],[', '] , [', ']\t,\r[', '}],[{', '},{', ' , ', ']],[['),
    fc.constantFrom('', '[', '{"a":['),
    fc.constantFrom('', ']', ']}'),
  )
  .map(([values, sep, before, after]) => before + values.join(sep) + after);

/** One JSON text (several events in an array, or any value) cut into lines at random places. */
const fragments = fc
  .tuple(
    fc.oneof(
      fc.array(eventLine, { minLength: 1, maxLength: 3 }).map((ls) => `[${ls.join(',')}]`),
      fc.array(eventLine, { minLength: 2, maxLength: 3 }).map((ls) => ls.join(',')),
      jsonValue.map((v) => JSON.stringify(v)),
      eventLine,
    ),
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  )
  .map(([json, cuts]) => {
    const at = [...new Set(cuts.map((c) => c % (json.length + 1)))].sort((a, b) => a - b);
    return [0, ...at].map((from, i) => json.slice(from, at[i] ?? json.length));
  });

/** The counterexamples to a batch that only joins lines with commas. */
const knownTraps = fc.constantFrom<string[]>(
  ['{"a":"}', '{","b":1}'],
  ['{"user":"u","time":1,"type":"open","app":"a","x":[{}', '{}]}'],
  ['{},{}'],
  ['{"user":"u","time":1,"type":"open","app":"a","x":[[1]', '[2]]}', '{}],[{}'],
  ['[[1', '2]]', '3],[4'],
  ['{"x":1', '"y":2}', '{"user":"u","time":1,"type":"open","app":"a"}],[{}'],
);

/** Lines of brackets, commas and small values: unbalanced, so that lines merge and split. */
const bracketSoup = fc
  .array(fc.constantFrom('[', ']', ',', '0', '[[', ']]', '],[', '{}', '"x"', '{"a":'), {
    minLength: 1,
    maxLength: 5,
  })
  .map((tokens) => tokens.join(''));

/**
 * Lines that a batch would read as valid JSON, but not as themselves: a JSON array, its outer
 * brackets dropped, cut into lines at some of its `sep` (a batch that joins lines with `sep`
 * and a newline puts it back at each cut, so it parses). A cut inside an element merges lines
 * in the batch, an uncut `sep` between elements splits a line; with as many of each, the
 * elements' count is the lines' count. `sep` is `,` (lines joined as they are) or `],[` (each
 * line in brackets of its own).
 */
const smallValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.nat(9),
  fc.constant('s'),
  fc.constant({}),
  fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.nat(9), fc.constant({}), fc.constant([]))),
  fc.array(fc.oneof(fc.nat(9), fc.constant({})), { maxLength: 2 }),
  fc.array(fc.array(fc.nat(9), { maxLength: 2 }), { minLength: 1, maxLength: 3 }),
);
function recut(sep: string, elements: unknown[], cutAt: boolean[]): string[] {
  const brackets = sep === ',' ? 1 : 2; // `[` or `[[` at the start, `]` or `]]` at the end
  const parts = JSON.stringify(elements).slice(brackets, -brackets).split(sep);
  const lines = [parts[0]];
  for (let k = 1; k < parts.length; k++) {
    if (cutAt[k - 1]) lines.push(parts[k]);
    else lines[lines.length - 1] += sep + parts[k];
  }
  return lines;
}
const cutAt = fc.array(fc.boolean(), { maxLength: 16 });
const rejoined = fc.oneof(
  fc
    .tuple(fc.array(smallValue, { minLength: 1, maxLength: 5 }), cutAt)
    .map(([elements, cuts]) => recut(',', elements, cuts)),
  fc
    .tuple(
      fc.array(
        fc.oneof(
          { weight: 4, arbitrary: smallValue.map((v) => [v]) },
          { weight: 1, arbitrary: fc.array(smallValue, { maxLength: 3 }) },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      cutAt,
    )
    .map(([elements, cuts]) => recut('],[', elements, cuts)),
);

const lineGroup: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: eventLine.map((l) => [l]) },
  { weight: 1, arbitrary: protoLine.map((l) => [l]) },
  { weight: 1, arbitrary: escapedLine.map((l) => [l]) },
  { weight: 1, arbitrary: blankLine.map((l) => [l]) },
  { weight: 1, arbitrary: badLine.map((l) => [l.replaceAll('\n', '')]) },
  { weight: 2, arbitrary: sideBySide.map((l) => [l]) },
  { weight: 2, arbitrary: fragments },
  { weight: 1, arbitrary: knownTraps },
  { weight: 3, arbitrary: bracketSoup.map((l) => [l]) },
  { weight: 3, arbitrary: rejoined },
);

/** A file's text, and where its bytes are cut into chunks (sorted offsets). */
const file = fc
  .tuple(
    fc.array(lineGroup, { maxLength: 30 }),
    fc.boolean(), // CRLF
    fc.constantFrom('\n', '', '\n\n', '\r\n'), // after the last line
    fc.array(fc.nat(), { maxLength: 8 }),
  )
  .map(([groups, crlf, end, cuts]) => {
    const lines = groups.flat();
    const text = lines.map((l) => (crlf ? l + '\r' : l)).join('\n') + end;
    const size = new TextEncoder().encode(text).length;
    const at = [...new Set(cuts.map((c) => c % (size + 1)))].sort((a, b) => a - b);
    return { text, cuts: at };
  });

function mostlyClean(lines: number, seed: number): string {
  const out: string[] = [];
  let s = seed;
  for (let i = 0; i < lines; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const row = JSON.stringify({ user: `u${s % 97}`, time: 1.7e12 + i, type: 'open', app: 'a' });
    out.push(s % 500 === 0 ? row.slice(0, -1) : s % 501 === 0 ? '' : s % 502 === 0 ? ' ' : row);
  }
  return out.join('\n') + '\n';
}

describe('NdjsonReader: one JSON.parse per batch, the results of one per line', function () {
  this.timeout(120_000);

  it('equals the per-line reference on generated files cut at random bytes', () => {
    runSeeded(
      'ndjson property',
      SEED,
      'batched = per line',
      fc.property(file, ({ text, cuts }) => {
        const why = difference(text, cuts);
        if (why !== null) throw new Error(why);
      }),
      3000,
    );
  });

  it('equals the reference on large files (several batches per chunk), bad and blank lines among them', () => {
    for (const seed of [1, 2, 3]) {
      const text = mostlyClean(8000, seed);
      const size = new TextEncoder().encode(text).length;
      expect(difference(text, [])).to.equal(null);
      expect(difference(text, [size >> 2, size >> 1, size - 3])).to.equal(null);
    }
  });

  it('each known trap is refused by the batch and read line by line', () => {
    for (const lines of [
      ['{"a":"}', '{","b":1}'],
      ['{"user":"u","x":[{}', '{}]}'],
      ['{},{}'],
      ['{"x":[[1]', '[2]]}', '{}],[{}'],
      ['[1],[2]'],
      ['', '{}'],
      [' ', '{}'],
    ]) {
      expect(parseLines(lines.join('\n')), JSON.stringify(lines)).to.equal(null);
      expect(difference(lines.join('\n') + '\n', [])).to.equal(null);
    }
  });

  it('clean lines take the batch: a few JSON.parse calls for a thousand lines, not one per line', () => {
    const clean = mostlyClean(1000, 7)
      .split('\n')
      .filter((line) => line.endsWith('}'));
    const text = clean.join('\n') + '\n';
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = (...args: Parameters<typeof JSON.parse>) => {
      calls++;
      return parse(...args) as unknown;
    };
    try {
      const parser = new EventParser();
      const reader = new NdjsonReader(parser);
      reader.push(new TextEncoder().encode(text));
      reader.finish();
      expect(parser.rows).to.equal(clean.length);
    } finally {
      JSON.parse = parse;
    }
    expect(calls).to.be.within(1, 3);
  });
});
