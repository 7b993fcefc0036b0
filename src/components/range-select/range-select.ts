import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { defaultEnd, defaultTimeZone, parseCivil } from '../../engine/periods.js';
import type { Range } from '../../engine/types.js';
import { RangeChangeEvent } from '../../events/range-change.js';
import { formatDay, strings } from '../../i18n/index.js';
import { StoreWidget } from '../../internal/store-widget.js';
import { lastValue } from '../../store/types.js';
import { themeStyles } from '../../styles/theme.styles.js';
import { rangeSelectStyles } from './range-select.styles.js';

const RANGES: readonly Range[] = [1, 7, 30];

/** Whether `s` is a real calendar date 'YYYY-MM-DD'. */
function isCivil(s: string): boolean {
  try {
    parseCivil(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * @summary Picks the period: 1, 7 or 30 days as a segmented control, and the last day of the
 * period in a date input.
 *
 * The segments are native radio buttons (Tab reaches the chosen one, arrow keys move and
 * choose). The date input is labelled "Day" for one day and "Ending on" for 7 and 30 days; it
 * shows the configured end, else the Report's, else yesterday. Its `max` is yesterday in the
 * configured (else the Report's, else the browser's) time zone: data is T+1, so today and later
 * are refused — a typed later day is reset and a hint says why, and the source is not changed.
 *
 * A typed day is taken whole, on Enter or when the field loses focus (never per keystroke);
 * a day chosen in the browser's picker is taken at once.
 *
 * @fires {RangeChangeEvent} range-change - A range or a day was chosen (`detail: { range, end }`, `end` null when
 *   the T+1 default applies); the source's `range` and `end` follow.
 *
 * @csspart label - The visible "Range" label.
 * @csspart segments - The radio group holding the three segments.
 * @csspart segment - Each segment; the chosen one also has part `segment-checked`.
 * @csspart date-label - The label of the date input.
 * @csspart date - The `<input type="date">`.
 * @csspart hint - The message shown when a day was refused.
 *
 * @cssprop --ua-color-text - Text colour.
 * @cssprop --ua-color-muted - Label colour.
 * @cssprop --ua-color-surface - Background of the controls.
 * @cssprop --ua-color-border - Borders.
 * @cssprop --ua-color-accent - The chosen segment and focus rings.
 * @cssprop --ua-color-on-accent - Text on the chosen segment (the surface colour).
 */
@customElement('ua-range-select')
export class UaRangeSelect extends StoreWidget {
  static override styles = [themeStyles, rangeSelectStyles];

  /** The last refused day's limit, shown as a hint until a valid choice. */
  @state() private refusedMax: string | null = null;

  /** A day is being typed into the field: it is taken on Enter or blur, not per keystroke. */
  private typing = false;

  /** The configured range (7 before a store is found). */
  get range(): Range {
    return this.activeStore?.config.range ?? 7;
  }

  /** The last day shown: the configured end, else the Report's, else yesterday. */
  get end(): string {
    const store = this.activeStore;
    if (store?.config.end) return store.config.end;
    return lastValue(store?.report)?.end ?? this.max;
  }

  /** Yesterday in the time zone of the data: the latest day that can be chosen (T+1). */
  get max(): string {
    return defaultEnd(Date.now(), this.timeZone);
  }

  private get timeZone(): string {
    const store = this.activeStore;
    for (const tz of [store?.config.timeZone, lastValue(store?.report)?.timeZone]) {
      if (!tz) continue;
      try {
        defaultEnd(0, tz);
        return tz;
      } catch {
        // an unknown zone: the source reports it; fall back to the next candidate
      }
    }
    return defaultTimeZone();
  }

  override render() {
    const lang = this.language;
    const s = strings(lang);
    const disabled = !this.activeStore;
    const current = this.range;
    return html`<span class="field">
        <span class="label" part="label" id="range-label">${s.range}</span>
        <div class="segments" part="segments" role="radiogroup" aria-labelledby="range-label">
          ${RANGES.map(
            (r) =>
              html`<label class="segment" part="segment ${r === current ? 'segment-checked' : ''}">
                <input
                  type="radio"
                  name="range"
                  .value=${String(r)}
                  .checked=${live(r === current)}
                  ?disabled=${disabled}
                  @change=${this.onRange}
                /><span>${s.rangeLabel[r]}</span>
              </label>`,
          )}
        </div></span
      ><span class="field">
        <label class="label" part="date-label" for="day"
          >${current === 1 ? s.day : s.endingOn}</label
        >
        <input
          id="day"
          part="date"
          type="date"
          required
          max=${this.max}
          .value=${live(this.end)}
          ?disabled=${disabled}
          aria-describedby="hint"
          @keydown=${this.onDayKey}
          @pointerdown=${this.onDayPointer}
          @change=${this.onDayChange}
          @blur=${this.onDayBlur}
      /></span>
      <span id="hint" class="hint" part="hint" role="status"
        >${this.refusedMax ? s.dayOutOfRange(formatDay(this.refusedMax, lang) ?? this.refusedMax) : ''}</span
      >`;
  }

  private onRange(e: Event): void {
    const store = this.activeStore;
    const input = e.target as HTMLInputElement;
    if (!store || !input.checked) return;
    const range = Number(input.value) as Range;
    if (range === store.config.range) return;
    const end = store.config.end;
    store.configure({ range, end });
    const event = new RangeChangeEvent(range, end);
    this.dispatchEvent(event);
  }

  /**
   * Keys that edit a segment of the field (digits, Backspace, Delete, the up and down arrows):
   * the day is being typed, and each `change` until Enter or blur is a partial one (typing
   * 11/15/2026 passes through 2026-01-30, 0002-11-15, 0020-11-15 …). Enter commits.
   */
  private readonly onDayKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') {
      this.typing = false;
      this.commitDay(e.target as HTMLInputElement);
    } else if (/^[0-9]$|^(Backspace|Delete|ArrowUp|ArrowDown)$/.test(e.key)) {
      this.typing = true;
    }
  };

  /** A pointer on the field opens the picker (or places the caret): a choice there commits. */
  private readonly onDayPointer = (): void => {
    this.typing = false;
  };

  /** A `change` commits unless the day is being typed (the picker's choice, say). */
  private readonly onDayChange = (e: Event): void => {
    if (!this.typing) this.commitDay(e.target as HTMLInputElement);
  };

  /** Leaving the field commits what was typed. */
  private readonly onDayBlur = (e: FocusEvent): void => {
    if (!this.typing) return;
    this.typing = false;
    this.commitDay(e.target as HTMLInputElement);
  };

  /**
   * Takes the field's day: a whole day up to yesterday configures the source and fires
   * `range-change`; a later day is refused with the hint, and an empty or partial one is put
   * back — the field then shows the last valid day again.
   */
  private commitDay(input: HTMLInputElement): void {
    const store = this.activeStore;
    if (!store) return;
    const value = input.value;
    const max = this.max;
    if (!isCivil(value) || value > max) {
      input.value = this.end;
      this.refusedMax = value ? max : null;
      return;
    }
    this.refusedMax = null;
    if (value === store.config.end) return;
    const range = store.config.range;
    store.configure({ range, end: value });
    const event = new RangeChangeEvent(range, value);
    this.dispatchEvent(event);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ua-range-select': UaRangeSelect;
  }
}
