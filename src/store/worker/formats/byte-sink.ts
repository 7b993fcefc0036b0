/**
 * Bytes kept as they arrive, in one buffer of the announced size (no copy of the file is
 * made), or one that doubles when the size is unknown.
 */
export class ByteBuffer {
  #buffer = new Uint8Array(0); // allocated at the first bytes
  size = 0;

  constructor(private readonly capacity: number | null) {}

  push(bytes: Uint8Array): void {
    const size = this.size;
    if (size === 0) {
      this.#buffer = new Uint8Array(Math.max(this.capacity ?? 1 << 20, bytes.length));
    }
    if (size + bytes.length > this.#buffer.length) {
      const bigger = new Uint8Array(Math.max(this.#buffer.length * 2, size + bytes.length));
      bigger.set(this.#buffer.subarray(0, size));
      this.#buffer = bigger;
    }
    this.#buffer.set(bytes, size);
    this.size = size + bytes.length;
  }

  /** The bytes so far (a view, valid until the next push). */
  bytes(): Uint8Array {
    const buffer = this.#buffer;
    return this.size === buffer.length ? buffer : buffer.subarray(0, this.size);
  }
}
