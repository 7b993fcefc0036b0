import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang } from '../i18n/strings.js';
import type { Theme } from '../styles/theme.styles.js';
import type { MetricsStore } from '../store/metrics-store.js';
import { LangController } from './lang-controller.js';
import { reportView, type ReportView } from './report-view.js';
import { StoreController, type StoreHost } from './store-controller.js';

/**
 * The base of every widget over a metrics store: declares `store`, `source`, `lang` and
 * `shared-states` once, finds and watches the store (StoreController) and the language
 * (LangController). A widget adds only its own behaviour.
 */
export class StoreWidget extends LitElement implements StoreHost {
  /** A store set directly; wins over `source` and the enclosing `<ua-source>`. */
  @property({ attribute: false }) store: MetricsStore | null = null;

  /** Id of the `<ua-source>` to use when the element is not nested in it. */
  @property({ attribute: 'source' }) source: string | null = null;

  /**
   * Language of labels and formats: `en` or `zh-CN`. Default: the nearest `lang` in the page,
   * followed when it changes.
   */
  @property({ attribute: 'lang' }) override lang = '';

  /**
   * The page shows one loading, error and empty state for several widgets (`<ua-dashboard>`
   * sets it on its own): the widget then shows only its content, dimmed while a newer Report
   * loads, or its skeleton while the first one loads.
   */
  @property({ type: Boolean, attribute: 'shared-states' }) sharedStates = false;

  /**
   * Colour defaults: `light` (default), `dark`, or `auto` (dark when the system prefers it).
   * Custom properties set by the page win over either.
   */
  @property({ reflect: true }) theme: Theme = 'light';

  protected readonly storeController = new StoreController(this);
  protected readonly langController = new LangController(this);

  /** The store in use (found or set), or null. */
  protected get activeStore(): MetricsStore | null {
    return this.storeController.store;
  }

  /** The language labels and formats are in now. */
  protected get language(): Lang {
    return this.langController.lang;
  }

  /** What to show of the store's Report (state, Report, staleness). */
  protected get view(): ReportView {
    return reportView(this.activeStore);
  }

  /** Asks the store to load again. */
  protected readonly retry = (): void => this.activeStore?.retry();

  // Resolved before render (not in updated()), so that the new store renders in this update.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('source')) this.storeController.resolve();
  }
}
