/**
 * Where the report worker is loaded from. Bundlers that emit workers (Vite, webpack 5) need
 * nothing; for one that does not (esbuild), copy the files of `ua-kit/dist/assets/`
 * (report.worker.js and its lazy chunks) beside the bundle and call `setWorkerUrl` once, before the first element loads data.
 */
let workerUrl: string | URL | null = null;
let fallbackTold = false;

/** Loads the report worker from `url` (relative URLs resolve against the page); null: the default. */
export function setWorkerUrl(url: string | URL | null): void {
  workerUrl = url;
}

/** The URL given to `setWorkerUrl`, or null. */
export function configuredWorkerUrl(): string | URL | null {
  return workerUrl;
}

/** Says once per page, on the console, that the report is computed on the main thread, and why. */
export function warnWorkerFallback(reason: string): void {
  if (fallbackTold) return;
  fallbackTold = true;
  console.warn(
    `ua-kit: ${reason}; computing on the main thread. With esbuild, copy ` +
      `ua-kit/dist/assets/* beside it and call setWorkerUrl() (README, Frameworks).`,
  );
}
