/**
 * Keeps one instance of each engine class alive for the life of the module.
 *
 * V8 gives the instances of a class their hidden class (map) through transitions that a full GC
 * drops when no instance is alive, and the optimized code built for that map goes with it: the
 * next call then runs unoptimized until V8 compiles again (measured: ~40 ms more and ~10 MB of
 * boxed numbers for a million events). Every engine call creates and drops its parser and
 * accumulators, so without a kept instance each full GC between two reports cost that.
 */
const kept: object[] = [];

/** Keeps `instance` (one small instance per class) reachable, and with it its class's map. */
export function keepShapeOf(instance: object): void {
  kept.push(instance);
}
