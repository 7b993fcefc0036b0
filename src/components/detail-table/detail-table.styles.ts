import { css } from 'lit';

export const detailTableStyles = css`
  :host {
    display: block;
    --_stripe: var(--ua-table-stripe, color-mix(in srgb, var(--_fg) 3.5%, transparent));
    --_head-bg: var(--ua-table-header-background, var(--_bg));
  }
  .skeleton {
    height: min(var(--ua-table-max-height, 360px), 240px);
    border-radius: var(--_radius);
    background: var(--_skeleton);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px 16px;
    margin-block-end: 8px;
  }
  .title {
    font-weight: 600;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  .scroll:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .download {
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
    padding: 4px 12px;
    font-size: 0.93em;
  }
  .download:hover:not(:disabled) {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  .download:disabled {
    cursor: default;
    opacity: 0.5;
  }
  .scroll {
    max-height: var(--ua-table-max-height, 360px);
    overflow: auto;
    border-radius: 4px;
  }
  :host([theme='dark']) .scroll {
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) .scroll {
      color-scheme: dark;
    }
  }
  .scroll-frame {
    position: relative;
  }
  /* A table wider than its box: its right edge fades out, saying there is more. */
  .scroll-frame.overflowing::after {
    content: '';
    position: absolute;
    inset: 0 0 0 auto;
    width: 28px;
    pointer-events: none;
    background: linear-gradient(to right, transparent, var(--_bg));
  }
  .scroll-hint {
    margin: 0 0 6px;
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* Old rows while loading or after an error: muted text rather than the shared opacity, which
     would take the text below 4.5:1 contrast. */
  .scroll.stale {
    opacity: 1;
  }
  .stale tbody {
    color: var(--_muted);
  }
  .stale tbody th {
    font-weight: inherit;
  }
  table {
    width: 100%;
    border-collapse: separate;
    border-spacing: 0;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    padding: 7px 12px;
    text-align: end;
    white-space: nowrap;
    border-block-end: 1px solid var(--_border);
  }
  thead th {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--_head-bg);
    color: var(--_muted);
    font-weight: 600;
    font-size: 0.9em;
    vertical-align: bottom;
  }
  th:first-child {
    position: sticky;
    inset-inline-start: 0;
    text-align: start;
    background: var(--_head-bg);
  }
  thead th:first-child {
    z-index: 2;
  }
  tbody th {
    font-weight: 500;
  }
  tbody tr:nth-child(even) > * {
    background-image: linear-gradient(var(--_stripe), var(--_stripe));
  }
  tbody tr:hover > * {
    background-image: linear-gradient(var(--_accent-soft), var(--_accent-soft));
  }
  tbody tr:last-child > * {
    border-block-end: 0;
  }
  .sort {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    border: 0;
    background: none;
    padding: 0;
    font-weight: inherit;
    color: inherit;
  }
  .sort:hover {
    color: var(--_accent);
  }
  .arrow {
    font-size: 0.95em;
  }
`;
