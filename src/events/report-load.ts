import type { Report } from '../engine/types.js';

/** Fired by `<ua-source>` when a Report is ready. */
export class ReportLoadEvent extends Event {
  readonly detail: Report;

  constructor(report: Report) {
    super('report-load', { bubbles: true, composed: true });
    this.detail = report;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'report-load': ReportLoadEvent;
  }
}
