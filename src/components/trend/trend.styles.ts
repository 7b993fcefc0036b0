import { css } from 'lit';

export const trendStyles = css`
  :host {
    display: block;
    --_compare: var(--ua-trend-compare-color, var(--_muted));
    --_grid: var(--ua-trend-grid-color, var(--_border));
    --_height: var(--ua-trend-height, 280px);
  }
  .chart[hidden] {
    display: none;
  }
  .title {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px 10px;
    margin-bottom: 8px;
  }
  .title .metric {
    font-weight: 600;
  }
  .title .period {
    color: var(--_muted);
    font-size: 0.93em;
  }
  /* chart.js observes the canvas' parent: its own positioned box with a definite height. */
  .frame {
    position: relative;
    height: var(--_height);
    min-width: 0;
  }
  .frame canvas {
    display: block;
  }
  /* Old chart while a reload is pending: the drawing dimmed, the text kept at AA contrast. */
  .chart.stale {
    opacity: 1;
  }
  .chart.stale .frame {
    opacity: 0.55;
  }
  .chart.stale .title .metric {
    color: var(--_muted);
  }
  .skeleton {
    height: var(--_height);
    border-radius: var(--_radius);
    background: var(--_skeleton);
  }
  .loading-bar {
    display: flex;
    justify-content: center;
    padding-bottom: 8px;
  }
  .loading-bar .state {
    padding: 0;
  }
  /* Legend and tooltip: a line sample in the colour of each series (solid, dashed). */
  .swatch {
    display: inline-block;
    width: 24px;
    margin-right: 6px;
    vertical-align: middle;
    border-top: 2px solid var(--_accent);
  }
  .swatch.compare {
    border-top: 2px dashed var(--_compare);
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 4px 16px;
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    color: var(--_muted);
    font-size: 12px;
  }
  .tooltip {
    position: absolute;
    top: 4px;
    z-index: 1;
    transform: translateX(12px);
    padding: 6px 8px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
    box-shadow: 0 2px 8px rgba(0, 0, 0, 0.16);
    font-size: 12px;
    white-space: nowrap;
    pointer-events: none;
  }
  .tooltip.low {
    top: auto;
    bottom: 28px;
  }
  .frame:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
    border-radius: 4px;
  }
  .tooltip.flip {
    transform: translateX(calc(-100% - 12px));
  }
  .tooltip-title {
    margin-bottom: 2px;
    font-weight: 600;
  }
`;
