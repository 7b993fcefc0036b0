import { html, nothing } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { AppChangeEvent } from '../../events/app-change.js';
import { strings } from '../../i18n/index.js';
import { StoreWidget } from '../../internal/store-widget.js';
import { lastValue, type AppInfo } from '../../store/types.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { appSelectStyles } from './app-select.styles.js';

/** Apps sorted by name (then id), as a new array. */
function byName(apps: readonly AppInfo[]): AppInfo[] {
  return [...apps].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * @summary Picks the app whose User Analysis is shown: a labelled native `<select>` over the
 * source's app list (`GET {endpoint}/apps`, or the distinct `app` values of the events).
 *
 * The first option is always "All apps" (app null). Each app shows its name and, when known,
 * its kind (Mini program / H5 / Mini game). Names are text, never HTML. An endpoint's list
 * keeps its order; in in-browser mode the names come from the source's `apps` property (else
 * the ids show) and are sorted by name. An app configured on
 * the source that is not in the list still appears, under its id.
 *
 * @fires {AppChangeEvent} app-change - An app was chosen (`detail: { app }`, null for all apps); the source's
 *   `app` follows.
 *
 * @csspart label - The visible label.
 * @csspart select - The `<select>`.
 * @csspart error - The error text when the app list could not load.
 * @csspart retry - The Retry button next to it.
 *
 * @cssprop --ua-color-text - Text colour.
 * @cssprop --ua-color-muted - Label colour.
 * @cssprop --ua-color-surface - Background of the select.
 * @cssprop --ua-color-border - Border of the select.
 * @cssprop --ua-color-accent - Focus ring and hover border.
 * @cssprop --ua-color-error - Error text (default: the theme's down colour).
 */
@customElement('ua-app-select')
export class UaAppSelect extends StoreWidget {
  static override styles = [themeStyles, appSelectStyles];

  @query('select') private select!: HTMLSelectElement | null;

  /** The chosen app id, or null for all apps. */
  get value(): string | null {
    return this.activeStore?.config.app ?? null;
  }

  override updated(): void {
    // Keep the native selection in step with the store, whatever the user did before.
    if (this.select && this.select.value !== (this.value ?? '')) {
      this.select.value = this.value ?? '';
    }
  }

  override render() {
    const s = strings(this.language);
    const store = this.activeStore;
    const apps = store?.apps ?? { status: 'idle' as const };
    const waiting = apps.status === 'loading' && !apps.previous;
    let list = lastValue(apps) ?? [];
    // In-browser mode lists the apps in the order the events name them: sorted by name here.
    if (store?.mode === 'events' || store?.mode === 'events-src') list = byName(list);
    return html`<label part="label" for="app">${s.app}</label>
      <select
        id="app"
        part="select"
        ?disabled=${!store || waiting}
        aria-busy=${waiting ? 'true' : 'false'}
        @change=${this.onChange}
      >
        ${waiting ? html`<option value="">${s.loading}</option>` : this.appOptions(list)}
      </select>
      ${
        apps.status === 'error'
          ? html`<span class="error" part="error" role="alert"
                >${s.appsErrorTitle}: ${apps.error}</span
              >
              <button class="retry" part="retry" type="button" @click=${() => store!.retry()}>
                ${s.retry}
              </button>`
          : nothing
      }`;
  }

  private appOptions(list: readonly AppInfo[]) {
    const s = strings(this.language);
    const current = this.value;
    const known = current === null || list.some((a) => a.id === current);
    return html`<option value="" ?selected=${current === null}>${s.allApps}</option>
      ${list.map(
        (a) =>
          html`<option value=${a.id} ?selected=${a.id === current}>
            ${a.kind && s.appKind[a.kind] ? s.appOption(a.name, s.appKind[a.kind]) : a.name}
          </option>`,
      )}
      ${known ? nothing : html`<option value=${current!} selected>${current}</option>`}`;
  }

  private onChange(e: Event): void {
    const store = this.activeStore;
    if (!store) return;
    const value = (e.target as HTMLSelectElement).value;
    const app = value === '' ? null : value;
    if (app === store.config.app) return;
    store.configure({ app });
    const event = new AppChangeEvent(app);
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-app-select': UaAppSelect;
  }
}
