/**
 * Typed arrays that a computation needs only while it runs, kept between calls through
 * WeakRefs. The next call reuses them for as long as the GC has not collected them, so that
 * repeated reports (a worker recomputing on every range or app change, a page computing again)
 * neither ask the allocator for fresh pages each time nor add external memory that makes V8
 * collect early. A full GC frees them, and memory returns as if they had never been kept.
 *
 * Only for arrays that never leave the engine: what a call returns is always freshly
 * allocated. A computation holds the scratch arrays through withScratch; a call made while it
 * runs (from a getter in the caller's rows or firstSeen, say) gets fresh arrays instead.
 */
type Kind = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
type ArrayOf<K extends Kind> = InstanceType<K>;

/**
 * Allocates a typed array: `new Kind(length)`, or a reused one of that length. `slot` names the
 * array: 0–3 the parser's columns (user, time, kind, app), 4–7 the grouping (slot ends, times,
 * kinds, apps).
 */
export type Allocate = <K extends Kind>(slot: number, kind: K, length: number) => ArrayOf<K>;

/** Always a fresh, zeroed array. */
export const allocateFresh: Allocate = (_slot, kind, length) =>
  new kind(length) as ArrayOf<typeof kind>;

const kept: Array<WeakRef<Float64Array | Int32Array | Uint8Array> | undefined> = [];

/**
 * A `kind` array of exactly `length` elements for the scratch slot `slot`, reusing the slot's
 * last buffer when it is still alive and big enough. Its contents are whatever the last user
 * left: callers write before they read, or fill.
 */
export const allocateScratch: Allocate = (slot, kind, length) => {
  const previous = kept[slot]?.deref();
  if (previous instanceof kind && previous.length >= length) {
    return previous.subarray(0, length) as ArrayOf<typeof kind>;
  }
  const array = new kind(length) as ArrayOf<typeof kind>;
  kept[slot] = new WeakRef(array);
  return array;
};

let holders = 0;

/**
 * Runs `fn` with the allocator it may use for arrays that stay inside the call: the scratch
 * arrays, or fresh ones when another computation already holds them (a reentrant call).
 */
export function withScratch<T>(fn: (allocate: Allocate) => T): T {
  const allocate = holders++ === 0 ? allocateScratch : allocateFresh;
  try {
    return fn(allocate);
  } finally {
    holders--;
  }
}
