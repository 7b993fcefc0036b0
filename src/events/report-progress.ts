import type { Progress } from '../store/types.js';

/** Fired by `<ua-source>` while events load, parse and compute. */
export class ReportProgressEvent extends Event {
  readonly detail: Progress;

  constructor(progress: Progress) {
    super('report-progress', { bubbles: true, composed: true });
    this.detail = progress;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'report-progress': ReportProgressEvent;
  }
}
