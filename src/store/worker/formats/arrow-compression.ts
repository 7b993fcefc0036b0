/**
 * Compressed Arrow IPC bodies (LZ4_FRAME, ZSTD) for apache-arrow's readers: the worker's
 * (arrow-sink.ts) and the server's (server/arrow.ts). `useCodecs(registry)` imports the
 * decoders (arrow-codecs.ts, a chunk of its own in the worker) and registers them once in the
 * caller's apache-arrow; the worker calls it only when a message says that its body is
 * compressed. Only types come from apache-arrow here: the server imports it only for an Arrow
 * file.
 */
import type { Message, compressionRegistry } from 'apache-arrow';

let registered: Promise<void> | null = null;

/** Loads the LZ4_FRAME and ZSTD decoders and registers them in `registry`, once. */
export function useCodecs(registry: typeof compressionRegistry): Promise<void> {
  registered ??= import('./arrow-codecs.js').then(
    ({ CODECS }) => {
      for (const [type, codec] of CODECS) registry.set(type, codec);
    },
    (e: unknown) => {
      registered = null; // a chunk that did not load (offline): a Retry imports it again
      throw e;
    },
  );
  return registered;
}

/** True for a record batch or dictionary batch whose body is compressed. */
export function isCompressed(message: Message): boolean {
  if (message.isRecordBatch()) return message.header().compression != null;
  if (message.isDictionaryBatch()) return message.header().data.compression != null;
  return false;
}

/** True for arrow-codecs.ts's CodecError (told by name: that module loads only when needed). */
export function isCodecError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'CodecError';
}
