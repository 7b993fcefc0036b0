import { abortError } from './errors.js';
import type { Progress } from './types.js';

type YieldFn = () => Promise<void>;

interface Scheduler {
  yield?: YieldFn;
}

/**
 * Gives the event loop a turn (input, rendering, other tasks) before continuing:
 * `scheduler.yield()` where there is one, else a MessageChannel task (not clamped like a
 * nested setTimeout).
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Main-thread work is cut into tasks of about this many ms (docs/SPEC.md §8 allows 50; the rest is headroom for a GC pause). */
export const SLICE_BUDGET_MS = 8;

/**
 * Cuts synchronous work into tasks of about `budgetMs`: call `due` often (it is cheap) and
 * `pause()` when it is true. Without a yield function (in a worker) it never pauses.
 */
export class Slicer {
  private start = performance.now();

  constructor(
    private readonly yieldFn: YieldFn | null,
    private readonly signal: AbortSignal,
    private readonly budgetMs = SLICE_BUDGET_MS,
  ) {}

  /** True when the current task has used its budget. */
  get due(): boolean {
    return this.yieldFn !== null && performance.now() - this.start >= this.budgetMs;
  }

  /** Yields to the event loop; throws an AbortError if the work was aborted meanwhile. */
  async pause(): Promise<void> {
    if (this.yieldFn === null) return;
    await this.yieldFn();
    if (this.signal.aborted) throw abortError();
    this.start = performance.now();
  }

  /** A new task began by other means (an awaited network read). */
  restart(): void {
    this.start = performance.now();
  }
}

/** Passes progress on at most every `intervalMs` per phase, and always when forced. */
export class ProgressThrottle {
  readonly #last = new Map<Progress['phase'], number>();
  readonly #report: (p: Progress) => void;
  readonly #intervalMs: number;

  constructor(report: (p: Progress) => void, intervalMs = 100) {
    this.#report = report;
    this.#intervalMs = intervalMs;
  }

  emit(phase: Progress['phase'], done: number, total: number | null, force = false): void {
    const now = performance.now();
    const last = this.#last.get(phase);
    if (!force && last !== undefined && now - last < this.#intervalMs) return;
    this.#last.set(phase, now);
    this.#report({ phase, done, total });
  }
}
