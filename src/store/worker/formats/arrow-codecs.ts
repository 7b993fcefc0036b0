/**
 * The decoders of compressed Arrow IPC bodies, in the shape of apache-arrow's compression
 * registry (`{ decode(bytes) }`): LZ4_FRAME (lz4-frame.ts) and ZSTD (fzstd, JavaScript: no
 * WebAssembly under a strict CSP). Imported by arrow-compression.ts only when a file's first
 * compressed message comes, so that uncompressed files never download them.
 *
 * apache-arrow hands `decode` the buffer without its 8-byte prefix, a view into the message's
 * body: the prefix, the uncompressed length (little-endian int64), is in the 8 bytes before the
 * view, and the output is checked against it (a buffer of another length would be read as
 * garbage numbers). The prefix −1 (a buffer left uncompressed) never reaches `decode`:
 * apache-arrow takes those bytes as they are.
 */
import { decompress as zstdDecompress } from 'fzstd';
import { decodeLz4Frames } from './lz4-frame.js';

/** A compressed buffer that cannot be decoded; the message names the codec and the problem. */
export class CodecError extends Error {
  override name = 'CodecError';
}

export interface Codec {
  decode(bytes: Uint8Array): Uint8Array;
}

/** The length a buffer says it decompresses to, from the 8 bytes before `bytes`. */
function prefixedLength(bytes: Uint8Array): number {
  if (bytes.byteOffset < 8) throw new Error('no length prefix before the buffer');
  const view = new DataView(bytes.buffer, bytes.byteOffset - 8, 8);
  const length = view.getBigInt64(0, true);
  if (length < 0n || length > BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`its length prefix says ${length} bytes`);
  return Number(length);
}

function lz4(bytes: Uint8Array): Uint8Array {
  return decodeLz4Frames(bytes, prefixedLength(bytes));
}

function zstd(bytes: Uint8Array): Uint8Array {
  const length = prefixedLength(bytes);
  const out = zstdDecompress(bytes);
  if (out.length !== length)
    throw new Error(`it decodes to ${out.length} bytes, not the ${length} its length prefix gives`);
  // fzstd's output starts 12 bytes into its own buffer: a typed array of 64-bit values (a time
  // column) needs 8-byte alignment.
  return out.byteOffset % 8 === 0 ? out : out.slice();
}

/** `decode` with every failure (a cut or corrupt buffer) as a CodecError naming the codec. */
function codec(name: string, decode: (bytes: Uint8Array) => Uint8Array): Codec {
  return {
    decode(bytes) {
      try {
        return decode(bytes);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new CodecError(`a compressed buffer cannot be decoded (${name}: ${why})`);
      }
    },
  };
}

/** The codecs by apache-arrow's CompressionType (LZ4_FRAME 0, ZSTD 1). */
export const CODECS: ReadonlyArray<readonly [type: number, codec: Codec]> = [
  [0, codec('LZ4 frame', lz4)],
  [1, codec('zstd', zstd)],
];
