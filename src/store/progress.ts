import type { SourceMode } from './metrics-store.js';
import type { Progress } from './types.js';

type Band = readonly [from: number, to: number];

/**
 * Where each phase sits on the one bar of a load, by mode. events-src: the bytes (text is read
 * while it downloads), then the rows of a columnar file, then the computation; an events
 * array: its rows, then the computation; an endpoint: the answer's bytes.
 */
const BANDS: Record<SourceMode, Partial<Record<Progress['phase'], Band>>> = {
  'events-src': { load: [0, 0.7], parse: [0.7, 0.95], compute: [0.95, 1] },
  events: { parse: [0, 0.9], compute: [0.9, 1] },
  endpoint: { load: [0, 1] },
};

/**
 * The bar's position after `p`: the phase's band, filled by `done / total`. It never goes back
 * (`previous` is where it was), and stays where it was while a phase's total is unknown — null
 * (indeterminate) until one is known. The computation is one step: its band's start.
 */
export function overallProgress(
  mode: SourceMode,
  p: Progress,
  previous: number | null | undefined,
): number | null {
  const [from, to] = BANDS[mode][p.phase] ?? [0, 1];
  const known = p.total !== null && p.total > 0;
  if (!known && p.phase !== 'compute') return previous ?? null;
  const fraction = known ? Math.min(1, Math.max(0, p.done / p.total!)) : 0;
  return Math.max(previous ?? 0, from + (to - from) * fraction);
}
