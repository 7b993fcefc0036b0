/**
 * The store's plumbing on its own: request deadlines (the timer, its reset while a body
 * streams in, the caller's abort), shared GET requests, the sentences of failed answers, the
 * slicer that cuts main-thread work into short tasks, and the progress throttle. Answers come
 * from msw. (Found by mutation testing: `npm run mutate -- store`.)
 */
import { expect } from '@open-wc/testing';
import { HttpResponse, http } from 'msw';
import { formatSeconds, overNetwork, reasonOf, statusError } from '../../src/store/errors.js';
import { deadline, getJson, inflightCount, withDeadline } from '../../src/store/http.js';
import { ProgressThrottle, Slicer, yieldToMain } from '../../src/store/slicing.js';
import type { Progress } from '../../src/store/types.js';
import { guardAgainstStrayErrors } from './guard.js';
import { rejection } from './rejection.js';
import { sleep, useMsw } from './helpers.js';

describe('store plumbing', () => {
  guardAgainstStrayErrors();

  describe('deadline', () => {
    it('sets no timer for a timeout that is zero, negative or not finite', async () => {
      const outer = new AbortController().signal;
      const ds = [0, -5, NaN, Infinity].map((t) => deadline(outer, t));
      await sleep(30);
      for (const d of ds) {
        expect(d.timedOut).to.equal(false);
        expect(d.signal.aborted).to.equal(false);
        d.clear();
      }
    });

    it('times out, and a reset starts the time again unless it already ran out', async () => {
      const outer = new AbortController().signal;
      const d = deadline(outer, 400);
      await sleep(250);
      d.reset(); // 250 ms in: 400 ms from now
      await sleep(250);
      expect(d.timedOut).to.equal(false); // 500 ms after the start
      await sleep(400);
      expect(d.timedOut).to.equal(true);
      expect(d.signal.aborted).to.equal(true);
      d.clear();

      const quick = deadline(outer, 20);
      await sleep(60);
      quick.reset(); // too late: it stays timed out
      expect(quick.timedOut).to.equal(true);
      quick.clear();
    });

    it("follows the caller's abort, before and after it is made, until cleared", () => {
      const before = new AbortController();
      before.abort();
      expect(deadline(before.signal, 0).signal.aborted).to.equal(true);

      const later = new AbortController();
      const d = deadline(later.signal, 0);
      later.abort();
      expect(d.signal.aborted).to.equal(true);

      const cleared = new AbortController();
      const c = deadline(cleared.signal, 0);
      c.clear();
      cleared.abort();
      expect(c.signal.aborted).to.equal(false); // forgotten
    });
  });

  describe('withDeadline', () => {
    it('does not start the work for a caller that already aborted', async () => {
      const outer = new AbortController();
      outer.abort();
      let started = false;
      const e = await rejection(
        withDeadline(outer.signal, 1000, async () => {
          started = true;
        }),
      );
      expect(e.name).to.equal('AbortError');
      expect(started).to.equal(false);
    });

    it("reports the caller's abort as an AbortError whatever the work failed with", async () => {
      const outer = new AbortController();
      const e = await rejection(
        withDeadline(outer.signal, 1000, async () => {
          outer.abort();
          throw new TypeError('stream closed');
        }),
      );
      expect(e.name).to.equal('AbortError');
    });

    it('says how long it waited when the time ran out', async () => {
      const e = await rejection(
        withDeadline(
          new AbortController().signal,
          50,
          (d) =>
            new Promise((_, reject) =>
              d.signal.addEventListener('abort', () => reject(new Error('aborted'))),
            ),
        ),
      );
      expect(e.message).to.equal('The request timed out after 0.05 s');
    });
  });

  describe('getJson', () => {
    const msw = useMsw();

    it('asks for JSON, and calls a blank answer empty', async () => {
      let accept: string | null = null;
      msw.use(
        http.get('/plumbing/blank', ({ request }) => {
          accept = request.headers.get('accept');
          return HttpResponse.text(' \n ');
        }),
      );
      const e = await rejection(getJson('/plumbing/blank', 5000, new AbortController().signal));
      expect(e.message).to.equal('The answer is empty');
      expect(accept).to.equal('application/json');
    });

    it('calls 204 and 205 empty, and makes no request for a caller that already aborted', async () => {
      let requests = 0;
      msw.use(
        http.get('/plumbing/205', () => new HttpResponse(null, { status: 205 })),
        http.get('/plumbing/204', () => new HttpResponse(null, { status: 204 })),
        http.get('/plumbing/counted', () => {
          requests++;
          return HttpResponse.json({ ok: true });
        }),
      );
      const live = () => new AbortController().signal;
      const e205 = await rejection(getJson('/plumbing/205', 5000, live()));
      expect(e205.message).to.equal('The answer is empty (205 Reset Content)');
      const e204 = await rejection(getJson('/plumbing/204', 5000, live()));
      expect(e204.message).to.equal('The answer is empty (204 No Content)');
      const aborted = new AbortController();
      aborted.abort();
      const e = await rejection(getJson('/plumbing/counted', 5000, aborted.signal));
      expect(e.name).to.equal('AbortError');
      expect(requests).to.equal(0);
      expect(inflightCount()).to.equal(0);
    });

    it('forgets a request that every caller left, so that the next caller gets an answer', async () => {
      let requests = 0;
      msw.use(
        http.get('/plumbing/slow', async () => {
          requests++;
          await sleep(100);
          return HttpResponse.json({ n: requests });
        }),
      );
      const first = new AbortController();
      const left = getJson('/plumbing/slow', 5000, first.signal);
      first.abort();
      expect((await rejection(left)).name).to.equal('AbortError');
      expect(inflightCount()).to.equal(0);
      const value = await getJson('/plumbing/slow', 5000, new AbortController().signal);
      expect(value).to.deep.equal({ n: 2 });
      expect(inflightCount()).to.equal(0);
    });
  });

  describe('sentences', () => {
    it('writes seconds with two decimals below one second and one above', () => {
      expect(formatSeconds(250)).to.equal('0.25 s');
      expect(formatSeconds(1000)).to.equal('1 s');
      expect(formatSeconds(1250)).to.equal('1.3 s');
      expect(formatSeconds(15_000)).to.equal('15 s');
    });

    it('calls an answer empty only for 2xx statuses', () => {
      expect(reasonOf(statusError(200, 'OK'))).to.equal('The answer is empty (200 OK)');
      expect(reasonOf(statusError(299, 'Odd'))).to.equal('The answer is empty (299 Odd)');
      expect(reasonOf(statusError(300, 'Choices'))).to.equal('The server answered 300 Choices');
      expect(reasonOf(statusError(199, 'Early'))).to.equal('The server answered 199 Early');
    });

    it('turns only a TypeError of a network step into "Could not reach the server"', async () => {
      const net = await rejection(overNetwork(() => Promise.reject(new TypeError('x'))));
      expect(net.message).to.equal('Could not reach the server');
      const other = await rejection(overNetwork(() => Promise.reject(new RangeError('y'))));
      expect(other).to.be.instanceOf(RangeError);
      expect(other.message).to.equal('y');
    });
  });

  describe('Slicer and ProgressThrottle', () => {
    it('is never due and never yields without a yield function, even aborted', async () => {
      const aborted = new AbortController();
      aborted.abort();
      const slicer = new Slicer(null, aborted.signal, 0);
      await sleep(5);
      expect(slicer.due).to.equal(false);
      await slicer.pause(); // resolves: nothing to yield, nothing checked
    });

    it('is due once its budget is used, and not again right after a restart or a pause', async () => {
      let yields = 0;
      const slicer = new Slicer(
        async () => {
          yields++;
        },
        new AbortController().signal,
        40,
      );
      expect(slicer.due).to.equal(false);
      await sleep(60);
      expect(slicer.due).to.equal(true);
      slicer.restart();
      expect(slicer.due).to.equal(false);
      await sleep(60);
      await slicer.pause();
      expect(yields).to.equal(1);
      expect(slicer.due).to.equal(false);
    });

    it('uses scheduler.yield where there is one', async () => {
      const had = Object.getOwnPropertyDescriptor(globalThis, 'scheduler');
      let calls = 0;
      Object.defineProperty(globalThis, 'scheduler', {
        configurable: true,
        value: {
          yield: () => {
            calls++;
            return Promise.resolve();
          },
        },
      });
      try {
        await yieldToMain();
      } finally {
        if (had) Object.defineProperty(globalThis, 'scheduler', had);
        else delete (globalThis as { scheduler?: unknown }).scheduler;
      }
      expect(calls).to.equal(1);
      await yieldToMain(); // and a task of its own otherwise (or the real scheduler)
    });

    it('passes progress on at most every interval per phase, always when forced', async () => {
      const seen: Progress[] = [];
      const throttle = new ProgressThrottle((p) => seen.push(p), 80);
      throttle.emit('load', 0, 10); // the first of its phase
      throttle.emit('load', 1, 10); // too soon
      throttle.emit('parse', 0, 5); // another phase
      throttle.emit('load', 2, 10, true); // forced
      await sleep(100);
      throttle.emit('load', 3, 10); // the interval has passed
      expect(seen).to.deep.equal([
        { phase: 'load', done: 0, total: 10 },
        { phase: 'parse', done: 0, total: 5 },
        { phase: 'load', done: 2, total: 10 },
        { phase: 'load', done: 3, total: 10 },
      ]);
    });
  });
});
