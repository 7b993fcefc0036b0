/**
 * LZ4 frames (the format of lz4's `LZ4F_*` API and the `lz4` command, spec "LZ4 Frame Format
 * Description" 1.6) decoded into an output of a known length: an Arrow IPC buffer compressed
 * with LZ4_FRAME says its uncompressed length in its 8-byte prefix, so the output is allocated
 * once and every write is checked against it.
 *
 * Read: concatenated frames and skippable frames; linked and independent blocks; block sizes
 * 64 KB to 4 MB; uncompressed blocks (the size's high bit); the content size (checked against
 * what the frame decodes to). Every checksum the frame carries is verified (header, each block,
 * content: xxHash32): a writer adds them to have them checked, and without them (Arrow C++'s
 * default, so ClickHouse's) nothing is spent. Refused: a frame that needs a dictionary (dict id),
 * which an Arrow buffer never has, and any reserved bit or version other than 01.
 *
 * A buffer that is cut or corrupt throws Lz4FrameError saying what is wrong, never returns
 * bytes of another length than asked for.
 */

/** Why an LZ4 frame cannot be decoded; the message says what is wrong and at which byte. */
export class Lz4FrameError extends Error {
  override name = 'Lz4FrameError';
}

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: 0x184D2A50 … 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const UNCOMPRESSED_BIT = 0x80000000;

function fail(why: string): never {
  throw new Lz4FrameError(why);
}

function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/**
 * Decodes every frame in `src` into a new array of exactly `size` bytes; without `size`, into
 * one as long as the frames' bounds (capacity) and returns the bytes they decode to.
 */
export function decodeLz4Frames(src: Uint8Array, size?: number): Uint8Array {
  const out = new Uint8Array(size ?? capacity(src));
  let at = 0;
  let i = 0;
  if (src.length === 0) fail('the buffer is empty');
  while (i < src.length) {
    if (i + 4 > src.length) fail(`${src.length - i} stray bytes after the last frame`);
    const magic = u32(src, i);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (i + 8 > src.length) fail(`a skippable frame's header is cut at byte ${i}`);
      i += 8 + u32(src, i + 4);
      if (i > src.length) fail('a skippable frame ends past the end of the buffer');
      continue;
    }
    if (magic !== FRAME_MAGIC) fail(`no frame's magic number at byte ${i}`);
    const frame = readFrame(src, i, out, at);
    i = frame.next;
    at = frame.at;
  }
  if (size === undefined) return out.subarray(0, at);
  if (at !== size)
    fail(`it decodes to ${at} bytes, not the ${size} that the buffer's length prefix gives`);
  return out;
}

/**
 * The most that the frames in `src` can decode to, from their headers and block sizes only: each
 * frame's content size, else per block its own size (uncompressed) or the block size, at most
 * 256 bytes per byte (what LZ4 sequences can reach). What is not a frame ends the count: the
 * decoder then says what is wrong.
 */
function capacity(src: Uint8Array): number {
  let total = 0;
  let i = 0;
  while (i + 8 <= src.length) {
    const magic = u32(src, i);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      i += 8 + u32(src, i + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) break;
    const flg = src[i + 4];
    const blockMax = 1 << (2 * ((src[i + 5] >> 4) & 7) + 8);
    const blockSum = flg & 0x10 ? 4 : 0;
    i += 7 + (flg & 8 ? 8 : 0) + (flg & 1 ? 4 : 0);
    for (; i + 4 <= src.length;) {
      const word = u32(src, i);
      i += 4;
      if (word === 0) break;
      const n = (word & ~UNCOMPRESSED_BIT) >>> 0;
      total += word & UNCOMPRESSED_BIT ? n : Math.min(blockMax, 256 * n + 64);
      i += n + blockSum;
    }
    i += flg & 4 ? 4 : 0;
  }
  return total;
}

/** One frame from its magic number at `from`; its bytes go to `out` from `at`. */
function readFrame(
  src: Uint8Array,
  from: number,
  out: Uint8Array,
  at: number,
): { next: number; at: number } {
  const flg = src[from + 4];
  const bd = src[from + 5];
  const descriptor = 2 + (flg & 8 ? 8 : 0) + (flg & 1 ? 4 : 0);
  let i = from + 4 + descriptor;
  if (i + 1 > src.length) fail(`a frame's header is cut at byte ${from}`);
  if (flg >> 6 !== 1) fail(`a frame of version ${flg >> 6}, not 1`);
  if (flg & 2 || bd & 0x8f) fail(`a frame header's reserved bits are set at byte ${from}`);
  if (flg & 1) fail('a frame needs a dictionary (dict id), which Arrow buffers never use');
  const sizeId = (bd >> 4) & 7;
  if (sizeId < 4) fail(`a frame's block size id ${sizeId} is not one of 4 to 7`);
  const blockMax = 1 << (2 * sizeId + 8);
  if (((xxh32(src, from + 4, i) >>> 8) & 0xff) !== src[i])
    fail(`a frame's header checksum does not match at byte ${from}`);
  i += 1;
  const contentSize = flg & 8 ? u32(src, from + 6) + u32(src, from + 10) * 2 ** 32 : -1;
  const independent = (flg & 0x20) !== 0;
  const blockSum = flg & 0x10 ? 4 : 0;
  const start = at;
  for (;;) {
    if (i + 4 > src.length) fail('the buffer ends inside a frame, before its end mark');
    const word = u32(src, i);
    i += 4;
    if (word === 0) break;
    const n = (word & ~UNCOMPRESSED_BIT) >>> 0;
    if (n > blockMax) fail(`a block of ${n} bytes is over its frame's block size, ${blockMax}`);
    if (i + n + blockSum > src.length) fail('a block ends past the end of the buffer');
    if (blockSum && xxh32(src, i, i + n) !== u32(src, i + n))
      fail(`a block's checksum does not match at byte ${i}`);
    const blockStart = at;
    if (word & UNCOMPRESSED_BIT) {
      if (at + n > out.length) fail(`it decodes to more than ${out.length} bytes`);
      out.set(src.subarray(i, i + n), at);
      at += n;
    } else {
      at = decodeBlock(src, i, i + n, out, at, independent ? at : start);
    }
    if (at - blockStart > blockMax) fail(`a block decodes to more than ${blockMax} bytes`);
    i += n + blockSum;
  }
  if (contentSize >= 0 && at - start !== contentSize)
    fail(`a frame decodes to ${at - start} bytes, not the ${contentSize} its header gives`);
  if (flg & 4) {
    if (i + 4 > src.length) fail("the buffer ends inside a frame's content checksum");
    if (xxh32(out, start, at) !== u32(src, i)) fail("a frame's content checksum does not match");
    i += 4;
  }
  return { next: i, at };
}

/**
 * One LZ4 block (sequences of literals and a match, the last of literals only) from
 * src[from, to) into `out` at `at`; a match may reach back to `windowStart` (the block's own
 * start when blocks are independent, else the frame's). Returns where the output ends.
 */
function decodeBlock(
  src: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  at: number,
  windowStart: number,
): number {
  const limit = out.length;
  let i = from;
  while (i < to) {
    const token = src[i++];
    let n = token >>> 4;
    if (n === 15) {
      let b;
      do {
        if (i >= to) fail('a literal length runs past the end of its block');
        b = src[i++];
        n += b;
      } while (b === 255);
    }
    if (i + n > to) fail('literals run past the end of their block');
    if (at + n > limit) fail(`it decodes to more than ${limit} bytes`);
    if (n < 32) for (let k = 0; k < n; k++) out[at + k] = src[i + k];
    else out.set(src.subarray(i, i + n), at);
    i += n;
    at += n;
    if (i === to) break; // the last sequence: literals only
    if (i + 2 > to) fail("a match's offset is cut by the end of its block");
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > at - windowStart)
      fail(`a match reaches back ${offset} bytes, before the data it may use`);
    let length = token & 15;
    if (length === 15) {
      let b;
      do {
        if (i >= to) fail('a match length runs past the end of its block');
        b = src[i++];
        length += b;
      } while (b === 255);
    }
    length += 4;
    if (at + length > limit) fail(`it decodes to more than ${limit} bytes`);
    if (length < 32) {
      let s = at - offset;
      const end = at + length;
      while (at < end) out[at++] = out[s++];
    } else if (offset >= length) {
      out.copyWithin(at, at - offset, at - offset + length);
      at += length;
    } else {
      at = repeatMatch(out, at, offset, length);
    }
  }
  return at;
}

/**
 * A match that overlaps its own output (offset < length: the `offset` bytes before `at`,
 * repeated; an Arrow buffer of equal 4- or 8-byte values makes many). Copied in runs that
 * double: what is written so far repeats the pattern a whole number of times, so it can be
 * the source of the next copy, which never overlaps it.
 */
function repeatMatch(out: Uint8Array, at: number, offset: number, length: number): number {
  const from = at - offset;
  const end = at + length;
  while (at < end) {
    const n = Math.min(at - from, end - at);
    out.copyWithin(at, from, from + n);
    at += n;
  }
  return at;
}

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function round(acc: number, input: number): number {
  return Math.imul(rotl((acc + Math.imul(input, P2)) | 0, 13), P1);
}

/** xxHash32 (seed 0) of b[from, to), as LZ4 frames use it for their checksums. */
export function xxh32(b: Uint8Array, from: number, to: number): number {
  let i = from;
  let h: number;
  if (to - from >= 16) {
    let v1 = (P1 + P2) | 0;
    let v2 = P2 | 0;
    let v3 = 0;
    let v4 = -P1 | 0;
    for (const last = to - 16; i <= last; i += 16) {
      v1 = round(v1, u32(b, i));
      v2 = round(v2, u32(b, i + 4));
      v3 = round(v3, u32(b, i + 8));
      v4 = round(v4, u32(b, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = P5 | 0;
  }
  h = (h + (to - from)) | 0;
  for (; i + 4 <= to; i += 4) h = Math.imul(rotl((h + Math.imul(u32(b, i), P3)) | 0, 17), P4);
  for (; i < to; i++) h = Math.imul(rotl((h + Math.imul(b[i], P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
