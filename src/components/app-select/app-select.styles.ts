import { css } from 'lit';

export const appSelectStyles = css`
  :host {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
  }
  label {
    color: var(--_muted);
  }
  select {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 5px 8px;
    min-width: 10em;
    max-width: 100%;
  }
  select:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  select:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  select:disabled {
    opacity: 0.6;
  }
  .error {
    color: var(--ua-color-error, var(--_down));
    font-size: 0.93em;
  }
  .retry {
    font: inherit;
    font-size: 0.93em;
    color: var(--_accent);
    background: none;
    border: 1px solid currentColor;
    border-radius: 6px;
    padding: 3px 10px;
    cursor: pointer;
  }
`;
