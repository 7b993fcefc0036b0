/**
 * Readable failure reasons. Everything the store shows in an error state is one of these
 * sentences (or an engine RangeError, which names the bad option).
 */

/** A failure whose message is a sentence a person can read. */
export class LoadError extends Error {
  override name = 'LoadError';
}

/** The page or the store gave up on the work (a newer request, a disconnect, dispose). */
export function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/** True for the rejection of aborted work, which is never shown as an error. */
export function isAbort(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'AbortError' &&
    !(e instanceof LoadError)
  );
}

/** Throws an AbortError when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** Reason phrases for the statuses a portal meets, for answers without one (HTTP/2 has none). */
const REASON_PHRASES: Record<number, string> = {
  204: 'No Content',
  205: 'Reset Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** '500 Internal Server Error', from a response's status and reason phrase. */
export function statusLine(status: number, statusText = ''): string {
  const phrase = statusText.trim() || REASON_PHRASES[status] || '';
  return phrase === '' ? String(status) : `${status} ${phrase}`;
}

/** 15000 → '15 s', 1500 → '1.5 s', 50 → '0.05 s'. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number(s.toFixed(s < 1 ? 2 : 1))} s`;
}

export const REASON_NETWORK = 'Could not reach the server';
export const REASON_NOT_JSON = 'The answer is not valid JSON';

export function reasonTimeout(ms: number): string {
  return `The request timed out after ${formatSeconds(ms)}`;
}

export function reasonStatus(status: number, statusText: string): string {
  return `The server answered ${statusLine(status, statusText)}`;
}

/**
 * An answer that is not 2xx with a body, as the report worker reports it: the status and its
 * text, without the sentence, whose reason phrases (REASON_PHRASES) stay out of the worker.
 * The page writes it with `statusError`.
 */
export class StatusFailure extends LoadError {
  constructor(
    readonly status: number,
    readonly statusText: string,
  ) {
    super(`The server answered ${status} ${statusText}`);
  }
}

/** Throws a StatusFailure unless `res` is 2xx and may carry a body (not 204 / 205). */
export function checkStatusOnly(res: Response): void {
  if (!res.ok || res.status === 204 || res.status === 205) {
    throw new StatusFailure(res.status, res.statusText);
  }
}

/** The readable failure for an answer of this status: not 2xx, or 204 / 205 (no body). */
export function statusError(status: number, statusText: string): LoadError {
  return new LoadError(
    status >= 200 && status < 300
      ? `The answer is empty (${statusLine(status, statusText)})`
      : reasonStatus(status, statusText),
  );
}

/** `e`, with the sentence written when it is a StatusFailure. */
export function withStatusSentence(e: unknown): unknown {
  return e instanceof StatusFailure ? statusError(e.status, e.statusText) : e;
}

/** The sentence to show for any failure. */
export function reasonOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * Awaits a network step (fetch, reading a body or a stream): a TypeError, which is how the
 * browser reports a network failure or a connection lost midway, becomes "Could not reach the
 * server"; any other error passes through.
 */
export async function overNetwork<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof TypeError) throw new LoadError(REASON_NETWORK);
    throw e;
  }
}
