import { expect } from '@open-wc/testing';
import '../../src/components/source/source.js';
import { guardAgainstStrayErrors } from './guard.js';
import { generateEvents, sleep } from './helpers.js';

/**
 * SPEC §8: an `events` array of millions is handed over in slices, so that no main-thread task
 * runs longer than 50 ms. Observed with the Long Tasks API from the moment the array is set
 * until `report-load`, for 1 M and 5 M events, once the page has settled.
 *
 * Margins, so that one run decides (no retries): a slice takes ~8 ms, so on a quiet machine no
 * task reaches 50 ms. On a shared, busy one the renderer is sometimes descheduled and a slice
 * stretches past 50 ms: such tasks are taken as the machine's while each stays under
 * STRETCH_LIMIT and all of them together under MAX_STRETCHED_SHARE of the load's wall time.
 * A regression is far outside that: without slicing, one task of the whole parse (≥ 300 ms for
 * 1 M events); with slices longer than 50 ms, most of the load's time is in long tasks.
 */
const STRETCH_LIMIT = 150;
const MAX_STRETCHED_SHARE = 0.1;

/** Long tasks (ms) seen by a PerformanceObserver from now until `stop()`. */
function watchLongTasks(): { tasks: number[]; stop(): void } {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  const stop = () => {
    // Entries of a task that just ended may not have been delivered yet: take them.
    for (const entry of observer.takeRecords()) tasks.push(Math.round(entry.duration));
    observer.disconnect();
  };
  return { tasks, stop };
}

/**
 * A settled page: 300 ms in a row without a long task (the garbage of building the array has
 * been collected), checked for up to 10 s.
 */
async function settledPage(): Promise<void> {
  const watch = watchLongTasks();
  try {
    const end = performance.now() + 10_000;
    let seen = -1;
    while (seen !== watch.tasks.length && performance.now() < end) {
      seen = watch.tasks.length;
      await sleep(300);
    }
  } finally {
    watch.stop();
  }
}

describe('main-thread responsiveness', function () {
  this.timeout(120_000);
  guardAgainstStrayErrors();

  for (const [label, count, users] of [
    ['1 M', 1_000_000, 20_000],
    ['5 M', 5_000_000, 50_000],
  ] as const) {
    it(`${label} events: every main-thread task stays under 50 ms until report-load`, async () => {
      const events = generateEvents(count, users, 21);
      const el = document.createElement('ua-source');
      el.setAttribute('end-date', '2026-03-10');
      el.setAttribute('time-zone', 'UTC');
      document.body.append(el);
      await el.updateComplete;
      await settledPage();
      const watch = watchLongTasks();
      try {
        const loaded = new Promise<Event>((resolve) =>
          el.addEventListener('report-load', resolve, { once: true }),
        );
        const started = performance.now();
        el.events = events;
        await loaded;
        const wall = performance.now() - started;
        await sleep(0); // the task that dispatched report-load has ended: its entry is queued
        watch.stop();
        expect(el.report!.diagnostics!.accepted + el.report!.diagnostics!.rejected).to.equal(count);
        expect(el.store.computeSite).to.equal('worker');
        // Every entry is a task of 50 ms or more (the Long Tasks API reports no shorter ones).
        const inLongTasks = watch.tasks.reduce((sum, ms) => sum + ms, 0);
        const summary =
          `long tasks (ms): ${watch.tasks.join(', ') || 'none'}; ${Math.round(inLongTasks)} of ` +
          `${Math.round(wall)} ms of the load`;
        console.log(`${label} events · ${summary}`);
        expect(Math.max(0, ...watch.tasks), summary).to.be.below(STRETCH_LIMIT);
        expect(inLongTasks / wall, summary).to.be.below(MAX_STRETCHED_SHARE);
      } finally {
        watch.stop();
        el.remove();
      }
    });
  }
});
