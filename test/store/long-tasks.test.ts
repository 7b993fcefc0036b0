import { expect } from '@open-wc/testing';
import '../../src/components/source/source.js';
import { guardAgainstStrayErrors } from './guard.js';
import { generateEvents, sleep } from './helpers.js';

/**
 * SPEC §8: an `events` array of millions is handed over in slices, so that no main-thread task
 * runs longer than 50 ms. Observed with the Long Tasks API from the moment the array is set
 * until `report-load`, for 1 M and 5 M events.
 */
describe('main-thread responsiveness', function () {
  this.timeout(120_000);
  // Wall-clock task lengths stretch when the machine is busy with other work: a real
  // regression fails every attempt.
  this.retries(2);
  guardAgainstStrayErrors();

  for (const [label, count, users] of [
    ['1 M', 1_000_000, 20_000],
    ['5 M', 5_000_000, 50_000],
  ] as const) {
    it(`${label} events: every main-thread task stays under 50 ms until report-load`, async () => {
      const events = generateEvents(count, users, 21);
      await sleep(1000); // let the garbage of building the array be collected first
      const el = document.createElement('ua-source');
      el.setAttribute('end-date', '2026-03-10');
      el.setAttribute('time-zone', 'UTC');
      document.body.append(el);
      await el.updateComplete;
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
      });
      observer.observe({ type: 'longtask' });
      try {
        const loaded = new Promise<Event>((resolve) =>
          el.addEventListener('report-load', resolve, { once: true }),
        );
        el.events = events;
        await loaded;
        await sleep(50); // entries are delivered after the task
        expect(el.report!.diagnostics!.accepted + el.report!.diagnostics!.rejected).to.equal(count);
        expect(el.store.computeSite).to.equal('worker');
        expect(longTasks, `long tasks (ms): ${longTasks.join(', ')}`).to.deep.equal([]);
      } finally {
        observer.disconnect();
        el.remove();
      }
    });
  }
});
