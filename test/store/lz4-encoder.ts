/**
 * A small LZ4 frame encoder for the tests (the kit only decodes): uncompressed blocks, and
 * compressed ones of real sequences found by a greedy matcher (overlapping matches, long
 * lengths, matches into earlier blocks when blocks are linked), with any of the frame's options.
 */
import { xxh32 } from '../../src/store/worker/formats/lz4-frame.js';

export interface FrameOptions {
  /** Block size id, 4 (64 KB) … 7 (4 MB). */
  sizeId: number;
  linked: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  contentSize: boolean;
  /** Per block: true writes it uncompressed (the size's high bit). */
  raw: (index: number) => boolean;
}

export const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

/** Length bytes after a token's nibble of 15 (the nibble itself not included). */
function lengthBytes(rest: number): number[] {
  const out: number[] = [];
  for (; rest >= 255; rest -= 255) out.push(255);
  out.push(rest);
  return out;
}

/**
 * data[from, to) as LZ4 sequences: greedy matches of ≥ 4 bytes found by a hash of 4 bytes,
 * reaching back into the window that starts at `windowStart`, the last 5 bytes literals.
 */
function compressBlock(data: Uint8Array, from: number, to: number, windowStart: number): number[] {
  const out: number[] = [];
  const table = new Map<number, number>();
  const key = (i: number) =>
    data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
  for (let i = windowStart; i + 4 <= from; i++) table.set(key(i), i);
  let anchor = from;
  let i = from;
  const emit = (literalEnd: number, offset: number, length: number) => {
    const lit = literalEnd - anchor;
    const m = length - 4;
    out.push(((lit < 15 ? lit : 15) << 4) | (offset === 0 ? 0 : m < 15 ? m : 15));
    if (lit >= 15) out.push(...lengthBytes(lit - 15));
    for (let k = anchor; k < literalEnd; k++) out.push(data[k]);
    if (offset === 0) return;
    out.push(offset & 255, offset >> 8);
    if (m >= 15) out.push(...lengthBytes(m - 15));
  };
  while (i + 12 <= to) {
    const candidate = table.get(key(i));
    table.set(key(i), i);
    if (candidate !== undefined && i - candidate < 65_536 && candidate >= windowStart) {
      let length = 0;
      while (i + length < to - 5 && data[candidate + length] === data[i + length]) length++;
      if (length >= 4) {
        emit(i, i - candidate, length);
        i += length;
        anchor = i;
        continue;
      }
    }
    i++;
  }
  emit(to, 0, 0);
  return out;
}

/** `data` as one LZ4 frame with the given options. */
export function encodeFrame(data: Uint8Array, o: FrameOptions): Uint8Array {
  const blockMax = 1 << (2 * o.sizeId + 8);
  const flg =
    0x40 |
    (o.linked ? 0 : 0x20) |
    (o.blockChecksum ? 0x10 : 0) |
    (o.contentSize ? 8 : 0) |
    (o.contentChecksum ? 4 : 0);
  const descriptor = [flg, o.sizeId << 4];
  if (o.contentSize) descriptor.push(...le32(data.length), 0, 0, 0, 0);
  const head = new Uint8Array(descriptor);
  const out: number[] = [
    ...le32(0x184d2204),
    ...descriptor,
    (xxh32(head, 0, head.length) >>> 8) & 255,
  ];
  for (let from = 0, index = 0; from < data.length; from += blockMax, index++) {
    const to = Math.min(data.length, from + blockMax);
    const raw = o.raw(index);
    const block = raw
      ? [...data.subarray(from, to)]
      : compressBlock(data, from, to, o.linked ? 0 : from);
    out.push(...le32((block.length | (raw ? 0x80000000 : 0)) >>> 0), ...block);
    if (o.blockChecksum) out.push(...le32(xxh32(new Uint8Array(block), 0, block.length)));
  }
  out.push(0, 0, 0, 0);
  if (o.contentChecksum) out.push(...le32(xxh32(data, 0, data.length)));
  return new Uint8Array(out);
}

export const DEFAULTS: FrameOptions = {
  sizeId: 4,
  linked: true,
  blockChecksum: false,
  contentChecksum: false,
  contentSize: false,
  raw: () => false,
};
