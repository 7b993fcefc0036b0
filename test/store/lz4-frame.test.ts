import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { concat } from '../../src/store/bytes.js';
import { Lz4FrameError, decodeLz4Frames, xxh32 } from '../../src/store/worker/formats/lz4-frame.js';
import { DEFAULTS, encodeFrame, le32, type FrameOptions } from './lz4-encoder.js';

/**
 * The LZ4 frame decoder (src/store/worker/formats/lz4-frame.ts): real frames of known content
 * (written by ClickHouse and by the `lz4` command, test/fixtures/arrow/, scripts/arrow-fixtures.mjs),
 * round trips through the frames of a small encoder (lz4-encoder.ts: uncompressed blocks and compressed
 * sequences made by a greedy matcher: overlapping matches, long lengths, linked blocks), and
 * cut or corrupt frames, which must throw, never return other bytes.
 */

const FIXTURES = '/test/fixtures/arrow';

async function fetchBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (await fetch(path)).arrayBuffer());
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bytes with repeats (runs, copies of earlier parts) as well as noise. */
const dataArb = fc
  .array(
    fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }),
      fc.record({ byte: fc.nat(255), n: fc.integer({ min: 1, max: 700 }) }),
      fc.record({ back: fc.nat(5000), n: fc.integer({ min: 1, max: 400 }) }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => {
    const out: number[] = [];
    for (const p of parts) {
      if (p instanceof Uint8Array) out.push(...p);
      else if ('byte' in p) for (let k = 0; k < p.n; k++) out.push(p.byte);
      else
        for (let k = 0, s = Math.max(0, out.length - p.back - 1); k < p.n && out.length > 0; k++)
          out.push(out[s + (k % (out.length - s))]);
    }
    return new Uint8Array(out);
  });

const optionsArb: fc.Arbitrary<FrameOptions> = fc.record({
  sizeId: fc.constantFrom(4, 5),
  linked: fc.boolean(),
  blockChecksum: fc.boolean(),
  contentChecksum: fc.boolean(),
  contentSize: fc.boolean(),
  raw: fc.func(fc.boolean()),
});

/** A frame (64 KB blocks, linked unless FLG says so; no checksum but the header's) of one hand-made block. */
function oneBlockFrame(block: number[], flg = 0x40): Uint8Array {
  const descriptor = new Uint8Array([flg, 0x40]);
  const head = [...le32(0x184d2204), ...descriptor, (xxh32(descriptor, 0, 2) >>> 8) & 255];
  return new Uint8Array([...head, ...le32(block.length), ...block, 0, 0, 0, 0]);
}

function decodeError(src: Uint8Array, size: number): string {
  try {
    decodeLz4Frames(src, size);
  } catch (e) {
    expect(e).to.be.instanceOf(Lz4FrameError);
    return (e as Error).message;
  }
  throw new Error('decoded without an error');
}

describe('LZ4 frame decoder', () => {
  let ndjson: Uint8Array;
  before(async () => {
    ndjson = await gunzip(await fetchBytes(`${FIXTURES}/events.ndjson.gz`));
  });

  it('xxHash32 gives the reference values', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(xxh32(text(''), 0, 0)).to.equal(0x02cc5d05);
    expect(xxh32(text('abc'), 0, 3)).to.equal(0x32d153ff);
    const spam = text('Nobody inspects the spammish repetition');
    expect(xxh32(spam, 0, spam.length)).to.equal(0xe2293b2f);
  });

  for (const file of ['events.ndjson.lz4', 'ndjson-linked.lz4', 'ndjson-independent.lz4']) {
    it(`${file} (written by ClickHouse or lz4): the NDJSON it holds, byte for byte`, async () => {
      const src = await fetchBytes(`${FIXTURES}/${file}`);
      expect(ndjson.length).to.be.greaterThan(2 * 65_536); // more than one 64 KB block
      const out = decodeLz4Frames(src, ndjson.length);
      expect(out.length).to.equal(ndjson.length);
      expect(out.every((b, i) => b === ndjson[i])).to.equal(true);
    });
  }

  it('round trip: frames of compressed and uncompressed blocks, any options', () => {
    fc.assert(
      fc.property(dataArb, optionsArb, (data, options) => {
        const frame = encodeFrame(data, options);
        expect([...decodeLz4Frames(frame, data.length)]).to.deep.equal([...data]);
        // Without the length (apache-arrow's writer gives the compressed one): the frame's own.
        expect([...decodeLz4Frames(frame)]).to.deep.equal([...data]);
      }),
      { numRuns: 150, seed: 20261202 },
    );
  });

  it('the test encoder writes real sequences: a run compresses, and overlapping matches decode', () => {
    const run = new Uint8Array(100_000).fill(7);
    const frame = encodeFrame(run, DEFAULTS);
    expect(frame.length).to.be.lessThan(1000);
    expect(decodeLz4Frames(frame, run.length).every((b) => b === 7)).to.equal(true);
  });

  it('concatenated frames and skippable frames between them', () => {
    const a = ndjson.subarray(0, 70_000);
    const b = ndjson.subarray(70_000);
    const skippable = new Uint8Array([...le32(0x184d2a5f), ...le32(3), 1, 2, 3]);
    const src = concat([skippable, encodeFrame(a, DEFAULTS), skippable, encodeFrame(b, DEFAULTS)]);
    const out = decodeLz4Frames(src, ndjson.length);
    expect(out.every((x, i) => x === ndjson[i])).to.equal(true);
  });

  it('a second frame may not reach back into the first', () => {
    const part = ndjson.subarray(0, 5000);
    const first = encodeFrame(part, DEFAULTS);
    // The second frame's first block (linked blocks): one match of 100 bytes 5000 back, into
    // the first frame's data.
    const block = [0x0f, 5000 & 255, 5000 >> 8, 100 - 19, 0x00];
    expect(decodeError(concat([first, oneBlockFrame(block)]), 5100)).to.match(
      /reaches back 5000 bytes/,
    );
  });

  describe('a cut or corrupt frame throws, saying what is wrong', () => {
    let frame: Uint8Array;
    before(() => {
      frame = encodeFrame(ndjson, { ...DEFAULTS, contentChecksum: true, blockChecksum: true });
    });
    const cases: Array<[string, (f: Uint8Array) => Uint8Array, RegExp]> = [
      ['empty', () => new Uint8Array(0), /empty/],
      [
        'cut inside a block',
        (f) => f.subarray(0, f.length >> 1),
        /ends past the end of the buffer/,
      ],
      [
        'cut before the end mark',
        (f) => f.subarray(0, f.length - 6),
        /before its end mark|ends past/,
      ],
      ['cut in its header', (f) => f.subarray(0, 6), /header is cut/],
      [
        'not a frame',
        (f) => f.map((b, i) => (i === 0 ? 0x05 : b)),
        /no frame's magic number at byte 0/,
      ],
      ['another version', (f) => f.map((b, i) => (i === 4 ? b ^ 0xc0 : b)), /version/],
      ['a dictionary id', (f) => withHeader(f, f[4] | 1), /dictionary/],
      [
        'a header checksum that does not match',
        (f) => f.map((b, i) => (i === 6 ? b ^ 1 : b)),
        /header checksum/,
      ],
      [
        'a block checksum that does not match',
        (f) => f.map((b, i) => (i === 20 ? b ^ 1 : b)),
        /block's checksum/,
      ],
      ['stray bytes after the frame', (f) => concat([f, new Uint8Array([1, 2])]), /stray bytes/],
    ];
    for (const [name, change, reason] of cases) {
      it(name, () => {
        expect(decodeError(change(frame), ndjson.length)).to.match(reason);
      });
    }

    it('a content checksum that does not match (a changed literal, no block checksums)', () => {
      const f = encodeFrame(ndjson, { ...DEFAULTS, contentChecksum: true });
      const literal = f[11] >> 4 === 15 ? 13 : 12; // after the token (and its length byte)
      const changed = f.map((b, i) => (i === literal + 2 ? b ^ 0x20 : b));
      expect(decodeError(changed, ndjson.length)).to.match(/content checksum/);
    });

    it('a content size that is not what the frame holds', () => {
      const f = encodeFrame(ndjson, { ...DEFAULTS, contentSize: true });
      const wrong = withHeader(f, f[4], (d) => d.set(le32(ndjson.length + 1), 2));
      expect(decodeError(wrong, ndjson.length + 1)).to.match(/not the \d+ its header gives/);
    });

    it('a length that is not what the frames hold: too short, too long', () => {
      const f = encodeFrame(ndjson, DEFAULTS);
      expect(decodeError(f, ndjson.length - 1)).to.match(/more than \d+ bytes/);
      expect(decodeError(f, ndjson.length + 1)).to.match(/decodes to \d+ bytes, not the \d+/);
    });

    it('a match before the start of the data', () => {
      const block = [0x1f, 65, 9, 0, 0x00]; // a literal, then a match 9 bytes back
      expect(decodeError(oneBlockFrame(block, 0x60), 20)).to.match(/reaches back 9 bytes/);
    });

    it('random damage: an error or the same bytes, never other bytes (with checksums)', () => {
      const small = ndjson.subarray(0, 20_000);
      const whole = encodeFrame(small, { ...DEFAULTS, contentChecksum: true });
      fc.assert(
        fc.property(fc.nat(whole.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
          const damaged = whole.slice();
          damaged[at] ^= flip;
          try {
            const out = decodeLz4Frames(damaged, small.length);
            expect(out.every((b, i) => b === small[i])).to.equal(true);
          } catch (e) {
            expect(e).to.be.instanceOf(Lz4FrameError);
          }
        }),
        { numRuns: 300, seed: 7 },
      );
    });
  });
});

/** The frame `f` with FLG set to `flg` (and the descriptor changed by `edit`), its checksum redone. */
function withHeader(
  f: Uint8Array,
  flg: number,
  edit: (descriptor: Uint8Array) => void = () => {},
): Uint8Array {
  const size = 2 + (f[4] & 8 ? 8 : 0);
  const descriptor = f.slice(4, 4 + size);
  descriptor[0] = flg;
  edit(descriptor);
  const extra = flg & 1 ? new Uint8Array(4) : new Uint8Array(0);
  const all = concat([descriptor, extra]);
  return concat([
    f.subarray(0, 4),
    all,
    new Uint8Array([(xxh32(all, 0, all.length) >>> 8) & 255]),
    f.subarray(4 + size + 1),
  ]);
}
