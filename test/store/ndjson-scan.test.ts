import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { EventColumns } from '../../src/engine/types.js';
import type { ColumnarSink } from '../../src/store/events-loader.js';
import { ndjsonSink } from '../../src/store/worker/formats/ndjson.js';
import { ByteInterner, ndjsonScanSink } from '../../src/store/worker/formats/ndjson-scan.js';

/**
 * The worker's NDJSON scanner against the main thread's reader (a stream TextDecoder, then
 * JSON.parse per line and EventParser): over any text, cut into chunks anywhere, both give the
 * same columns, dictionaries and diagnostics, or the same error.
 */

interface Outcome {
  columns?: ReturnType<typeof plain>;
  rows?: [number, number];
  error?: string;
}

function plain(c: EventColumns) {
  return {
    user: [...c.user.subarray(0, c.length)],
    time: [...c.time.subarray(0, c.length)],
    kind: [...c.kind.subarray(0, c.length)],
    app: [...c.app.subarray(0, c.length)],
    users: c.users,
    apps: c.apps,
    diagnostics: c.diagnostics,
  };
}

async function read(sink: ColumnarSink, chunks: Uint8Array[]): Promise<Outcome> {
  try {
    // Each chunk is a copy, then overwritten after push: a sink must not keep the caller's bytes.
    for (const chunk of chunks) {
      const copy = chunk.slice();
      sink.push(copy);
      copy.fill(0x7b);
    }
    let rows: [number, number] | undefined;
    const columns = await sink.finish(async (done, total) => {
      rows = [done, total];
    });
    return { columns: plain(columns), rows };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The bytes cut at the given points (any order, duplicates allowed). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

async function expectSame(bytes: Uint8Array, points: number[] = []): Promise<Outcome> {
  const chunks = cut(bytes, points);
  const expected = await read(ndjsonSink(), chunks);
  const actual = await read(ndjsonScanSink(), chunks);
  expect(actual).to.deep.equal(expected);
  return actual;
}

const encode = (text: string) => new TextEncoder().encode(text);

const space = fc.constantFrom('', '', '', ' ', '  ', '\t', '\r');

/** Value texts: mostly what events hold, plus every near miss of JSON a scanner could get wrong. */
const userText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('"u1"', '"u2"', '"u3"', '"ü"', '"用户"', '1', '2') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '""',
      '"\\u0075\\u0031"',
      '"a\\"b"',
      '1.0',
      '-0',
      '1e21',
      '1E+2',
      '0.1',
      '1e400',
      'true',
      'false',
      'null',
      '{}',
      '[1]',
      '01',
      '-',
      '1.',
      '.5',
      '"\t"',
      '"\u2028"',
      '"\uFEFFu1"',
      '123456789012345678',
      '-9007199254740993',
    ),
  },
  { weight: 1, arbitrary: fc.string().map((s) => JSON.stringify(s)) },
);
const typeText = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('"open"', '"page"', '"hide"') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"click"',
      '"Open"',
      '"opens"',
      '"ope"',
      '"op\\u0065n"',
      'null',
      '1',
      'true',
      '["open"]',
      '"pag"',
      '"hid\u00e9"',
    ),
  },
);
const timeText = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.integer({ min: 1_772_000_000_000, max: 1_773_500_000_000 }).map(String),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"2026-03-01T00:00:00Z"',
      '"2026-03-01T10:20:30.456+08:00"',
      '"2026-03-01T10:20:30,4-0130"',
      '"2026-03-01"',
      '"2026-02-30T00:00:00Z"',
      '"2026-03-01T00:00:00"',
      '"2026-03-01T00:00:00\u00dc"',
      '1772323200000.7',
      '-1772323200000.5',
      '1.7723232e12',
      '1772323200000e0',
      '1e400',
      '-0',
      '0',
      'null',
      'true',
      '{}',
      '"1772323200000"',
      '00',
    ),
  },
  { weight: 1, arbitrary: fc.double().map((d) => JSON.stringify(d)) },
);
const appText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('"mini"', '"h5"', 'null', '""') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('7', '7.0', 'true', '{}', '[]', '"m\\u0069ni"', '"ミニ"'),
  },
);
const otherText = fc.oneof(
  fc.constantFrom('"/home"', '"/a/b?c=1"', '1', 'null', 'false', '{"a":[1,{"b":2}]}', '[]'),
  fc.string().map((s) => JSON.stringify(s)),
);

const pair = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant('user'), userText) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('type'), typeText) },
  { weight: 3, arbitrary: fc.tuple(fc.constant('time'), timeText) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('app'), appText) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom('page', 'User', 'apps', '', 'us\\u0065r', 'tim', 'types', 'ü'),
      otherText,
    ),
  },
);

/** A line that is an event (its keys in any order, some repeated), as written by hand. */
const eventLine = fc
  .tuple(fc.array(fc.tuple(space, pair, space, space), { maxLength: 6 }), space, space)
  .map(([pairs, before, after]) => {
    const body = pairs.map(([a, [k, v], b, c]) => `${a}"${k}"${b}:${c}${v}`).join(',');
    return `${before}{${body}}${after}`;
  });

/** Lines that are not quite events, or not JSON. */
const oddLine = fc.constantFrom(
  '',
  '   ',
  '\t\r',
  '\u00a0',
  '{',
  '}',
  '{}',
  '{"user":"u1",}',
  '{"user" "u1"}',
  '{"user":"u1"} x',
  '{"user":"u1"}}',
  '{"user":"u1","type":"open","time":1772323200000',
  '[{"user":"u1","type":"open","time":1772323200000}]',
  '1',
  '"x"',
  'null',
  '\uFEFF{"user":"u1","type":"open","time":1772323200000}',
  '{"user":"u1","type":"open","time":1772323200000,"x":tru}',
  '{user:"u1"}',
  "{'user':'u1'}",
  '{"user":"u1","type":"open","time":1772323200000}\u00a0',
  '{"user":"u1"\u00a0,"type":"open","time":1772323200000}',
);

const line = fc.oneof({ weight: 8, arbitrary: eventLine }, { weight: 2, arbitrary: oddLine });

/** Text as lines, each ended by a newline or (the last) not. */
const ndjsonText = fc
  .tuple(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.boolean())
  .map(([lines, lastNewline, bom]) => {
    const text = lines.join('\n') + (lastNewline && lines.length > 0 ? '\n' : '');
    return (bom ? '\uFEFF' : '') + text;
  });

const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('NDJSON scanner', () => {
  it('reads any text as JSON.parse and EventParser do, cut into chunks anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(ndjsonText, cuts, async (text, points) => {
        await expectSame(encode(text), points);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads bytes that are not UTF-8 as the stream decoder does', async () => {
    const junk = fc.constantFrom(
      [0xff],
      [0xc3],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xef, 0xbb, 0xbf],
      [0xef, 0xbb],
    );
    await fc.assert(
      fc.asyncProperty(
        ndjsonText,
        fc.array(fc.tuple(fc.nat(), junk), { maxLength: 4 }),
        cuts,
        async (text, inserts, points) => {
          const bytes = [...encode(text)];
          for (const [at, bad] of inserts) bytes.splice(at % (bytes.length + 1), 0, ...bad);
          await expectSame(new Uint8Array(bytes), points);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('cut at every byte, a file reads the same', async () => {
    const text =
      '\uFEFF{"user":"ü","type":"open","time":1772323200000,"app":"mini"}\r\n' +
      '{"user":"a\\"b","type":"page","time":"2026-03-01T00:00:00Z"}\n\n' +
      'not json\n{"user":2,"type":"hide","time":1772323200000.5,"app":7}';
    const bytes = encode(text);
    for (let at = 0; at <= bytes.length; at++) await expectSame(bytes, [at]);
    for (let at = 0; at + 2 <= bytes.length; at++) await expectSame(bytes, [at, at + 1, at + 2]);
  });

  it('batches of many rows keep the file order around lines that JSON.parse reads', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const user = i % 7 === 0 ? `"u\\u00${30 + (i % 10)}"` : `"u${i % 997}"`;
      const app = i < 12_000 ? '' : `,"app":"${i % 3 === 0 ? 'h5' : 'mini'}"`;
      lines.push(
        `{"user":${user},"type":"${['open', 'page', 'hide'][i % 3]}","time":${1772323200000 + i}${app}}`,
      );
      if (i % 5000 === 0) lines.push('oops');
    }
    const outcome = await expectSame(encode(lines.join('\n') + '\n'), [65_536, 1_000_000]);
    expect(outcome.columns?.diagnostics.accepted).to.equal(30_000);
    expect(outcome.columns?.diagnostics.reasons['bad-json']).to.equal(6);
    expect(outcome.rows).to.deep.equal([30_006, 30_006]);
  });

  it('a last line cut off is an error; a last line that is whole JSON is a row', async () => {
    const whole = '{"user":"u1","type":"open","time":1772323200000}';
    expect((await expectSame(encode(`${whole}\n${whole.slice(0, 20)}`))).error).to.match(
      /truncated/,
    );
    expect((await expectSame(encode(`${whole}\n${whole}`))).columns?.diagnostics.accepted).to.equal(
      2,
    );
    expect((await expectSame(encode(`${whole}\n  \t`))).columns?.diagnostics.accepted).to.equal(1);
  });

  it('a leading zero, a trailing comma and a missing colon make a line bad, not a row', async () => {
    for (const bad of [
      '{"user":01,"type":"open","time":1}',
      '{"user":"u","type":"open","time":1,}',
      '{"user" "u","type":"open","time":1}',
      '{"user":"u","type":"open","time":-}',
    ]) {
      const outcome = await expectSame(encode(`${bad}\n`));
      expect(outcome.columns?.diagnostics.reasons, bad).to.deep.equal({ 'bad-json': 1 });
    }
  });

  it('a user written as a number and as a string is one user; duplicate keys keep the last', async () => {
    const text =
      '{"user":1,"type":"open","time":1772323200000}\n' +
      '{"user":"1","type":"open","time":1772323200001}\n' +
      '{"user":1.0,"type":"open","time":1772323200002}\n' +
      '{"user":"x","user":"y","type":"hide","type":"open","time":1,"time":1772323200003}\n';
    const outcome = await expectSame(encode(text));
    expect(outcome.columns?.users).to.deep.equal(['1', 'y']);
    expect(outcome.columns?.user).to.deep.equal([0, 0, 0, 1]);
    expect(outcome.columns?.time[3]).to.equal(1772323200003);
  });
});

describe('ByteInterner', () => {
  it('gives each distinct token one code, through many rehashes', () => {
    const interner = new ByteInterner();
    const bytes = encode(Array.from({ length: 5000 }, (_, i) => `"u${i}"`).join(''));
    const codes: number[] = [];
    for (let round = 0; round < 2; round++) {
      let at = 0;
      for (let i = 0; i < 5000; i++) {
        const end = bytes.indexOf(0x22, at + 1) + 1;
        const code = interner.intern(bytes, at, end);
        if (round === 0) codes.push(code);
        else expect(code).to.equal(codes[i]);
        at = end;
      }
    }
    expect(codes).to.deep.equal(Array.from({ length: 5000 }, (_, i) => i));
    expect(interner.values[4321]).to.equal('u4321');
  });
});
