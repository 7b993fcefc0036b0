/**
 * Sorts runs of parallel columns (time, kind and optionally app) by (time, kind), stably.
 *
 * A user's events nearly always arrive in order, with now and then a session delivered late:
 * runs are long and almost sorted. A bottom-up merge sort over an index permutation, with
 * insertion-sorted blocks and merges skipped where two neighbours are already in order, does
 * such a run in about one pass and any run in O(n log n), without calling a comparator
 * function per comparison (TypedArray#sort with one costs ~25 ns a comparison). Scratch
 * arrays are kept and reused across runs.
 */
import { keepShapeOf } from './shapes.js';

const BLOCK = 16;

export class RunSorter {
  private index = new Int32Array(0);
  private spare = new Int32Array(0);
  private times = new Float64Array(0);
  private ints = new Int32Array(0);

  /** Sorts [from, to) of the columns by (time, kind), keeping the input order of ties. */
  sort(
    time: Float64Array,
    kind: Uint8Array,
    app: Int32Array | null,
    from: number,
    to: number,
  ): void {
    if (isSorted(time, kind, from, to)) return;
    const n = to - from;
    this.reserve(n);
    let idx = this.index;
    let tmp = this.spare;
    for (let j = 0; j < n; j++) idx[j] = from + j;
    for (let lo = 0; lo < n; lo += BLOCK)
      insertionSort(idx, lo, Math.min(n, lo + BLOCK), time, kind);
    for (let width = BLOCK; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(n, lo + width);
        const hi = Math.min(n, lo + 2 * width);
        if (mid >= hi || !before(time, kind, idx[mid], idx[mid - 1])) {
          tmp.set(idx.subarray(lo, hi), lo); // already in order (or nothing to merge)
        } else {
          merge(idx, tmp, lo, mid, hi, time, kind);
        }
      }
      const swap = idx;
      idx = tmp;
      tmp = swap;
    }
    this.gather(idx, n, from, time, kind, app);
  }

  /** Rewrites the columns' [from, from + n) in the order of `idx`. */
  private gather(
    idx: Int32Array,
    n: number,
    from: number,
    time: Float64Array,
    kind: Uint8Array,
    app: Int32Array | null,
  ): void {
    const times = this.times;
    const ints = this.ints;
    for (let j = 0; j < n; j++) times[j] = time[idx[j]];
    time.set(times.subarray(0, n), from);
    for (let j = 0; j < n; j++) ints[j] = kind[idx[j]];
    for (let j = 0; j < n; j++) kind[from + j] = ints[j];
    if (app !== null) {
      for (let j = 0; j < n; j++) ints[j] = app[idx[j]];
      app.set(ints.subarray(0, n), from);
    }
  }

  private reserve(n: number): void {
    if (this.index.length >= n) return;
    const size = Math.max(n, this.index.length * 2);
    this.index = new Int32Array(size);
    this.spare = new Int32Array(size);
    this.times = new Float64Array(size);
    this.ints = new Int32Array(size);
  }
}

keepShapeOf(new RunSorter());

/** Whether event `a` goes before event `b`: earlier, or at the same time of a lower kind. */
function before(time: Float64Array, kind: Uint8Array, a: number, b: number): boolean {
  const ta = time[a];
  const tb = time[b];
  return ta < tb || (ta === tb && kind[a] < kind[b]);
}

function isSorted(time: Float64Array, kind: Uint8Array, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (before(time, kind, k, k - 1)) return false;
  return true;
}

function insertionSort(
  idx: Int32Array,
  lo: number,
  hi: number,
  time: Float64Array,
  kind: Uint8Array,
): void {
  for (let j = lo + 1; j < hi; j++) {
    const x = idx[j];
    let k = j - 1;
    while (k >= lo && before(time, kind, x, idx[k])) {
      idx[k + 1] = idx[k];
      k--;
    }
    idx[k + 1] = x;
  }
}

/** Merges sorted idx[lo, mid) and idx[mid, hi) into out[lo, hi); ties take the left first. */
function merge(
  idx: Int32Array,
  out: Int32Array,
  lo: number,
  mid: number,
  hi: number,
  time: Float64Array,
  kind: Uint8Array,
): void {
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    if (before(time, kind, idx[j], idx[i])) out[k++] = idx[j++];
    else out[k++] = idx[i++];
  }
  while (i < mid) out[k++] = idx[i++];
  while (j < hi) out[k++] = idx[j++];
}
