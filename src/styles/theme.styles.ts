import { css } from 'lit';

/** The colour defaults an element uses: see themeStyles. */
export type Theme = 'light' | 'dark' | 'auto';

/**
 * Defaults of the theme custom properties every element reads. A page overrides any of them
 * on the element or an ancestor; `prefers-color-scheme: dark` switches the defaults.
 */
/** The light defaults (also what `theme="light"`, the default, uses). */
const lightDefaults = css`
  --_fg: var(--ua-color-text, #1f2329);
  --_muted: var(--ua-color-muted, #5c6470);
  --_bg: var(--ua-color-surface, #ffffff);
  --_border: var(--ua-color-border, #dde1e6);
  --_accent: var(--ua-color-accent, #1f6feb);
  --_accent-soft: var(--ua-color-accent-soft, rgba(31, 111, 235, 0.1));
  --_up: var(--ua-up-color, #137333);
  --_down: var(--ua-down-color, #c5221f);
  --_skeleton: var(--ua-color-skeleton, #eef0f3);
`;

/**
 * The dark defaults. The element then paints its own surface behind its text, so that it
 * stays readable whatever the page behind it is (a light page in a dark system, say).
 */
const darkDefaults = css`
  --_fg: var(--ua-color-text, #e6e8eb);
  --_muted: var(--ua-color-muted, #a4abb6);
  --_bg: var(--ua-color-surface, #1c1f24);
  --_border: var(--ua-color-border, #343a42);
  --_accent: var(--ua-color-accent, #58a6ff);
  --_accent-soft: var(--ua-color-accent-soft, rgba(88, 166, 255, 0.16));
  --_up: var(--ua-up-color, #3fb950);
  --_down: var(--ua-down-color, #f85149);
  --_skeleton: var(--ua-color-skeleton, #2a2f36);
  background-color: var(--_bg);
`;

/**
 * Defaults of the theme custom properties every element reads. A page overrides any of them
 * on the element or an ancestor. The `theme` attribute picks the defaults: `light` (the
 * default: a light page stays readable whatever the system's scheme), `dark`, or `auto`
 * (dark when `prefers-color-scheme: dark`).
 */
export const themeStyles = css`
  :host {
    ${lightDefaults}
    --_radius: var(--ua-radius, 8px);
    --_font: var(--ua-font-family, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', sans-serif);
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--ua-font-size, 14px);
  }
  :host([theme='dark']) {
    ${darkDefaults}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkDefaults}
    }
  }
  /* Forced colours: system colours, which the chart reads too (its line is Highlight). */
  @media (forced-colors: active) {
    :host {
      --_fg: CanvasText;
      --_muted: CanvasText;
      --_bg: Canvas;
      --_border: GrayText;
      --_accent: Highlight;
      --_accent-soft: transparent;
      --_skeleton: GrayText;
    }
  }
  :host([hidden]) {
    display: none !important;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/** Loading, empty and error states, shared by every widget. */
export const stateStyles = css`
  .state {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 8px;
    padding: 24px 16px;
    color: var(--_muted);
    text-align: center;
  }
  .state[part~='error'] {
    color: var(--_down);
  }
  .progress {
    width: min(240px, 80%);
    height: 6px;
    border-radius: 3px;
    background: var(--_skeleton);
    overflow: hidden;
  }
  .progress > div {
    height: 100%;
    background: var(--_accent);
    transition: width 0.2s;
  }
  .progress.indeterminate > div {
    width: 30%;
    animation: ua-slide 1.2s ease-in-out infinite;
  }
  @keyframes ua-slide {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(330%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .progress.indeterminate > div {
      animation: none;
      width: 100%;
      opacity: 0.5;
    }
  }
  button.retry {
    font: inherit;
    color: var(--_bg);
    background: var(--_accent);
    border: 0;
    border-radius: 6px;
    padding: 6px 14px;
    cursor: pointer;
  }
  button.retry:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  /* Old numbers while a reload is pending: muted, not faded, so text keeps its contrast. */
  .stale {
    color: var(--_muted);
  }
`;
