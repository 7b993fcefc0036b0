#!/usr/bin/env node
/**
 * `npm run bench`: the engine's speed and memory beside a simple baseline, then the browser
 * bench (bench/browser.mjs; skip it with --engine-only).
 *
 * The TypeScript (src/engine, demo/synthetic.ts and the baseline) is bundled on the fly with
 * esbuild's JS API into one ES module in a temporary folder. The baseline is the reference
 * implementation test/engine/reference.ts (deliberately simple: comparator sorts of objects,
 * a Map of streams, Sets per window, a scan over all events per bucket); without it the bench
 * times the engine alone.
 *
 * Data: demo/synthetic.ts, 20 000 users over 70 days (the range-30 report spans the last 60),
 * 1 M and 5 M events as arrays of UaEvent objects with epoch-ms times, in the interleaved
 * order a collection pipeline delivers. Report: range 30, Asia/Shanghai.
 *
 * Time: consecutive calls in a steady state, medians (and means, which include the GCs that
 * V8 runs on its own inside the calls). The engine and the baseline are timed apart, so that
 * neither times the other's garbage. A call right after a forced full GC is also shown: such a
 * GC discards V8's optimized code for the engine's hot functions (the objects that code
 * embeds died with the previous call), so that call runs partly unoptimized; no caller forces
 * GCs, but one that calls once in a while after a GC sees that figure.
 *
 * Machine: DRAM latency (a random pointer chase over 64 MB) and a CPU-bound loop, so that
 * figures from different runs or machines can be compared. This VM's memory latency varies
 * between processes and over time (seen: 160–220 ns), and the engine, bound by cache misses
 * on a million objects, follows it.
 *
 * Flags: --engine-only (no browser bench), --quick (1 M events only, fewer runs; the browser
 * bench's --quick too), --dist (the browser bench measures ./dist as `npm run build` left it),
 * --server (only the bench of `ua-kit serve`'s DuckDB engine, bench/server.mjs; with --10m
 * also at 10 M events),
 * --clickhouse (only the ClickHouse section: chDB beside computeReport, bench/clickhouse.mjs),
 * --arrow-codecs (only compressed Arrow, LZ4 frame and zstd, read in Node: bench/arrow-codecs.mjs;
 * --sizes=1m,10m the sizes, default 1m).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { importTs } from './import-ts.mjs';

const args = process.argv.slice(2);

// Memory figures need gc(): run again under --expose-gc (and room for 5 M event objects).
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}
const gc = globalThis.gc;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = args.includes('--quick');

// --clickhouse: the ClickHouse section alone (bench/clickhouse.mjs), chDB beside computeReport.
if (args.includes('--clickhouse')) {
  const { runClickHouseBench } = await import('./clickhouse.mjs');
  const met = await runClickHouseBench({ root, quick });
  process.exit(met === false ? 1 : 0);
}

// --arrow-codecs: compressed Arrow IPC read in Node beside the uncompressed file (bench/arrow-codecs.mjs).
if (args.includes('--arrow-codecs')) {
  const { runArrowCodecsBench } = await import('./arrow-codecs.mjs');
  const given = args.find((a) => a.startsWith('--sizes='));
  const sizes = given
    ? given
        .slice('--sizes='.length)
        .split(',')
        .map((size) => Number.parseFloat(size) * 1e6)
    : undefined;
  const met = await runArrowCodecsBench({ root, quick, sizes });
  process.exit(met === false ? 1 : 0);
}

const USERS = 20_000;
const DAYS = 70;
const END = '2026-03-31';
const TIME_ZONE = 'Asia/Shanghai';
const OPTIONS = { range: 30, end: END, timeZone: TIME_ZONE };
const SIZES = quick
  ? [{ events: 1_000_000, label: '1 M', timed: 7, runs: 2, warmup: 2, baselineRuns: 1 }]
  : [
      { events: 1_000_000, label: '1 M', timed: 15, runs: 3, warmup: 3, baselineRuns: 3 },
      // The JIT is warm from the 1 M runs; one more engine run settles the bigger heap.
      { events: 5_000_000, label: '5 M', timed: 5, runs: 2, warmup: 1, baselineRuns: 3 },
    ];
const TARGET_RATE = 10e6; // events/s at 1 M
const TARGET_RATIO = 10; // engine ÷ baseline speed
const TARGET_BYTES = 40; // extra heap per event

/** The same events as JSON.parse would produce them, in slices of 250 k. */
function asLoadedFromJson(events) {
  const out = [];
  for (let i = 0; i < events.length; i += 250_000) {
    for (const e of JSON.parse(JSON.stringify(events.slice(i, i + 250_000)))) out.push(e);
  }
  return out;
}

/** Bundles the engine, the generator and the baseline into one module and imports it. */
async function loadModules() {
  const reference = 'test/engine/reference.ts';
  const hasReference = existsSync(join(root, reference));
  const contents = [
    `export * as engine from './src/engine/index.ts';`,
    `export * as synthetic from './demo/synthetic.ts';`,
    hasReference ? `export * as baseline from './${reference}';` : 'export const baseline = null;',
  ];
  const mod = await importTs(root, contents);
  const fn = mod.baseline?.referenceReport ?? mod.baseline?.computeReferenceReport ?? null;
  return {
    engine: mod.engine,
    synthetic: mod.synthetic,
    baseline: typeof fn === 'function' ? { name: reference, run: fn } : null,
    baselineNote: hasReference
      ? typeof fn === 'function'
        ? null
        : `${reference} exports no referenceReport`
      : `${reference} not found`,
  };
}

/*
 * Memory method. Bytes in use = V8's heapUsed + arrayBuffers (the typed arrays' contents live
 * outside the JS heap; Node's `external` includes `arrayBuffers` but is updated one GC late, so
 * it is not used). Before each measured call: two full GCs (the second frees the buffers the
 * first one found dead), then the baseline sample. Right after the call returns, a second
 * sample, with no GC in between: the typed arrays the call allocated (columns, sort order,
 * accumulators) are unreachable by then but not yet freed, so the difference is the call's
 * transient peak, minus only whatever a GC inside the call already reclaimed (young garbage
 * that was dead before the peak). The engine is also measured split in two: parseEvents,
 * whose columns are then kept and measured after a GC (what stays), and computeFromColumns on
 * them (what compute adds on top). The baseline's figure is a lower bound: its garbage is
 * collected while it runs. "peak RSS" is the growth of the process's resident-set high-water
 * mark (/proc/self/status VmHWM, reset through /proc/self/clear_refs) over the call: an
 * OS-level cross-check that includes V8's young generation (tens of MB whatever the input).
 */
function inUse() {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function settle() {
  gc();
  gc();
}

/**
 * Bytes in use after a new task and two full GCs. The task first: the engine keeps scratch
 * arrays through WeakRefs, which a GC may clear only once the task that used them has ended.
 */
async function settledInUse() {
  await new Promise((done) => setTimeout(done, 0));
  settle();
  return inUse();
}

function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function residentKb(field) {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(field + ':'));
    return line === undefined ? NaN : parseInt(line.slice(field.length + 1), 10);
  } catch {
    return NaN;
  }
}

/**
 * Runs `fn` once with a settled heap: wall time, CPU time of the process (user + system; it
 * includes V8's GC helper threads, and is steadier than wall time on a shared machine), bytes
 * added at return, and peak RSS growth.
 */
async function measured(fn) {
  const before = await settledInUse(); // so the call allocates its scratch arrays afresh
  const rssReset = resetPeakRss();
  const rss0 = residentKb('VmRSS');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bytes = inUse() - before;
  const peakRss = rssReset ? (residentKb('VmHWM') - rss0) * 1024 : NaN;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes, peakRss, value };
}

/** V8's GC pauses as they happen ({ start, ms }), to attribute them to the timed calls. */
const gcPauses = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });

/**
 * `count` consecutive calls of `fn`, without forcing any GC: wall and CPU time, and of each
 * call the GC pauses inside it and the page faults (this VM takes ~15 µs a fault on fresh
 * memory, so big new buffers cost time of their own).
 */
async function timedRuns(fn, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const cpu0 = process.cpuUsage();
    const faults0 = process.resourceUsage().minorPageFault;
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const faults = process.resourceUsage().minorPageFault - faults0;
    out.push({ ms: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, faults, t0, t1 });
  }
  await new Promise((done) => setTimeout(done, 0)); // the observer's entries arrive async
  for (const r of out) {
    r.gcMs = gcPauses
      .filter((g) => g.start >= r.t0 && g.start < r.t1)
      .reduce((sum, g) => sum + g.ms, 0);
  }
  return out;
}

/**
 * This machine now: DRAM latency (one random cycle through 32 MB, followed for 2 M steps) and
 * the time of a CPU-bound loop. Printed so that runs can be compared.
 */
function probeMachine() {
  const size = 1 << 23;
  const next = new Int32Array(size);
  for (let i = 0; i < size; i++) next[i] = i;
  let seed = 12345;
  for (let i = size - 1; i > 0; i--) {
    // Sattolo's shuffle: one cycle through every slot.
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % i;
    const swap = next[i];
    next[i] = next[j];
    next[j] = swap;
  }
  let p = 0;
  const steps = 2_000_000;
  let t0 = performance.now();
  for (let i = 0; i < steps; i++) p = next[p];
  const latencyNs = ((performance.now() - t0) / steps) * 1e6;
  let x = p;
  t0 = performance.now();
  for (let i = 0; i < 5_000_000; i++) x = (x * 1103515245 + 12345) % 2147483647;
  const spinMs = performance.now() - t0;
  return { latencyNs, spinMs, sink: x };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms) => (ms >= 100 ? fmtInt(ms) : ms.toFixed(1)) + ' ms';
const fmtRate = (r) => (r / 1e6).toFixed(2) + ' M events/s';
const fmtBytes = (b) => b.toFixed(1) + ' B/event';
const verdict = (ok) => (ok ? 'met' : 'MISSED');

/** Up to `max` paths where two reports differ. */
function differences(a, b, path = 'report', out = [], max = 5) {
  if (out.length >= max) return out;
  if (isDeepStrictEqual(a, b)) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${path}: engine ${JSON.stringify(a)}, baseline ${JSON.stringify(b)}`);
    return out;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    differences(a[key], b[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`, out, max);
  }
  return out;
}

function line(label, value, extra = '') {
  console.log(`  ${label.padEnd(34)} ${value.padStart(26)}  ${extra}`.trimEnd());
}

async function main() {
  if (args.includes('--server')) {
    const { runServerBench } = await import('./server.mjs');
    await runServerBench({ root, tenMillion: args.includes('--10m') });
    return;
  }
  const t0 = performance.now();
  const { engine, synthetic, baseline, baselineNote } = await loadModules();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  console.log(
    `ua-kit engine bench — Node ${process.version}, ${cpus().length} × ${cpu}, load average ${load()}`,
  );
  console.log(
    `data: demo/synthetic.ts, ${fmtInt(USERS)} users, ${DAYS} days to ${END}; ` +
      `report: range ${OPTIONS.range}, end ${END}, ${TIME_ZONE}`,
  );
  console.log(
    `baseline: ${baseline ? `${baseline.name} (deliberately simple reference)` : `none (${baselineNote})`}`,
  );
  const machine = probeMachine();
  console.log(
    `machine now: DRAM latency ${machine.latencyNs.toFixed(0)} ns (random walk over 32 MB), ` +
      `CPU loop ${machine.spinMs.toFixed(0)} ms (5 M steps)`,
  );

  for (const size of SIZES) {
    const g0 = performance.now();
    let events = synthetic.generateEvents({
      users: USERS,
      days: DAYS,
      end: END,
      timeZone: TIME_ZONE,
      seed: 42,
      targetEvents: size.events,
    });
    // Events reach a page as parsed JSON (fetch, NDJSON, a file): objects laid out in memory
    // in array order, each with its own strings. The generator builds them in another order
    // (per user, then interleaved), which would time cache misses of its own making; a JSON
    // round trip (in slices: 5 M events exceed V8's longest string) gives the layout of data
    // that was just loaded.
    events = asLoadedFromJson(events);
    const n = events.length;
    console.log(
      `\n${size.label} events: ${fmtInt(n)} generated (and loaded through JSON) in ${fmtMs(performance.now() - g0)}; ` +
        `time: medians of ${size.timed} consecutive calls after ${size.warmup} warm-up; ` +
        `memory: ${size.runs} calls, each after a forced full GC`,
    );

    for (let i = 0; i < size.warmup; i++) engine.computeReport(events, OPTIONS);

    // Time, in a steady state: the engine's calls one after another, then the baseline's.
    const time = {
      engine: await timedRuns(() => engine.computeReport(events, OPTIONS), size.timed),
    };
    time.parse = await timedRuns(() => engine.parseEvents(events), size.timed);
    let kept = engine.parseEvents(events);
    time.compute = await timedRuns(() => engine.computeFromColumns(kept, OPTIONS), size.timed);
    kept = null;
    const engineReport = engine.computeReport(events, OPTIONS);
    let baselineReport = null;
    if (baseline) {
      baselineReport = baseline.run(events, OPTIONS); // warm-up, and the report to compare
      time.baseline = await timedRuns(() => baseline.run(events, OPTIONS), size.baselineRuns);
    }

    // Memory, each call after a forced full GC (which also gives that call's time).
    const runs = { engine: [], parse: [], compute: [], baseline: [] };
    const retained = [];
    for (let i = 0; i < size.runs; i++) {
      const whole = await measured(() => engine.computeReport(events, OPTIONS));
      runs.engine.push(whole);
      whole.value = null;

      const parse = await measured(() => engine.parseEvents(events));
      runs.parse.push(parse);
      let columns = parse.value;
      parse.value = null;
      retained.push(await settledInUse());
      const compute = await measured(() => engine.computeFromColumns(columns, OPTIONS));
      runs.compute.push(compute);
      compute.value = null;
      columns = null;
      // Columns kept = in use with them − without (after the compute's scratch is gone too).
      retained[i] = (retained[i] - (await settledInUse())) / n;

      if (baseline && i === 0) {
        const b = await measured(() => baseline.run(events, OPTIONS));
        runs.baseline.push(b);
        b.value = null;
      }
    }

    const ms = (xs) => median(xs.map((r) => r.ms));
    const meanMs = (xs) => xs.reduce((sum, r) => sum + r.ms, 0) / xs.length;
    const cpuMs = (xs) => median(xs.map((r) => r.cpuMs));
    const timeOf = (xs) => `${fmtMs(ms(xs))} (mean ${fmtMs(meanMs(xs))}, cpu ${fmtMs(cpuMs(xs))})`;
    const perEvent = (xs) => median(xs.map((r) => r.bytes)) / n;
    const rssPerEvent = (xs) => median(xs.map((r) => r.peakRss)) / n;
    const engineMs = ms(time.engine);
    const rate = n / (engineMs / 1000);
    const costs = (xs) =>
      `GC ${fmtMs(median(xs.map((r) => r.gcMs)))}, ${fmtInt(median(xs.map((r) => r.faults)))} faults`;
    const timed = (label, xs, extra = '') =>
      line(
        label,
        timeOf(xs),
        `${fmtRate(n / (ms(xs) / 1000)).padStart(17)}  ${costs(xs).padEnd(24)}${extra}`,
      );
    timed(
      'engine computeReport',
      time.engine,
      size.events === 1_000_000
        ? `   target ≥ ${fmtRate(TARGET_RATE)}: ${verdict(rate >= TARGET_RATE)}`
        : '',
    );
    timed('  parseEvents', time.parse);
    timed('  computeFromColumns', time.compute);
    line(
      '  right after a forced full GC',
      `${fmtMs(ms(runs.engine))} (cpu ${fmtMs(cpuMs(runs.engine))})`,
      `${fmtRate(n / (ms(runs.engine) / 1000)).padStart(17)}   (median of ${runs.engine.length})`,
    );
    if (baseline) {
      const ratio = ms(time.baseline) / engineMs;
      const cpuRatio = cpuMs(time.baseline) / cpuMs(time.engine);
      timed('baseline', time.baseline);
      line(
        'engine ÷ baseline speed',
        `${ratio.toFixed(1)} × (cpu ${cpuRatio.toFixed(1)} ×)`,
        `target ≥ ${TARGET_RATIO} ×: ${verdict(ratio >= TARGET_RATIO)}`,
      );
      const diffs = differences(engineReport, baselineReport);
      line('report equals baseline', diffs.length === 0 ? 'OK' : 'MISMATCH');
      for (const d of diffs) console.log(`    ${d}`);
    } else {
      line('baseline', 'skipped', baselineNote);
    }
    const peak = perEvent(runs.engine);
    line(
      'engine extra memory, whole call',
      fmtBytes(peak),
      `target ≤ ${TARGET_BYTES} B/event: ${verdict(peak <= TARGET_BYTES)}` +
        `  (peak RSS +${fmtBytes(rssPerEvent(runs.engine))})`,
    );
    line('  columns kept after parse', fmtBytes(median(retained)));
    line('  computeFromColumns adds', fmtBytes(perEvent(runs.compute)));
    if (baseline) {
      line(
        'baseline extra memory, whole call',
        '≥ ' + fmtBytes(perEvent(runs.baseline)),
        `(peak RSS +${fmtBytes(rssPerEvent(runs.baseline))})`,
      );
    }
    events = null;
    settle();
  }
  console.log(
    `\nengine bench done in ${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${load()}` +
      ' (wall times on a busy machine: compare the CPU times)',
  );
  const after = probeMachine();
  console.log(
    `machine after: DRAM latency ${after.latencyNs.toFixed(0)} ns, CPU loop ${after.spinMs.toFixed(0)} ms`,
  );

  if (args.includes('--engine-only')) return;
  console.log('');
  const { runBrowserBench } = await import('./browser.mjs');
  await runBrowserBench({ root, quick, useDist: args.includes('--dist') });
}

await main();
