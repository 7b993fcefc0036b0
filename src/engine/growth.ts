/**
 * Growth of `current` over `previous` as an integer percentage (docs/SPEC.md §4): a previous value of
 * 0 is replaced by 1, the result is rounded half away from zero, and −0 is 0.
 */
export function growthOf(current: number, previous: number): number {
  const divisor = previous === 0 ? 1 : previous;
  const exact = ((current - previous) * 100) / divisor;
  // Ratios of averages carry float noise (12.4999999…): snap to 9 decimals before rounding.
  const snapped = Math.round(exact * 1e9) / 1e9;
  const rounded = Math.sign(snapped) * Math.floor(Math.abs(snapped) + 0.5);
  return rounded === 0 ? 0 : rounded;
}
