import type { Range } from '../engine/types.js';

/**
 * Fired by `<ua-range-select>` when the range or its last day is chosen; `end` is
 * 'YYYY-MM-DD', or null for the T+1 default (yesterday).
 */
export class RangeChangeEvent extends Event {
  readonly detail: { range: Range; end: string | null };

  constructor(range: Range, end: string | null) {
    super('range-change', { bubbles: true, composed: true });
    this.detail = { range, end };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'range-change': RangeChangeEvent;
  }
}
