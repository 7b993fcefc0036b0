/**
 * Endpoint fuzz (issue 7): `/report` and `/apps` answers that are random, truncated, of the
 * wrong types, negative, out of order, stringly typed, padded with extra fields, HTML, empty
 * or huge. Each one is served by msw to a real `<ua-source endpoint>` holding every widget,
 * and must end either in a readable error state with Retry, or — only when it is a valid
 * Report — in the numbers it holds. Never a broken render, an uncaught error, an unhandled
 * rejection or a console error. Seeded; every target logs how many cases it ran.
 *
 * The oracle for a Report is reportProblems (./report-oracle.ts, the contract's shape written
 * apart from src/engine/validate.ts, which it judges) plus what the widgets need to format it at
 * all: a time zone the browser knows and times a Date can hold (see checkRenderable in
 * src/store/endpoint.ts). A rejected Report's reason must name a field the oracle found bad.
 * Every fuzz test asserts how many of its seeded cases were accepted and how many rejected.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { computeReport } from '../../src/engine/compute.js';
import { METRIC_KEYS, type MetricKey, type Report } from '../../src/engine/types.js';
import { formatMetric } from '../../src/i18n/format.js';
import { strings } from '../../src/i18n/strings.js';
import { guardAgainstStrayErrors } from '../store/guard.js';
import { generateEvents, useMsw } from '../store/helpers.js';
import {
  answerInPage,
  inShadow,
  loadFrom,
  mountEndpoint,
  settle,
  strayErrors,
  type Widgets,
} from './harness.js';
import { reportProblems } from './report-oracle.js';
import { REASON_PHRASES } from '../fixtures/reason-phrases.js';

const SEED = 20260307;
const en = strings('en');

// ---------------------------------------------------------------------------------------------
// Answers and what each must lead to

/** What the server does for one request. */
type Answer =
  { kind: 'network' } | { kind: 'http'; status: number; body: string | null; contentType?: string };

const json = (value: unknown, status = 200): Answer => ({
  kind: 'http',
  status,
  body: JSON.stringify(value),
});
const text = (body: string | null, status = 200, contentType = 'application/json'): Answer => ({
  kind: 'http',
  status,
  body,
  contentType,
});

/** The outcome a widget must show: the parsed value, or an error whose reason matches. */
type Outcome = { ok: true; value: unknown } | { ok: false; reason: string | RegExp };

/** Reason phrases of the statuses the tests send (RFC 9110), written out independently. */
const PHRASES = REASON_PHRASES;
const statusText = (status: number) =>
  PHRASES[status] ? `${status} ${PHRASES[status]}` : `${status}`;

/** The body as the page reads it: UTF-8 on the wire (lone surrogates become U+FFFD), BOM dropped. */
function onTheWire(body: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(body));
}

/** Transport-level outcome; `then` decides for a JSON value that arrived. */
function outcomeOf(answer: Answer, then: (value: unknown) => Outcome): Outcome {
  if (answer.kind === 'network') return { ok: false, reason: 'Could not reach the server' };
  const { status, body } = answer;
  if (status < 200 || status > 299) {
    return { ok: false, reason: `The server answered ${statusText(status)}` };
  }
  if (status === 204 || status === 205) {
    return { ok: false, reason: `The answer is empty (${statusText(status)})` };
  }
  const received = onTheWire(body ?? '');
  if (received.trim() === '') return { ok: false, reason: 'The answer is empty' };
  let value: unknown;
  try {
    value = JSON.parse(received);
  } catch {
    return { ok: false, reason: 'The answer is not valid JSON' };
  }
  return then(value);
}

function knownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Times of a Report that a Date cannot hold (|t| > 8.64e15 ms). */
function outOfDateRange(r: Report): boolean {
  const times = [r.period.start, r.period.end, r.previous.start, r.previous.end];
  for (const p of [...r.series, ...(r.previousSeries ?? [])]) times.push(p.start);
  return times.some((t) => Math.abs(t) > 8.64e15);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function reportOutcome(answer: Answer): Outcome {
  return outcomeOf(answer, (value) => {
    const problems = reportProblems(value);
    if (problems.length > 0) {
      const named = problems.map(escapeRegExp).join('|');
      return { ok: false, reason: new RegExp(`^The report is malformed: .*(${named})`, 's') };
    }
    const r = value as Report;
    if (!knownZone(r.timeZone)) {
      return {
        ok: false,
        reason: /^The report is malformed: timeZone '.*' is not a time zone this browser knows$/s,
      };
    }
    if (outOfDateRange(r)) {
      return { ok: false, reason: /^The report is malformed: \S+ is not a date \(epoch ms/ };
    }
    return { ok: true, value };
  });
}

/** `{ apps: [{ id, name, kind? }] }` (SPEC §7): id a non-empty string, name a string. */
function appsOutcome(answer: Answer): Outcome {
  return outcomeOf(answer, (value) => {
    const bad = { ok: false as const, reason: /^The app list is malformed: .*apps/ };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
    const list = (value as { apps?: unknown }).apps;
    if (!Array.isArray(list)) return bad;
    for (const item of list as unknown[]) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad;
      const { id, name, kind } = item as Record<string, unknown>;
      if (typeof id !== 'string' || id === '' || typeof name !== 'string') return bad;
      if (kind !== undefined && kind !== null && typeof kind !== 'string') return bad;
    }
    return { ok: true, value: list };
  });
}

// ---------------------------------------------------------------------------------------------
// What the widgets must show

function allZero(m: Record<MetricKey, number>): boolean {
  return METRIC_KEYS.every((k) => !m[k]);
}

function expectErrorState(el: Element, reason: string): void {
  const box = inShadow(el, '[part~="error"]');
  expect(box, `${el.localName} shows an error state`).to.not.equal(null);
  expect(box!.querySelector('.reason')!.textContent).to.equal(reason);
  const retry = inShadow<HTMLButtonElement>(el, 'button[part~="retry"]')!;
  expect(retry.textContent!.trim()).to.equal(en.retry);
  expect(retry.getClientRects().length, 'Retry is visible').to.be.greaterThan(0);
}

/** The widgets that show the Report. */
const widgetsOf = (w: Widgets): Element[] =>
  [w.overview, w.trend, w.table].filter((el): el is NonNullable<typeof el> => el !== null);

function checkReport(w: Widgets, expected: Outcome): void {
  const state = w.source.store.report;
  if (!expected.ok) {
    expect(state.status, 'report state').to.equal('error');
    const reason = state.status === 'error' ? state.error : '';
    if (typeof expected.reason === 'string') expect(reason).to.equal(expected.reason);
    else expect(reason).to.match(expected.reason);
    for (const el of widgetsOf(w)) expectErrorState(el, reason);
    expect(inShadow(w.overview, '[role="radio"]'), 'no cards next to the error').to.equal(null);
    return;
  }
  expect(state.status, 'report state').to.equal('ready');
  const report = expected.value as Report;
  expect(state.status === 'ready' && state.value).to.deep.equal(report);
  for (const el of widgetsOf(w)) {
    expect(inShadow(el, '[part~="error"]'), `${el.localName}: no error`).to.equal(null);
  }
  const empty =
    allZero(report.totals) &&
    allZero(report.previousTotals) &&
    report.series.every(allZero) &&
    (report.previousSeries ?? []).every(allZero);
  if (empty) {
    expect(inShadow(w.overview, '[part~="empty"]')!.textContent!.trim()).to.equal(en.empty);
  } else {
    const cards = w.overview.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]');
    expect(cards).to.have.length(7);
    for (const card of cards) {
      const key = card.dataset.metric as MetricKey;
      expect(card.querySelector('.value')!.textContent).to.equal(
        formatMetric(key, report.totals[key], 'en'),
      );
    }
    if (w.trend) {
      expect(w.trend.chart, 'the trend has a chart').to.not.equal(null);
      expect(w.trend.chart!.data.labels).to.have.length(report.series.length);
      expect(w.trend.chart!.data.datasets[0].data).to.deep.equal(
        report.series.map((p) => p.activeUsers),
      );
    }
  }
  if (!report.series.every(allZero)) {
    const rows = w.table.shadowRoot!.querySelectorAll('tbody tr');
    expect(rows).to.have.length(report.series.length);
  }
}

function checkApps(w: Widgets, expected: Outcome): void {
  const state = w.source.store.apps;
  if (!expected.ok) {
    expect(state.status, 'apps state').to.equal('error');
    const reason = state.status === 'error' ? state.error : '';
    if (typeof expected.reason === 'string') expect(reason).to.equal(expected.reason);
    else expect(reason).to.match(expected.reason);
    const box = inShadow(w.appSelect, '[part~="error"]')!;
    expect(box.textContent).to.equal(`${en.appsErrorTitle}: ${reason}`);
    expect(inShadow(w.appSelect, 'button[part~="retry"]')).to.not.equal(null);
    return;
  }
  expect(state.status, 'apps state').to.equal('ready');
  const list = expected.value as Array<{ id: string; name: string; kind?: unknown }>;
  const options = [...w.appSelect.shadowRoot!.querySelectorAll('option')];
  expect(options).to.have.length(list.length + 1);
  expect(options[0].textContent!.trim()).to.equal(en.allApps);
  list.forEach((app, i) => {
    const kind =
      typeof app.kind === 'string' && Object.hasOwn(en.appKind, app.kind)
        ? en.appKind[app.kind as keyof typeof en.appKind]
        : null;
    // As typed, inside the whitespace of the element's template.
    const expected = kind ? en.appOption(app.name, kind) : app.name;
    const shown = options[i + 1].textContent!;
    expect(shown).to.contain(expected);
    expect(shown.trim()).to.equal(expected.trim());
    expect(options[i + 1].value).to.equal(app.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid answers

type Path = Array<string | number>;

/** Paths to every leaf (number, string, boolean, null) of a JSON value. */
function leafPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => leafPaths(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, [...path, k], out);
  } else out.push(path);
  return out;
}

/** Paths to every object (not array) of a JSON value, the root included. */
function objectPaths(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => objectPaths(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    out.push(path);
    for (const [k, v] of Object.entries(value)) objectPaths(v, [...path, k], out);
  }
  return out;
}

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** A copy of `value` with the thing at `path` replaced (or, for a new key, added). */
function setAt<T>(value: T, path: Path, replacement: unknown): T {
  const copy = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  Object.defineProperty(parent, path[path.length - 1], {
    value: replacement,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];

/** How many cases of a seeded fuzz test the oracle accepted and rejected. */
interface Counts {
  accepted: number;
  rejected: number;
}

function expectCounts(counts: { cases: number; accepted: number }, expected: Counts): void {
  expect({ accepted: counts.accepted, rejected: counts.cases - counts.accepted }).to.deep.equal(
    expected,
  );
}

/** The oracle's reason (a sentence or a pattern) fits the hand-written one. */
function expectReason(outcome: Outcome, reason: string): void {
  expect(outcome.ok).to.equal(false);
  const expected = !outcome.ok ? outcome.reason : '';
  if (typeof expected === 'string') expect(reason).to.equal(expected);
  else expect(reason).to.match(expected);
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A JSON value of another type than `original`. */
const otherType = fc
  .tuple(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ),
    fc.constantFrom('', 'x', 'null', '[]', '{}', 'true'),
  )
  .map(([v, fallback]) => ({ v, fallback }));

/** Huge, tiny, fractional and negative-zero numbers that are still valid metric values. */
const oddNumber = fc.oneof(
  fc.constantFrom(0, -0, 5e-324, 1e-9, 0.1 + 0.2, 2 ** 53 + 2, 1e21, 1e300, Number.MAX_VALUE),
  fc.double({ min: 0, max: 1e12, noNaN: true }),
  fc.nat(),
);

/** Names and labels from a hostile world: markup, RTL, emoji, control characters, long. */
const oddString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '<img src=x onerror=window.__pwned=1>',
    '<script>window.__pwned=1</script>',
    '"><svg onload=window.__pwned=1>',
    'javascript:window.__pwned=1',
    '\u202Eevil\u202C',
    '   ',
    'x'.repeat(2000),
  ),
);

// ---------------------------------------------------------------------------------------------

describe('hostile endpoint answers (fuzz)', () => {
  const msw = useMsw();
  guardAgainstStrayErrors();

  const VALID_APPS = {
    apps: [
      { id: 'mini', name: 'Mini', kind: 'mini-program' },
      { id: 'h5', name: 'H5 site', kind: 'h5' },
    ],
  };
  let bases: Report[] = [];
  /** Answers by case id; `/fz/<id>/report` and `/fz/<id>/apps` serve them. */
  const answers = new Map<string, { report: Answer; apps: Answer }>();
  let nextId = 0;

  before(() => {
    const events = generateEvents(3_000, 150, 11);
    const base7 = computeReport(events, { range: 7, end: '2026-03-10', timeZone: 'UTC' });
    const day = computeReport(events, {
      range: 1,
      end: '2026-03-08', // New York springs forward: 23 hourly buckets
      timeZone: 'America/New_York',
      app: 'mini',
    });
    delete day.diagnostics;
    delete day.previousSeries;
    const month = computeReport(events, {
      range: 30,
      end: '2026-03-10',
      timeZone: 'Asia/Shanghai',
      app: 'h5',
    });
    const quiet = computeReport([], { range: 7, end: '2026-03-10', timeZone: 'UTC' });
    bases = [base7, day, month, quiet];
    expect(day.series).to.have.length(23);
    expect(base7.totals.activeUsers).to.be.greaterThan(0);
  });

  const respond = (answer: Answer | undefined): Response => {
    if (!answer) return new HttpResponse(null, { status: 404 });
    if (answer.kind === 'network') return HttpResponse.error();
    const headers: Record<string, string> =
      answer.body === null ? {} : { 'Content-Type': answer.contentType ?? 'application/json' };
    return new HttpResponse(answer.body, { status: answer.status, headers });
  };
  /** `/fz/…` is answered in the page, `/sw/…` by msw's service worker: the same answers. */
  const handlersAt = (prefix: string) => [
    http.get(`/${prefix}/:id/report`, ({ params }) =>
      respond(answers.get(String(params.id))?.report),
    ),
    http.get(`/${prefix}/:id/apps`, ({ params }) => respond(answers.get(String(params.id))?.apps)),
  ];

  let inPage: { restore(): void };
  let stray: ReturnType<typeof strayErrors>;
  let w: Widgets;
  beforeEach(async () => {
    msw.use(...handlersAt('sw'));
    inPage = answerInPage(handlersAt('fz'));
    stray = strayErrors();
    answers.set('start', { report: json(bases[0]), apps: json(VALID_APPS) });
    w = mountEndpoint('/fz/start', { trend: false });
    await settle(w);
    expect(w.source.store.report.status).to.equal('ready');
  });
  afterEach(() => {
    w.container.remove();
    stray.stop();
    inPage.restore();
    answers.clear();
  });

  /** Mounts the widgets again, this time with the trend (and its chart.js chart). */
  async function withTrend(): Promise<void> {
    w.container.remove();
    w = mountEndpoint('/fz/start');
    await settle(w);
  }

  /**
   * One case: the widgets switch to a fresh endpoint that gives these answers (as a portal
   * switches sources), settle, and are checked against the oracle.
   */
  async function runCase(
    report: Answer,
    apps: Answer,
    via: 'page' | 'sw' = 'page',
  ): Promise<{ reportOk: boolean; appsOk: boolean }> {
    const id = `c${nextId++}`;
    answers.set(id, { report, apps });
    try {
      await loadFrom(w, `/${via === 'sw' ? 'sw' : 'fz'}/${id}`);
      const expectedReport = reportOutcome(report);
      const expectedApps = appsOutcome(apps);
      checkReport(w, expectedReport);
      checkApps(w, expectedApps);
      await new Promise((resolve) => setTimeout(resolve, 0)); // unhandled rejections surface
      expect(stray.take(), 'stray errors').to.deep.equal([]);
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
      return { reportOk: expectedReport.ok, appsOk: expectedApps.ok };
    } finally {
      answers.delete(id);
    }
  }

  const OPTIONS = { seed: SEED, endOnFailure: true, includeErrorInReport: true };

  /**
   * Runs a seeded property over /report answers, logs the counts and checks them: `expected`
   * says how many of the seed's cases the oracle accepts and rejects (a fuzz that rejects, or
   * accepts, everything by mistake shows here).
   */
  async function fuzzReports(
    name: string,
    arb: fc.Arbitrary<Answer>,
    numRuns: number,
    expected: Counts,
  ) {
    const counts = { cases: 0, accepted: 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(arb, async (answer) => {
        counts.cases++;
        const { reportOk } = await runCase(answer, json(VALID_APPS));
        if (reportOk) counts.accepted++;
      }),
      { ...OPTIONS, numRuns },
    );
    console.log(
      `fuzz /report · ${name}: ${counts.cases} cases (${counts.accepted} accepted, ${counts.cases - counts.accepted} errors) in ${Math.round(performance.now() - started)} ms`,
    );
    expectCounts(counts, expected);
  }

  async function fuzzApps(
    name: string,
    arb: fc.Arbitrary<Answer>,
    numRuns: number,
    expected: Counts,
  ) {
    const counts = { cases: 0, accepted: 0 };
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(arb, async (answer) => {
        counts.cases++;
        const { appsOk } = await runCase(json(bases[0]), answer);
        if (appsOk) counts.accepted++;
      }),
      { ...OPTIONS, numRuns },
    );
    console.log(
      `fuzz /apps · ${name}: ${counts.cases} cases (${counts.accepted} accepted, ${counts.cases - counts.accepted} errors) in ${Math.round(performance.now() - started)} ms`,
    );
    expectCounts(counts, expected);
  }

  const baseArb = () => fc.nat().map((n) => pick(bases, n));

  describe('/report', () => {
    it('random JSON and random text → an error, never a render', async () => {
      const arb = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => json(v)),
        fc.string({ unit: 'binary', maxLength: 40 }).map((s) => text(s)),
        // objects that look a bit like a Report
        fc
          .record(
            {
              app: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
              range: fc.constantFrom(1, 7, 30, 5, '7'),
              end: fc.constantFrom('2026-03-10', '2026-13-01', 20260310),
              timeZone: fc.constantFrom('UTC', '', 'Mars/Base'),
              granularity: fc.constantFrom('hour', 'day', 'week'),
              series: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          )
          .map((v) => json(v)),
      );
      await fuzzReports('random JSON / text', arb, 30, { accepted: 0, rejected: 30 });
    });

    it('truncated bodies → "not valid JSON" (or empty)', async () => {
      const arb = fc
        .tuple(baseArb(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
        .map(([r, f]) => {
          const body = JSON.stringify(r);
          return text(body.slice(0, Math.floor(body.length * f)));
        });
      await fuzzReports('truncated', arb, 20, { accepted: 0, rejected: 20 });
    });

    it('a field of the wrong type → "malformed" naming it', async () => {
      const arb = fc.tuple(baseArb(), fc.nat(), otherType).map(([r, n, { v, fallback }]) => {
        const path = pick(leafPaths(r), n);
        const replacement = typeOf(v) === typeOf(getAt(r, path)) ? fallback : v;
        return json(setAt(r, path, replacement));
      });
      await fuzzReports('wrong types', arb, 30, { accepted: 2, rejected: 28 });
    });

    it('negative counts and durations → "must not be negative"', async () => {
      const arb = fc
        .tuple(baseArb(), fc.nat(), fc.double({ min: 1e-9, max: 1e15, noNaN: true }))
        .map(([r, n, x]) => {
          const metricPaths = leafPaths(r).filter(
            (p) =>
              ['totals', 'previousTotals', 'series', 'previousSeries'].includes(String(p[0])) &&
              METRIC_KEYS.includes(p[p.length - 1] as MetricKey),
          );
          return json(setAt(r, pick(metricPaths, n), -x));
        });
      await fuzzReports('negative counts', arb, 20, { accepted: 0, rejected: 20 });
    });

    it('series of the wrong length or order → "malformed" (unless the contract allows it)', async () => {
      const ops = [
        'drop',
        'duplicate',
        'reverse',
        'swap',
        'append',
        'empty',
        'shift',
        'end',
      ] as const;
      const arb = fc
        .tuple(baseArb(), fc.constantFrom(...ops), fc.nat(), fc.nat(), fc.boolean())
        .map(([r, op, i, j, previous]) => {
          const copy = structuredClone(r);
          const key = previous && copy.previousSeries ? 'previousSeries' : 'series';
          const s = copy[key]!;
          const a = i % s.length;
          const b = j % s.length === a ? (a + 1) % s.length : j % s.length;
          if (op === 'drop') s.splice(a, 1);
          if (op === 'duplicate') s.splice(a, 0, { ...s[a] });
          if (op === 'reverse') s.reverse();
          if (op === 'swap') [s[a], s[b]] = [s[b], s[a]];
          if (op === 'append') s.push({ ...s[s.length - 1], start: s[s.length - 1].start + 1 });
          if (op === 'empty') s.length = 0;
          if (op === 'shift') s[a] = { ...s[a], start: s[a].start + (a === 0 ? 1 : -1) };
          // The last point at (or after) its window's end, which is exclusive.
          const window = key === 'series' ? copy.period : copy.previous;
          if (op === 'end') s[s.length - 1] = { ...s[s.length - 1], start: window.end + (a % 2) };
          return json(copy);
        });
      // The contract allows some of these: a point moved within its window but still in order,
      // or a day of 24 hours with one more or one less (23–25 are allowed).
      await fuzzReports('series length / order', arb, 25, { accepted: 8, rejected: 17 });
    });

    it('numbers as strings → "must be a number"', async () => {
      const arb = fc.tuple(baseArb(), fc.nat()).map(([r, n]) => {
        const numeric = leafPaths(r).filter((p) => typeof getAt(r, p) === 'number');
        const path = pick(numeric, n);
        return json(setAt(r, path, String(getAt(r, path))));
      });
      await fuzzReports('numbers as strings', arb, 20, { accepted: 0, rejected: 20 });
    });

    it('extra fields: accepted when the Report is otherwise valid', async () => {
      await withTrend();
      const arb = fc
        .tuple(
          baseArb(),
          fc.array(
            fc.tuple(fc.nat(), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
            {
              minLength: 1,
              maxLength: 4,
            },
          ),
        )
        .map(([r, extras]) => {
          let copy: unknown = r;
          for (const [n, key, value] of extras) {
            const at = pick(objectPaths(copy), n);
            const target = getAt(copy, at) as Record<string, unknown>;
            const name = Object.hasOwn(target, key) ? `x-${key}` : key;
            copy = setAt(copy, [...at, name], value);
          }
          return json(copy);
        });
      // Only a few extra keys hit a checked name (previousSeries, diagnostics, …).
      await fuzzReports('extra fields', arb, 25, { accepted: 25, rejected: 0 });
    });

    it('odd but valid values (huge, tiny, −0, hostile app names) are shown', async () => {
      await withTrend();
      const arb = fc
        .tuple(
          baseArb(),
          fc.array(fc.tuple(fc.nat(), oddNumber), { minLength: 1, maxLength: 12 }),
          fc.option(oddString, { nil: undefined }),
          fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 3 }),
        )
        .map(([r, numbers, app, growths]) => {
          let copy: Report = structuredClone(r);
          const metricPaths = leafPaths(copy).filter(
            (p) =>
              p[0] !== 'growth' &&
              ['totals', 'previousTotals', 'series', 'previousSeries'].includes(String(p[0])) &&
              p[p.length - 1] !== 'start',
          );
          for (const [n, x] of numbers) copy = setAt(copy, pick(metricPaths, n), x);
          growths.forEach((g, i) => {
            copy = setAt(copy, ['growth', METRIC_KEYS[i]], g);
          });
          if (app !== undefined) copy.app = app;
          return json(copy);
        });
      await fuzzReports('odd valid values', arb, 25, { accepted: 25, rejected: 0 });
    });

    it('time zones and times the browser cannot format → "malformed", not a crash', async () => {
      await withTrend();
      const zones = [
        'UTC',
        'Asia/Kathmandu',
        'Mars/Base',
        'utc',
        '+05:30',
        'Etc/GMT+14',
        '<img src=x onerror=window.__pwned=1>',
        ' UTC',
        'America/New_York\u0000',
      ];
      const arb = fc
        .tuple(
          baseArb(),
          fc.constantFrom(...zones),
          fc.constantFrom(0, 8.64e15, -8.64e15, 1e16, -1e17),
        )
        .map(([r, timeZone, shift]) => {
          const copy = structuredClone(r);
          copy.timeZone = timeZone;
          if (shift !== 0) {
            // Move every time so that the Report stays valid in shape.
            const offset = shift - copy.period.start;
            for (const w of [copy.period, copy.previous]) {
              w.start += offset;
              w.end += offset;
            }
            for (const p of [...copy.series, ...(copy.previousSeries ?? [])]) p.start += offset;
          }
          return json(copy);
        });
      await fuzzReports('time zones / times', arb, 20, { accepted: 2, rejected: 18 });
    });

    it('statuses: only a 2xx with a body is read', async () => {
      const statuses = [
        200, 201, 203, 204, 205, 206, 400, 401, 403, 404, 409, 410, 429, 500, 502, 503, 504, 599,
      ];
      const arb = fc
        .tuple(
          fc.oneof(fc.constantFrom(200, 201, 203, 206), fc.constantFrom(...statuses)),
          baseArb(),
          fc.constantFrom('report', 'report', 'html', 'json-error', 'none'),
        )
        .map(([status, r, kind]): Answer => {
          if (status === 204 || status === 205 || kind === 'none') {
            return { kind: 'http', status, body: status === 204 || status === 205 ? null : '' };
          }
          if (kind === 'report') return json(r, status);
          if (kind === 'json-error') return json({ error: 'quota exceeded' }, status);
          return text('<!doctype html><h1>Oops</h1>', status, 'text/html');
        });
      await fuzzReports('statuses', arb, 20, { accepted: 3, rejected: 17 });
    });

    it('an HTML error page with status 200, an empty 204, empty and blank 200s, a network failure', async () => {
      const fixed: Array<[Answer, string]> = [
        [
          text(
            '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><script>window.__pwned=1</script></body></html>',
            200,
            'text/html',
          ),
          'The answer is not valid JSON',
        ],
        [{ kind: 'http', status: 204, body: null }, 'The answer is empty (204 No Content)'],
        [text(''), 'The answer is empty'],
        [text(' \n\t '), 'The answer is empty'],
        [text('null'), 'The report is malformed: the report must be a JSON object'],
        [text('\uFEFF{"app": 1}'), 'The report is malformed: app must be a string or null'],
        [{ kind: 'network' }, 'Could not reach the server'],
      ];
      for (const [answer, reason] of fixed) {
        // The oracle agrees with the hand-written reason, and the widgets with both, served
        // by msw's service worker (a real HTTP response in the page).
        expectReason(reportOutcome(answer), reason);
        await runCase(answer, json(VALID_APPS), 'sw');
      }
      console.log(`fuzz /report · fixed answers: ${fixed.length} cases (0 accepted)`);
    });

    it('a ~50 MB body (one long JSON string) → a readable error, within time and memory', async function () {
      this.timeout(30_000);
      // Streamed from one 1 MiB chunk: the test itself holds 1 MiB, the store the rest.
      const MiB = 1024 * 1024;
      const chunk = new TextEncoder().encode('x'.repeat(MiB));
      const quote = new TextEncoder().encode('"');
      const body = () => {
        let sent = -1;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent === -1 || sent === 50) controller.enqueue(quote);
            else controller.enqueue(chunk.slice());
            if (sent++ === 50) controller.close();
          },
        });
      };
      const big = answerInPage([
        http.get(
          '/big/report',
          () => new HttpResponse(body(), { headers: { 'Content-Type': 'application/json' } }),
        ),
        http.get('/big/apps', () => HttpResponse.json(VALID_APPS)),
      ]);
      const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
      const heapBefore = memory?.usedJSHeapSize ?? 0;
      const started = performance.now();
      try {
        await loadFrom(w, '/big', 25_000);
      } finally {
        big.restore();
      }
      const elapsed = performance.now() - started;
      checkReport(w, {
        ok: false,
        reason: 'The report is malformed: the report must be a JSON object',
      });
      expect(stray.take()).to.deep.equal([]);
      const mb = (bytes: number) => Math.round(bytes / MiB);
      console.log(
        `fuzz /report · 50 MiB body: 1 case, error after ${Math.round(elapsed)} ms` +
          (memory ? `, JS heap ${mb(heapBefore)} → ${mb(memory.usedJSHeapSize)} MiB` : ''),
      );
      expect(elapsed).to.be.below(15_000);
    });
  });

  describe('/apps', () => {
    it('random JSON and text → an app-list error with Retry; the report still shows', async () => {
      const arb = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => json(v)),
        fc.string({ unit: 'binary', maxLength: 30 }).map((s) => text(s)),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }).map((apps) => json({ apps })),
      );
      await fuzzApps('random JSON / text', arb, 30, { accepted: 1, rejected: 29 });
    });

    it('truncated, wrong types and missing fields → "The app list is malformed"', async () => {
      const valid = {
        apps: [
          { id: 'a', name: 'Alpha', kind: 'h5' },
          { id: 'b', name: 'Beta', kind: 'mini-game' },
        ],
      };
      const arb = fc.oneof(
        fc
          .double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
          .map((f) =>
            text(JSON.stringify(valid).slice(0, Math.floor(JSON.stringify(valid).length * f))),
          ),
        fc.tuple(fc.nat(), otherType).map(([n, { v, fallback }]) => {
          const path = pick(leafPaths(valid), n);
          const replacement = typeOf(v) === typeOf(getAt(valid, path)) ? fallback : v;
          return json(setAt(valid, path, replacement));
        }),
        fc.tuple(fc.nat(), fc.constantFrom('id', 'name')).map(([n, key]) => {
          const copy = structuredClone(valid);
          delete (copy.apps[n % 2] as Partial<(typeof copy.apps)[0]>)[key];
          return json(copy);
        }),
      );
      await fuzzApps('truncated / wrong types / missing', arb, 30, { accepted: 1, rejected: 29 });
    });

    it('valid lists with odd names, unknown kinds and extra fields are shown as text', async () => {
      const app = fc.record(
        {
          id: oddString.filter((s) => s !== ''),
          name: oddString,
          kind: fc.oneof(
            fc.constantFrom('mini-program', 'h5', 'mini-game', 'tv', '__proto__', 'toString', ''),
            fc.constant(null),
            oddString,
          ),
          extra: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: ['id', 'name'] },
      );
      const arb = fc
        .tuple(fc.array(app, { maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }))
        .map(([apps, meta]) => json({ apps, meta }));
      await fuzzApps('odd valid lists', arb, 25, { accepted: 25, rejected: 0 });
    });

    it('an HTML page with status 200 and an empty 204', async () => {
      const html200 = text('<html><body>Sign in</body></html>', 200, 'text/html');
      const empty204: Answer = { kind: 'http', status: 204, body: null };
      expect(appsOutcome(html200)).to.deep.equal({
        ok: false,
        reason: 'The answer is not valid JSON',
      });
      expect(appsOutcome(empty204)).to.deep.equal({
        ok: false,
        reason: 'The answer is empty (204 No Content)',
      });
      for (const answer of [html200, empty204]) await runCase(json(bases[0]), answer, 'sw');
      console.log('fuzz /apps · fixed answers: 2 cases (0 accepted)');
    });
  });

  it('Retry in the error state loads again and shows the Report', async () => {
    await withTrend();
    const id = `c${nextId++}`;
    answers.set(id, {
      report: text('<html>Maintenance</html>', 200, 'text/html'),
      apps: json(VALID_APPS),
    });
    await loadFrom(w, `/fz/${id}`);
    checkReport(w, { ok: false, reason: 'The answer is not valid JSON' });
    const loaded = new Promise((resolve) =>
      w.source.addEventListener('report-load', resolve, { once: true }),
    );
    answers.set(id, { report: json(bases[1]), apps: json(VALID_APPS) });
    inShadow<HTMLButtonElement>(w.overview, 'button[part~="retry"]')!.click();
    await loaded;
    await settle(w);
    checkReport(w, { ok: true, value: JSON.parse(JSON.stringify(bases[1])) });
  });
});
