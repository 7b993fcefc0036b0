/**
 * Backend failures the HTTP layer answers with a status of their own: a ClickHouse that cannot
 * be reached is `503`, one that does not answer in time is `504`. Each carries `status` and a
 * message that is safe to show (no stack, no credentials).
 */

/** ClickHouse cannot be reached (connection refused or reset, unknown host, overloaded). */
export class BackendUnavailableError extends Error {
  readonly status = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendUnavailableError';
  }
}

/** ClickHouse did not answer within the time allowed. */
export class BackendTimeoutError extends Error {
  readonly status = 504;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendTimeoutError';
  }
}
