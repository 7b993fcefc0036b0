/**
 * ua-kit's elements in React 19's JSX: attributes, properties and `on<event>` handlers typed
 * (`onmetric-select` gets a MetricSelectEvent). Add once to a project, e.g. in a .d.ts file:
 *
 *   /// <reference types="ua-kit/react" />
 */
import type { CustomElements } from './jsx.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends CustomElements {}
  }
}

declare module 'react/jsx-runtime' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends CustomElements {}
  }
}
