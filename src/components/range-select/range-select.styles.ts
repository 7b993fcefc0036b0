import { css } from 'lit';

export const rangeSelectStyles = css`
  :host {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 16px;
    --_on-accent: var(--ua-color-on-accent, var(--_bg));
  }
  .field {
    display: inline-flex;
    align-items: center;
    gap: 8px;
  }
  .label {
    color: var(--_muted);
    white-space: nowrap;
  }
  .segments {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
    padding: 2px;
    gap: 2px;
  }
  .segment {
    position: relative;
    display: inline-flex;
  }
  .segment input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .segment span {
    padding: 4px 12px;
    border-radius: 4px;
    white-space: nowrap;
  }
  .segment input:hover:not(:checked):not(:disabled) + span {
    background: var(--_accent-soft);
  }
  .segment input:checked + span {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .segment input:focus-visible + span {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .segment input:disabled + span {
    opacity: 0.6;
  }
  input[type='date'] {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 4px 8px;
    color-scheme: light dark;
  }
  input[type='date']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .hint {
    flex-basis: 100%;
    /* The hint wraps within the width of the controls rather than widening the element. */
    contain: inline-size;
    color: var(--ua-color-error, var(--_down));
    font-size: 0.9em;
  }
  .hint:empty {
    display: none;
  }
`;
