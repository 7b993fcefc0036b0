import type { Range } from '../engine/types.js';

/**
 * React 19 and Vue 3 set a property whenever the element has one, with the value written in
 * the template: `<ua-source range="30">` sets `range` to the string '30', where plain HTML goes
 * through the attribute converter and gives 30. These take either form; a value that is wrong
 * in both is returned as it is, so that the check after them names it.
 */

/** What a range property takes: 1, 7 or 30, or the same as a string. */
export type RangeInput = Range | `${Range}`;

/** What a number property takes: the number, or the same as a string. */
export type NumberInput = number | `${number}`;

/** A number, or a string that is one ('30', ' 45 ') as that number; anything else unchanged. */
export function numberFrom(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/** As numberFrom, with null, undefined and '' (the attribute removed or empty) as null. */
export function optionalNumberFrom(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return numberFrom(value);
}

/** Lit's converter for a number attribute that may be absent: '' and missing are null. */
export const optionalNumberAttribute = {
  fromAttribute: optionalNumberFrom,
  toAttribute: (value: unknown): string | null => (value == null ? null : String(value)),
};
