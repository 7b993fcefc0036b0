/**
 * Compressed Arrow IPC bodies (LZ4_FRAME, ZSTD) for apache-arrow's readers: the worker's
 * (arrow-sink.ts) and the server's (server/arrow.ts). `useCodecs()` imports the decoders
 * (arrow-codecs.ts, a chunk of its own in the worker) and registers them once; the worker
 * calls it only when a message says that its body is compressed.
 */
import { compressionRegistry, type Message } from 'apache-arrow';

let registered: Promise<void> | null = null;

/** Loads and registers the LZ4_FRAME and ZSTD decoders, once. */
export function useCodecs(): Promise<void> {
  registered ??= import('./arrow-codecs.js').then(({ CODECS }) => {
    for (const [type, codec] of CODECS) compressionRegistry.set(type, codec);
  });
  return registered;
}

/** True for a record batch or dictionary batch whose body is compressed. */
export function isCompressed(message: Message): boolean {
  if (message.isRecordBatch()) return message.header().compression != null;
  if (message.isDictionaryBatch()) return message.header().data.compression != null;
  return false;
}
