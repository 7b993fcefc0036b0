import type { MetricKey } from '../engine/types.js';

/** Fired when a metric card is chosen by click or keyboard. Bubbles and is composed. */
export class MetricSelectEvent extends Event {
  readonly detail: { metric: MetricKey };

  constructor(metric: MetricKey) {
    super('metric-select', { bubbles: true, composed: true });
    this.detail = { metric };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'metric-select': MetricSelectEvent;
  }
}
