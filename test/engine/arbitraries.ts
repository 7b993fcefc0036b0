/**
 * fast-check arbitraries shared by the engine's property and fuzz tests: messy but valid
 * event sets clustered where the rules bite (window and bucket edges, 30-s gaps), options
 * across time zones, ranges and DST days, and a report comparison with a tolerance for the
 * averages.
 */
import fc from 'fast-check';
import type { Report, ReportOptions } from '../../src/engine/types.js';
import { refPlan } from './reference.js';
import { mulberry32 } from '../../demo/synthetic.js';

export const ZONES = [
  'UTC',
  'Asia/Shanghai',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe', // clock changes by 30 min
] as const;

/** Ends on, before and after the 2026 clock changes of the zones above, and plain days. */
export const ENDS = [
  '2026-03-07',
  '2026-03-08', // New York springs forward
  '2026-03-09',
  '2026-03-28',
  '2026-03-29', // Berlin springs forward
  '2026-03-30',
  '2026-04-05', // Lord Howe falls back 30 min
  '2026-04-12',
  '2026-10-04', // Lord Howe springs forward 30 min
  '2026-10-24',
  '2026-10-25', // Berlin falls back
  '2026-10-26',
  '2026-11-01', // New York falls back
  '2026-11-02',
  '2026-11-20',
  '2026-06-15',
  '2026-01-01',
  '2024-02-29',
] as const;

/** User ids: strings, numbers and their decimal strings, and prototype keys. */
export const USERS = ['alice', 'bob', 42, '42', 7, '7.5', 7.5, '__proto__', 'constructor'] as const;
/** App ids: absent in three ways, two strings, and a number with its string. */
export const APPS = [undefined, null, '', 'a', 'b', 7, '7'] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface Step {
  type: 'open' | 'page' | 'hide';
  delta: number;
  format: 'ms' | 'fraction' | 'iso-z' | 'iso-offset' | 'iso-space';
  app: (typeof APPS)[number] | 'same';
  dup: boolean;
}

export interface Session {
  user: (typeof USERS)[number];
  app: (typeof APPS)[number];
  anchor: 'previous.start' | 'period.start' | 'period.end' | 'bucket' | 'anywhere';
  index: number;
  offset: number;
  steps: Step[];
}

export interface Scenario {
  options: ReportOptions;
  sessions: Session[];
  firstSeen: { user: string; anchor: Session['anchor']; index: number; offset: number }[] | null;
  /** Pass `firstSeen` values that are not numbers (they must be ignored). */
  junkFirstSeen: boolean;
}

const deltaArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 29_999, 30_000, 30_001, 10_000, -1) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 * HOUR }) },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  type: fc.constantFrom('open', 'page', 'hide'),
  delta: deltaArb,
  format: fc.constantFrom('ms', 'ms', 'fraction', 'iso-z', 'iso-offset', 'iso-space'),
  app: fc.oneof({ weight: 6, arbitrary: fc.constant('same' as const) }, fc.constantFrom(...APPS)),
  dup: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, fc.constant(true)),
});

const anchorArb = fc.constantFrom(
  'previous.start',
  'period.start',
  'period.end',
  'bucket',
  'bucket',
  'anywhere',
) as fc.Arbitrary<Session['anchor']>;

const sessionArb: fc.Arbitrary<Session> = fc.record({
  user: fc.constantFrom(...USERS),
  app: fc.constantFrom(...APPS),
  anchor: anchorArb,
  index: fc.nat(),
  offset: fc.oneof(
    fc.constantFrom(0, -1, 1, -30_000, 30_000),
    fc.integer({ min: -2 * HOUR, max: 2 * HOUR }),
  ),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 8 }),
});

export const optionsArb: fc.Arbitrary<ReportOptions> = fc.record(
  {
    range: fc.constantFrom(1, 7, 30) as fc.Arbitrary<1 | 7 | 30>,
    end: fc.constantFrom(...ENDS),
    timeZone: fc.constantFrom(...ZONES),
    app: fc.constantFrom('a', 'b', '7', 'none-such'),
    mergeGapMs: fc.constantFrom(0, 1, 5_000, 29_999, 30_000, 30_001, HOUR),
  },
  { requiredKeys: ['range', 'end', 'timeZone'] },
);

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  options: optionsArb,
  sessions: fc.array(sessionArb, { maxLength: 12 }),
  firstSeen: fc.option(
    fc.array(
      fc.record({
        user: fc.constantFrom(...USERS.map(String)),
        anchor: anchorArb,
        index: fc.nat(),
        offset: fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
      }),
      { maxLength: 5 },
    ),
  ),
  junkFirstSeen: fc.boolean(),
});

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `t` as an ISO string at UTC offset `offsetMin`, e.g. '2026-03-10T18:00:00.000+08:00'. */
export function isoAt(t: number, offsetMin: number, separator = 'T'): string {
  const local = new Date(t + offsetMin * MINUTE).toISOString().slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local.replace('T', separator)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const OFFSETS = [480, -300, -240, 60, 345, 0, -570];

/** The instant an anchor names, for the windows of `options`. */
function anchorTime(options: ReportOptions, anchor: Session['anchor'], index: number): number {
  const plan = refPlan(options.range, options.end!, options.timeZone!);
  switch (anchor) {
    case 'previous.start':
      return plan.previous.start;
    case 'period.start':
      return plan.period.start;
    case 'period.end':
      return plan.period.end;
    case 'bucket': {
      const all = [...plan.previousBuckets, ...plan.buckets];
      return all[index % all.length];
    }
    default:
      return plan.previous.start + (index % (plan.period.end - plan.previous.start));
  }
}

/** Concrete rows and options of a scenario. */
export function materialize(s: Scenario): {
  rows: Record<string, unknown>[];
  options: ReportOptions;
} {
  const rows: Record<string, unknown>[] = [];
  let k = 0;
  for (const session of s.sessions) {
    let t = anchorTime(s.options, session.anchor, session.index) + session.offset;
    for (const step of session.steps) {
      t += step.delta;
      k++;
      let time: number | string;
      switch (step.format) {
        case 'ms':
          time = t;
          break;
        case 'fraction':
          time = t + 0.75; // floored to t
          break;
        case 'iso-z':
          time = new Date(t).toISOString();
          break;
        case 'iso-offset':
          time = isoAt(t, OFFSETS[k % OFFSETS.length]);
          break;
        default:
          time = isoAt(t, OFFSETS[(k + 3) % OFFSETS.length], ' ');
      }
      const row: Record<string, unknown> = { user: session.user, type: step.type, time };
      const app = step.app === 'same' ? session.app : step.app;
      if (app !== undefined || k % 2 === 0) row.app = app;
      if (k % 3 === 0) row.page = `/p/${k}`;
      rows.push(row);
      if (step.dup) rows.push({ ...row });
    }
  }
  const options: ReportOptions = { ...s.options };
  if (s.firstSeen !== null) {
    const entries: [string, unknown][] = s.firstSeen.map((f) => [
      f.user,
      anchorTime(s.options, f.anchor, f.index) + f.offset,
    ]);
    if (s.junkFirstSeen) entries.push(['bob', 'yesterday'], ['alice', NaN], ['7', null]);
    // Object.fromEntries makes '__proto__' an own key, as JSON.parse would.
    options.firstSeen = Object.fromEntries(entries) as Record<string, number>;
  }
  return { rows, options };
}

/** A small deterministic PRNG (mulberry32, the synthetic data's) for shuffles and insertions. */
export const prng = mulberry32;

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `extra` inserted at pseudo-random places among `rows`, keeping both orders. */
export function interleaved<T>(rows: readonly T[], extra: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < rows.length || j < extra.length) {
    const takeExtra = j < extra.length && (i >= rows.length || random() < 0.3);
    out.push(takeExtra ? extra[j++] : rows[i++]);
  }
  return out;
}

const AVERAGE = /^avg/;

/**
 * Differences between two reports, as 'path: actual ≠ expected' lines. Numbers must be equal
 * (NaN equals NaN), except averages, which may differ by a relative 1e-9; growth must not be
 * −0.
 */
export function reportDifferences(actual: unknown, expected: unknown, path = 'report'): string[] {
  const out: string[] = [];
  const walk = (a: unknown, e: unknown, p: string, key: string) => {
    if (typeof a === 'number' && typeof e === 'number') {
      if (Object.is(a, e) || a === e) {
        if (p.startsWith('report.growth') && Object.is(a, -0)) out.push(`${p}: −0`);
        return;
      }
      const tolerance = AVERAGE.test(key) ? 1e-9 * Math.max(Math.abs(a), Math.abs(e)) : 0;
      if (!(Math.abs(a - e) <= tolerance)) out.push(`${p}: ${a} ≠ ${e}`);
      return;
    }
    if (typeof a === 'object' && a !== null && typeof e === 'object' && e !== null) {
      if (Array.isArray(a) !== Array.isArray(e)) {
        out.push(`${p}: array and non-array`);
        return;
      }
      const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
      for (const k of keys) {
        walk(
          (a as Record<string, unknown>)[k],
          (e as Record<string, unknown>)[k],
          Array.isArray(a) ? `${p}[${k}]` : `${p}.${k}`,
          k,
        );
      }
      return;
    }
    if (a !== e) out.push(`${p}: ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`);
  };
  walk(actual, expected, path, '');
  return out;
}

/** A Report without its diagnostics. */
export function withoutDiagnostics(r: Report): Omit<Report, 'diagnostics'> {
  const copy = { ...r };
  delete copy.diagnostics;
  return copy;
}

/**
 * At most this many cases per property when the environment says so (`UA_MAX_RUNS`, set by
 * `npm run mutate`: every mutant runs the properties again, and their full counts would make
 * the run take hours on a shared machine). In the browser and in CI: no cap.
 */
function maxRuns(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return Number(env?.UA_MAX_RUNS) || Infinity;
}

/**
 * Asserts a property with a fixed seed and logs how many cases it tried, as
 * `<label> '<name>': N cases (seed S), T ms` plus `extra()`.
 */
export function runSeeded<Ts extends [unknown, ...unknown[]]>(
  label: string,
  seed: number,
  name: string,
  property: fc.IPropertyWithHooks<Ts>,
  numRuns: number,
  extra: () => string = () => '',
): void {
  let cases = 0;
  const started = performance.now();
  const counted = property.beforeEach((previous) => {
    previous();
    cases++;
  });
  fc.assert(counted, { seed, numRuns: Math.min(numRuns, maxRuns()) });
  console.log(
    `${label} '${name}': ${cases} cases (seed ${seed}), ${Math.round(performance.now() - started)} ms${extra()}`,
  );
}
