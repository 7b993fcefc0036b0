/** Fired by `<ua-app-select>` when an app is chosen; `app` is null for "All apps". */
export class AppChangeEvent extends Event {
  readonly detail: { app: string | null };

  constructor(app: string | null) {
    super('app-change', { bubbles: true, composed: true });
    this.detail = { app };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'app-change': AppChangeEvent;
  }
}
