import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { resolveLang } from '../i18n/lang.js';
import type { Lang } from '../i18n/strings.js';
import { observeAncestors } from './ancestor-observer.js';

/**
 * The language of a host element, kept current: re-renders the host when `lang` changes on
 * the element, any ancestor (across shadow boundaries) or `<html>`. One MutationObserver per
 * host watches the `lang` attribute of each element on the way up, as `@shoelace-style/localize`
 * watches `<html>`; the path is taken again on every connection.
 */
export class LangController implements ReactiveController {
  private observer: MutationObserver | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The host's language now: its own `lang`, else the nearest one up the tree, else 'en'. */
  get lang(): Lang {
    return resolveLang(this.host);
  }

  hostConnected(): void {
    this.observer = observeAncestors(this.host, ['lang'], () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }
}
