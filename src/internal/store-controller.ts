import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MetricsStore } from '../store/metrics-store.js';
import { composedAncestors } from './composed-tree.js';

/** What a widget exposes for finding its store. */
export interface StoreHost extends ReactiveControllerHost, HTMLElement {
  /** A store set directly; wins over `source` and the enclosing `<ua-source>`. */
  store: MetricsStore | null;
  /** Id of a `<ua-source>` elsewhere in the same document or shadow root. */
  source: string | null;
}

/** Name of the document event a `<ua-source>` fires when it connects (so late ones are found). */
export const SOURCE_CONNECTED = 'ua-source-connected';

interface SourceLike extends Element {
  store?: MetricsStore;
}

/** The nearest enclosing `<ua-source>`, across shadow boundaries. */
function enclosingSource(el: Element): SourceLike | null {
  for (const n of composedAncestors(el)) {
    if (n !== el && n.localName === 'ua-source') return n;
  }
  return null;
}

/** The `<ua-source id=…>` in the host's tree scope, else in the document. */
function sourceById(el: Element, id: string): SourceLike | null {
  const root = el.getRootNode() as Document | ShadowRoot;
  const found = root.getElementById?.(id) ?? document.getElementById(id);
  return found?.localName === 'ua-source' ? found : null;
}

/**
 * Finds a widget's store — its `store` property, else the `<ua-source>` named by its `source`
 * attribute, else the nearest enclosing `<ua-source>` — subscribes while connected, and asks
 * the host to re-render on every change. A source that is defined or connected later is
 * picked up when it arrives.
 *
 * Why not @lit/context: `source="ID"` names a source that is not an ancestor, which context
 * cannot express; one lookup path for both cases is simpler and works whatever order the
 * elements are defined and connected in.
 */
export class StoreController implements ReactiveController {
  private current: MetricsStore | null = null;
  private unsubscribe: (() => void) | null = null;
  private connected = false;

  constructor(private readonly host: StoreHost) {
    host.addController(this);
  }

  /** The store in use, or null while none is found. */
  get store(): MetricsStore | null {
    return this.current;
  }

  hostConnected(): void {
    this.connected = true;
    document.addEventListener(SOURCE_CONNECTED, this.onSourceConnected);
    this.resolve();
    if (!customElements.get('ua-source')) {
      void customElements.whenDefined('ua-source').then(() => this.connected && this.resolve());
    }
  }

  hostDisconnected(): void {
    this.connected = false;
    document.removeEventListener(SOURCE_CONNECTED, this.onSourceConnected);
    this.attach(null);
  }

  /** Looks the store up again (call when `store` or `source` changed). */
  resolve(): void {
    if (!this.connected) return;
    this.attach(this.lookup());
  }

  private readonly onSourceConnected = (): void => {
    if (this.host.store === null) this.resolve();
  };

  private lookup(): MetricsStore | null {
    if (this.host.store) return this.host.store;
    const source = this.host.source
      ? sourceById(this.host, this.host.source)
      : enclosingSource(this.host);
    return source?.store ?? null;
  }

  private attach(store: MetricsStore | null): void {
    if (store === this.current) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.current = store;
    if (store) this.unsubscribe = store.subscribe(() => this.host.requestUpdate());
    this.host.requestUpdate();
  }
}
