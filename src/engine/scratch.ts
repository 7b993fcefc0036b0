/**
 * Typed arrays that a computation needs only while it runs, kept between calls through
 * WeakRefs. The next call reuses them for as long as the GC has not collected them, so that
 * repeated reports (a worker recomputing on every range or app change, a page computing again)
 * neither ask the allocator for fresh pages each time nor add external memory that makes V8
 * collect early. A full GC frees them, and memory returns as if they had never been kept.
 *
 * Only for arrays that never leave the engine: what a call returns is always freshly
 * allocated. Calls are synchronous, so one call at a time uses a scratch array.
 */
type Kind = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
type ArrayOf<K extends Kind> = InstanceType<K>;

/** Allocates a typed array: `new Kind(length)`, or a reused one of that length. */
export type Allocate = <K extends Kind>(name: string, kind: K, length: number) => ArrayOf<K>;

/** Always a fresh, zeroed array. */
export const allocateFresh: Allocate = (_name, kind, length) =>
  new kind(length) as ArrayOf<typeof kind>;

const kept = new Map<string, WeakRef<Float64Array | Int32Array | Uint8Array>>();

/**
 * A `kind` array of exactly `length` elements for the scratch slot `name`, reusing the slot's
 * last buffer when it is still alive and big enough. Its contents are whatever the last user
 * left: callers write before they read, or fill.
 */
export const allocateScratch: Allocate = (name, kind, length) => {
  const previous = kept.get(name)?.deref();
  if (previous instanceof kind && previous.length >= length) {
    return previous.subarray(0, length) as ArrayOf<typeof kind>;
  }
  const array = new kind(length) as ArrayOf<typeof kind>;
  kept.set(name, new WeakRef(array));
  return array;
};
