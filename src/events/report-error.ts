/** Fired by `<ua-source>` when loading or computing a Report failed; `detail.reason` is readable. */
export class ReportErrorEvent extends Event {
  readonly detail: { reason: string };

  constructor(reason: string) {
    super('report-error', { bubbles: true, composed: true });
    this.detail = { reason };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'report-error': ReportErrorEvent;
  }
}
