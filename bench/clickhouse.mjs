/**
 * `npm run bench -- --clickhouse`: the uncached report in chDB (the SQL of
 * src/server/clickhouse/sql.ts, ClickHouse 26.x in-process) beside computeReport on the same
 * events, at 1 M and 10 M events (--quick: 1 M). Target: chDB within 2× of computeReport at 10 M.
 *
 * Data: demo/synthetic.ts, 20 000 users (200 000 at 10 M) over 70 days; report range 30,
 * Asia/Shanghai, all apps. computeReport is timed on the event objects (parse + compute, what a
 * caller holding events pays); computeFromColumns on the parsed columns is shown beside it.
 * chDB is timed on the query alone: the events are loaded once into the DDL's MergeTree table
 * (load time shown), as a server loads its file at start. ClickHouse's query cache is off by
 * default, so every run computes. Medians of the runs; the figures vary with the machine's load.
 * Needs chdb (scripts/install-chdb.sh installs it into .cache/chdb).
 */
import { loadavg } from 'node:os';
import { importTs } from './import-ts.mjs';

const TARGET_RATIO = 2; // chDB time ÷ computeReport time at 10 M, at most
const OPTIONS = { range: 30, end: '2026-03-31', timeZone: 'Asia/Shanghai' };

function loadModules(root) {
  return importTs(
    root,
    [
      `export * as engine from './src/engine/index.ts';`,
      `export * as synthetic from './demo/synthetic.ts';`,
      `export * as chdb from './src/server/clickhouse/chdb.ts';`,
    ],
    'bench-ch',
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

/** Totals and previous totals equal: counts exactly, averages within 1e-9 relative. */
function sameTotals(a, b) {
  return ['totals', 'previousTotals'].every((k) =>
    Object.keys(b[k]).every((m) => Math.abs(a[k][m] - b[k][m]) <= 1e-9 * Math.abs(b[k][m])),
  );
}

async function timed(runs, fn) {
  const times = [];
  let value;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

export async function runClickHouseBench({ root, quick }) {
  const { engine, synthetic, chdb } = await loadModules(root);
  const sizes = quick
    ? [{ events: 1_000_000, users: 20_000, label: '1 M', runs: 3 }]
    : [
        { events: 1_000_000, users: 20_000, label: '1 M', runs: 5 },
        { events: 10_000_000, users: 200_000, label: '10 M', runs: 3 },
      ];
  console.log(
    `ClickHouse bench (chDB ${chdb.CHDB_VERSION}), range 30, ${OPTIONS.timeZone}, all apps; load average ${loadavg()[0].toFixed(1)}`,
  );
  let verdict = null;
  for (const size of sizes) {
    let t = performance.now();
    let events = synthetic.generateEvents({
      users: size.users,
      days: 70,
      end: OPTIONS.end,
      targetEvents: size.events,
      seed: 3,
    });
    console.log(
      `\n${size.label} events (${events.length.toLocaleString('en')}, generated in ${ms(performance.now() - t)})`,
    );
    const js = await timed(size.runs, () => engine.computeReport(events, OPTIONS));
    const cols = engine.parseEvents(events);
    events = null;
    const fromCols = await timed(size.runs, () => engine.computeFromColumns(cols, OPTIONS));
    t = performance.now();
    const db = await chdb.chdbFromColumns(cols, { root });
    const loadMs = performance.now() - t;
    try {
      await db.report(OPTIONS); // warm-up: the first query reads the parts from disk
      const sql = await timed(size.runs, () => db.report(OPTIONS));
      const same = sameTotals(sql.value, js.value);
      const ratio = sql.ms / js.ms;
      console.log(`  computeReport (objects)      ${ms(js.ms).padStart(9)}   baseline`);
      console.log(
        `  computeFromColumns (columns) ${ms(fromCols.ms).padStart(9)}   ${(fromCols.ms / js.ms).toFixed(2)}× computeReport`,
      );
      console.log(
        `  chDB report query            ${ms(sql.ms).padStart(9)}   ${ratio.toFixed(2)}× computeReport` +
          (size.events >= 10_000_000
            ? `   target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}`
            : ''),
      );
      console.log(`  chDB load (parse + insert)   ${ms(loadMs).padStart(9)}   once, at start`);
      console.log(`  same totals as computeReport: ${same ? 'yes' : 'NO'}`);
      if (size.events >= 10_000_000) verdict = ratio <= TARGET_RATIO;
    } finally {
      db.close();
    }
    // `--events` files into `ua-kit serve --engine chdb` (Parquet: chDB's reader, judged in SQL).
    console.log(`  loading --events files (a fresh ua-kit serve --engine chdb each):`);
    const { fileLoads } = await import('./server.mjs');
    const files = await importTs(
      root,
      [`export * as files from './bench/events-src-files.ts';`],
      'bench-ch-files',
    );
    await fileLoads(files, root, size.events, ['--engine', 'chdb']);
  }
  return verdict;
}
