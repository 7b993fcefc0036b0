import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/components/source/source.js';
import { guardAgainstStrayErrors } from './guard.js';
import { generateEvents, sleep } from './helpers.js';

/**
 * SPEC §8: an `events` array of millions is handed over in slices, so that no main-thread task
 * runs longer than 50 ms. For 1 M and 5 M events, from the moment the array is set until
 * `report-load`, once the page has settled.
 *
 * A task's length is judged by its CPU (thread) time, read from a Chromium trace of the page
 * (scripts/trace-cpu.mjs, as `npm run bench` reads it): that is the kit's own work, and it does
 * not stretch when a busy machine deschedules the renderer. Every task of 50 ms CPU or more
 * fails, with no margin and no retry. The wall time the Long Tasks API sees is printed beside it
 * and bounded loosely, so that a page that stalls for another reason still fails: STRETCH_LIMIT
 * on a machine with a core free for each runnable thread, stretched by the load per core beyond
 * that (a 10 ms task took 150–200 ms of wall time at a load of 9–12 on 2 cores).
 */
const CPU_LIMIT = 50;
const STRETCH_LIMIT = 150;

/** STRETCH_LIMIT at the machine's load now (the 1-minute load average per core). */
async function stretchLimit(): Promise<number> {
  const perCore = (await executeServerCommand<number, undefined>('ua-load-average')) ?? 0;
  return Math.round(STRETCH_LIMIT * Math.max(1, perCore));
}

/** What scripts/trace-cpu.mjs reads of a marked run: CPU ms, and the main thread's long tasks. */
interface TracedRun {
  main: number;
  worker: number;
  long: Array<{ start: number; wall: number; cpu: number }>;
}

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
        await executeServerCommand('ua-trace-start');
        performance.mark('ua-bench:load:start');
        el.events = events;
        await loaded;
        performance.mark('ua-bench:load:end');
        await sleep(0); // the task that dispatched report-load has ended: its entry is queued
        watch.stop();
        const runs = await executeServerCommand<Record<string, TracedRun>, undefined>(
          'ua-trace-stop',
        );
        expect(el.report!.diagnostics!.accepted + el.report!.diagnostics!.rejected).to.equal(count);
        expect(el.store.computeSite).to.equal('worker');
        const long = runs?.load?.long;
        expect(long, 'the trace holds the marked load').to.be.an('array');
        const tasks = long!.map((t) => `${Math.round(t.cpu)} ms CPU (${Math.round(t.wall)} wall)`);
        const stretch = await stretchLimit();
        const summary =
          `long tasks: ${tasks.join(', ') || 'none'}; main thread ${Math.round(runs!.load!.main)} ms ` +
          `CPU; Long Tasks API (wall): ${watch.tasks.join(', ') || 'none'} (bound ${stretch} ms)`;
        console.log(`${label} events · ${summary}`);
        expect(Math.max(0, ...long!.map((t) => t.cpu)), summary).to.be.below(CPU_LIMIT);
        expect(Math.max(0, ...watch.tasks), summary).to.be.below(stretch);
      } finally {
        watch.stop();
        el.remove();
      }
    });
  }
});
