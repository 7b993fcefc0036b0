import { css } from 'lit';

export const dashboardStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .layout {
    display: flex;
    flex-direction: column;
    gap: var(--ua-dashboard-gap, 16px);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 12px 20px;
  }
  .meta {
    margin-inline-start: auto;
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* One state line for every widget; the strip keeps its height, loading or not. */
  .status {
    display: flex;
    flex-direction: column;
    gap: 8px;
    margin-block: calc(-1 * var(--ua-dashboard-gap, 16px) / 2);
  }
  .strip {
    height: 4px;
  }
  .strip .progress {
    width: 100%;
    height: 4px;
    border-radius: 2px;
  }
  .status .state {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  section[hidden] {
    display: none;
  }
  section {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 12px 16px;
  }
  section.cards {
    background: none;
    border: 0;
    padding: 0;
  }
  h2 {
    font-size: 1em;
    font-weight: 600;
    margin: 0 0 8px;
  }
`;
