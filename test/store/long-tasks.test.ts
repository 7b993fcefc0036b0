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
 * stretches past 50 ms: up to MAX_STRETCHED such tasks, each under STRETCH_LIMIT, are taken as
 * the machine's. What a regression looks like is far outside that: without slicing, one task
 * of the whole parse (≥ 300 ms for 1 M events); slices of more than 50 ms, dozens of long tasks.
 */
const LIMIT = 50;
const STRETCH_LIMIT = 100;
const MAX_STRETCHED = 2;

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
        el.events = events;
        await loaded;
        await sleep(0); // the task that dispatched report-load has ended: its entry is queued
        watch.stop();
        expect(el.report!.diagnostics!.accepted + el.report!.diagnostics!.rejected).to.equal(count);
        expect(el.store.computeSite).to.equal('worker');
        const summary = `long tasks (ms): ${watch.tasks.join(', ') || 'none'}`;
        console.log(`${label} events · ${summary}`);
        const stretched = watch.tasks.filter((ms) => ms >= LIMIT);
        expect(Math.max(0, ...stretched), summary).to.be.below(STRETCH_LIMIT);
        expect(stretched.length, summary).to.be.at.most(MAX_STRETCHED);
      } finally {
        watch.stop();
        el.remove();
      }
    });
  }
});
