import { css } from 'lit';

/**
 * The grid answers to the host's own width (a container query), never to the window: 2 cards
 * across on narrow hosts, 4 on medium ones, all in one row on wide ones.
 */
export const overviewStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: var(--ua-overview-gap, 12px);
  }
  @container (min-width: 560px) {
    .grid {
      grid-template-columns: repeat(4, minmax(0, 1fr));
    }
  }
  @container (min-width: 1000px) {
    .grid {
      grid-template-columns: none;
      grid-auto-flow: column;
      grid-auto-columns: minmax(0, 1fr);
    }
  }
  /*
   * Each card spans three rows of the grid and shares them (subgrid), so that labels that
   * wrap onto two lines keep values and badges aligned across a row of cards.
   */
  .card {
    display: grid;
    grid-row: span 3;
    grid-template-rows: subgrid;
    row-gap: 6px;
    align-content: start;
    min-width: 0;
    padding: 14px 16px;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
    user-select: none;
    outline: none;
    transition:
      border-color 0.15s,
      box-shadow 0.15s;
  }
  .card:hover {
    border-color: var(--_accent);
  }
  /* The tint is laid over the card's surface (never instead of it): text keeps its contrast. */
  .card[aria-checked='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 3px 0 var(--_accent);
    background: linear-gradient(var(--_accent-soft), var(--_accent-soft)), var(--_bg);
  }
  .card:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  /* Forced colours: after the rules above, so that its selection border and ring win. */
  @media (forced-colors: active) {
    .card[aria-checked='true'] {
      border: 3px solid Highlight;
    }
    .card:focus-visible {
      outline: 3px solid CanvasText;
    }
    .badge {
      forced-color-adjust: auto;
    }
  }
  .label {
    color: var(--_muted);
    font-size: 0.93em;
    overflow-wrap: anywhere;
  }
  .value {
    font-size: var(--ua-overview-value-size, 1.65em);
    font-weight: 600;
    line-height: 1.2;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .foot {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px 6px;
    font-size: 0.86em;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
    white-space: nowrap;
  }
  .badge.up {
    color: var(--_up);
  }
  .badge.down {
    color: var(--_down);
  }
  .arrow {
    font-size: 0.8em;
  }
  .comparison {
    color: var(--_muted);
  }
  /*
   * Old numbers while a reload is pending: dimmed to the muted text colour rather than by
   * opacity, so that the text keeps WCAG AA contrast.
   */
  .grid.stale {
    opacity: 1;
  }
  .grid.stale .value,
  .grid.stale .badge {
    color: var(--_muted);
  }
  .grid.stale .card {
    border-style: dashed;
  }
  .loading-bar {
    display: flex;
    justify-content: center;
    padding-bottom: 8px;
  }
  .loading-bar .state {
    padding: 0;
  }
  .skeleton .block {
    display: block;
    border-radius: 4px;
    background: var(--_skeleton);
  }
  .skeleton .block.label {
    width: 60%;
    height: 0.9em;
  }
  .skeleton .block.value {
    width: 45%;
    height: 1.4em;
  }
  .skeleton .block.foot {
    width: 75%;
    height: 0.8em;
  }
  .skeleton.card {
    cursor: default;
  }
  @media (prefers-reduced-motion: reduce) {
    .card {
      transition: none;
    }
  }
`;
