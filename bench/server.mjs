/**
 * `npm run bench -- --server` (add `--10m` for 10 M events too): the DuckDB engine of
 * `ua-kit serve` beside computeReport over the same events in the same process.
 *
 * Data: the bench's generator (demo/synthetic.ts), 20 000 users over 70 days, range-30 report
 * in Asia/Shanghai, as in the engine bench. Figures:
 * - load: the engine's parser and DuckDB's appender, events/s (from JS objects, as
 *   `ua-kit serve` loads a file batch by batch); then sessionizing in SQL (the opens and
 *   first-seen tables), which runs once after a load and again only for users with new events.
 * - uncached report: engine.report() (four aggregations over the timeline, no cache) beside
 *   computeReport over the event array (its parse included, as a caller pays it), medians.
 * - cached report: p50/p95 of 1 000 requests from 50 concurrent keep-alive clients (in a
 *   worker thread) over real HTTP to createReportHandler on node:http in this process, after
 *   the event objects are released (ua-kit serve holds none).
 * - ingestion: POST /api/events, NDJSON batches of 50 000 events, into a fresh --db file
 *   (each answer is sent after DuckDB's commit, i.e. on disk).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs } from './import-ts.mjs';

const USERS = 20_000;
const DAYS = 70;
const END = '2026-03-31';
const TIME_ZONE = 'Asia/Shanghai';
const QUERY = { range: 30, end: END, timeZone: TIME_ZONE, app: null };
const TARGET_RATIO = 2; // uncached DuckDB ÷ computeReport, at 10 M
const TARGET_P95_MS = 20;
const TARGET_INGEST = 200_000; // events/s
const TARGET_COLUMNAR = 2; // a Parquet or Arrow file loads at ≥ 2× NDJSON's events/s

function loadModules(root) {
  return importTs(
    root,
    [
      `export * as engine from './src/engine/index.ts';`,
      `export * as synthetic from './demo/synthetic.ts';`,
      `export * as server from './src/server/index.ts';`,
      `export * as files from './bench/events-src-files.ts';`,
    ],
    'bench-server',
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)) + ' ms';
const rate = (r) =>
  (r >= 1e6 ? (r / 1e6).toFixed(2) + ' M' : Math.round(r / 1e3) + ' k') + ' events/s';
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const line = (label, value, extra = '') =>
  console.log(`  ${label.padEnd(42)} ${value.padStart(14)}  ${extra}`);

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function get(agent, port, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - t0)
          : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function post(agent, port, path, body, token) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`status ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * 50 keep-alive clients, 20 requests each, in a worker thread (so that the clients' own work
 * does not run on the server's event loop); the latency of each request, ms.
 */
const CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
const get = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  http.get({ host: '127.0.0.1', port: workerData.port, path: workerData.path, agent }, (res) => {
    res.resume();
    res.on('end', () => res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error('status ' + res.statusCode)));
  }).on('error', reject);
});
(async () => {
  const times = [];
  const { clients, each } = workerData;
  await Promise.all(Array.from({ length: clients }, async () => { for (let i = 0; i < each; i++) times.push(await get()); }));
  agent.destroy();
  parentPort.postMessage(times);
})();
`;

async function cachedLatencies(engine, handlerFactory, clients = 50, each = 20) {
  const { Worker } = await import('node:worker_threads');
  const http = await listen(handlerFactory({ engine, now: () => Date.UTC(2026, 5, 1) }));
  const port = http.address().port;
  const path = `/api/report?range=30&end=${END}&tz=${encodeURIComponent(TIME_ZONE)}`;
  const agent = new Agent({ keepAlive: true });
  await get(agent, port, path); // computes once; cached from then on
  agent.destroy();
  const worker = new Worker(CLIENTS, { eval: true, workerData: { port, path, clients, each } });
  const times = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  await new Promise((r) => http.close(r));
  return times;
}

async function ingestion(mod, events, root) {
  const dir = mkdtempSync(join(tmpdir(), 'ua-bench-db-'));
  try {
    const engine = await mod.server.DuckDBEngine.open({ db: join(dir, 'ua.duckdb') });
    const token = 'bench';
    const http = await listen(mod.server.createReportHandler({ engine, ingestToken: token }));
    const port = http.address().port;
    const agent = new Agent({ keepAlive: true });
    const BATCH = 50_000;
    const bodies = [];
    for (let i = 0; i < events.length; i += BATCH) {
      bodies.push(
        events
          .slice(i, i + BATCH)
          .map((e) => JSON.stringify(e))
          .join('\n'),
      );
    }
    const t0 = performance.now();
    let accepted = 0;
    for (const body of bodies)
      accepted += (await post(agent, port, '/api/events', body, token)).accepted;
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    await new Promise((r) => http.close(r));
    await engine.close();
    void root;
    return { accepted, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak resident memory of a process so far (Linux: VmHWM), MB. */
function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}

/**
 * Starts the built `ua-kit serve` (cli.js in `serverDir`) on `--events path`, waits for its URL
 * (10 min at most), reads its peak RSS and its `loaded …` line, and ends it.
 */
function serveOnce(serverDir, path, engineArgs) {
  const script = `import(${JSON.stringify(join(serverDir, 'cli.js'))}).then((m) => m.main(process.argv.slice(1)))`;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', script, 'serve', '--events', path, '--port', '0', ...engineArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    const onData = (chunk) => {
      out += chunk;
      if (!/ua-kit serve: http/.test(out)) return;
      const rss = peakRssMb(child.pid);
      clearTimeout(timer);
      child.kill('SIGTERM');
      const m = /events accepted.*? in ([\d.]+) s(?:, sessionized in ([\d.]+) s)?/.exec(out);
      const accepted = Number(/(\d+) events accepted/.exec(out)?.[1]);
      if (m === null) reject(new Error(out));
      else resolve({ loadS: Number(m[1]), sessionS: m[2] && Number(m[2]), rss, accepted });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!/ua-kit serve: http/.test(out)) reject(new Error(`exit ${code}: ${out}`));
    });
  });
}

/**
 * `--events` as NDJSON, Parquet and Arrow IPC (file and stream), the same events (the browser
 * bench's files, bench/events-src-files.ts), each loaded by a fresh `ua-kit serve` process (the
 * DuckDB engine): events/s beside NDJSON's as a ratio (medians of 3 rounds at 1 M, one at 10 M),
 * the peak RSS while loading, the load average at each run. `engineArgs`: e.g. `['--engine', 'chdb']` (bench/clickhouse.mjs).
 */
export async function fileLoads(mod, root, size, engineArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ua-bench-files-'));
  const serverDir = join(root, 'node_modules/.cache/ua-bench-serve');
  try {
    const built = spawnSync(
      process.execPath,
      [join(root, 'scripts/build-server.mjs'), '--out', serverDir],
      {
        stdio: 'inherit',
      },
    );
    if (built.status !== 0) throw new Error('scripts/build-server.mjs failed');
    const { files } = await mod.files.writeEventsFiles(dir, size, END, TIME_ZONE);
    // The Arrow IPC file format too (the browser bench writes the stream format).
    const { tableFromIPC, tableToIPC } = await import('apache-arrow');
    const stream = join(dir, files.arrow);
    writeFileSync(
      join(dir, 'events.arrow'),
      tableToIPC(tableFromIPC(readFileSync(stream)), 'file'),
    );
    const inputs = [
      ['NDJSON', join(dir, files.ndjson)],
      ['Parquet (snappy)', join(dir, files.parquet)],
      ['Arrow IPC file', join(dir, 'events.arrow')],
      ['Arrow IPC stream', stream],
    ];
    // Rounds over every format in turn (the machine's load moves; each format sees it alike):
    // the median load time of each, the highest peak RSS, the load average at its runs.
    const rounds = size >= 10_000_000 ? 1 : 3;
    const runs = new Map(inputs.map(([label]) => [label, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [label, path] of inputs) {
        const run = await serveOnce(serverDir, path, engineArgs);
        runs.get(label).push({ ...run, load: loadavg()[0] });
      }
    }
    let ndjsonRate = NaN;
    for (const [label, path] of inputs) {
      const all = runs.get(label);
      const loadS = median(all.map((r) => r.loadS));
      const sessions = all.map((r) => r.sessionS).filter((s) => s);
      const run = {
        loadS,
        accepted: all[0].accepted,
        rss: Math.max(...all.map((r) => r.rss)),
        sessionS: sessions.length > 0 ? median(sessions) : undefined,
      };
      const loads = all.map((r) => r.load.toFixed(1)).join(', ');
      const rate_ = run.accepted / run.loadS;
      if (label === 'NDJSON') ndjsonRate = rate_;
      const mb = (statSync(path).size / 1e6).toFixed(0);
      const ratio = rate_ / ndjsonRate;
      const target =
        label === 'NDJSON'
          ? 'baseline'
          : `${ratio.toFixed(2)}× NDJSON; target ≥ ${TARGET_COLUMNAR}×: ${verdict(ratio >= TARGET_COLUMNAR)}`;
      line(
        `--events ${label} (${mb} MB)`,
        rate(rate_),
        `${run.loadS.toFixed(2)} s${rounds > 1 ? ` (median of ${rounds})` : ''}; ${target}; peak RSS ${Math.round(run.rss)} MB; ${run.sessionS ? `sessionized ${run.sessionS.toFixed(2)} s; ` : ''}load average ${loads}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runServerBench({ root, tenMillion }) {
  const mod = await loadModules(root);
  const sizes = tenMillion ? [1_000_000, 10_000_000] : [1_000_000];
  console.log(
    `server bench: DuckDB engine vs computeReport, ${USERS} users, ${DAYS} days, range 30, ${TIME_ZONE}`,
  );
  for (const size of sizes) {
    const label = size >= 1e7 ? '10 M' : '1 M';
    let events = mod.synthetic.generateEvents({
      users: USERS,
      days: DAYS,
      end: END,
      timeZone: TIME_ZONE,
      targetEvents: size,
      seed: 1,
    });
    console.log(`\n${label} events (${events.length.toLocaleString('en-US')})`);
    const options = { range: 30, end: END, timeZone: TIME_ZONE };
    mod.engine.computeReport(events, options); // warm-up
    const engineRuns = [];
    for (let i = 0; i < 3; i++)
      engineRuns.push((await timed(() => mod.engine.computeReport(events, options))).ms);

    const engine = await mod.server.DuckDBEngine.open();
    const load = await timed(async () => {
      for (let i = 0; i < events.length; i += 1_000_000)
        await engine.ingest(events.slice(i, i + 1_000_000));
    });
    const prepare = await timed(() => engine.prepare());
    const expected = mod.engine.computeReport(events, options);
    const first = await engine.report(QUERY);
    const diff =
      JSON.stringify(first.totals) === JSON.stringify(expected.totals)
        ? 'equal totals'
        : 'TOTALS DIFFER';
    const duckRuns = [];
    for (let i = 0; i < 3; i++) duckRuns.push((await timed(() => engine.report(QUERY))).ms);
    const appRuns = [];
    for (const app of (await engine.apps()).slice(0, 3)) {
      appRuns.push((await timed(() => engine.report({ ...QUERY, app: app.id }))).ms);
    }
    const dayRuns = [];
    for (let i = 0; i < 3; i++)
      dayRuns.push(
        (await timed(() => engine.report({ ...QUERY, range: 1, end: '2026-03-2' + i }))).ms,
      );

    const duck = median(duckRuns);
    const base = median(engineRuns);
    line('load (parse + append)', rate(events.length / (load.ms / 1000)), `${ms(load.ms)}`);
    line(
      'sessionizing in SQL after the load',
      ms(prepare.ms),
      '(once; then only users with new events)',
    );
    line(
      'computeReport (baseline, parse included)',
      ms(base),
      `${rate(events.length / (base / 1000))}`,
    );
    line(
      'DuckDB report, uncached, range 30',
      ms(duck),
      `${(duck / base).toFixed(2)}× computeReport; target ≤ ${TARGET_RATIO}× at 10 M: ${verdict(duck / base <= TARGET_RATIO)}; ${diff}`,
    );
    line(
      '  one app, range 30',
      ms(median(appRuns)),
      `${(median(appRuns) / base).toFixed(2)}× computeReport`,
    );
    line('  range 1', ms(median(dayRuns)), `${(median(dayRuns) / base).toFixed(2)}× computeReport`);
    line(
      '  with sessionizing per report instead',
      ms(prepare.ms + duck),
      `${((prepare.ms + duck) / base).toFixed(2)}× computeReport (why it runs at load)`,
    );
    if (size === sizes[0]) {
      const ingest = await ingestion(mod, events, root);
      const r = ingest.accepted / ingest.seconds;
      line(
        'ingestion into --db (POST, 50 k/batch)',
        rate(r),
        `target ≥ ${rate(TARGET_INGEST)}: ${verdict(r >= TARGET_INGEST)}; ${(r / (events.length / (base / 1000))).toFixed(3)}× computeReport's rate`,
      );
    }
    // As in `ua-kit serve`, no event objects in the heap while it answers (their GCs would
    // pause it): only the database holds them now.
    events = null;
    globalThis.gc?.();
    const cached = await cachedLatencies(engine, mod.server.createReportHandler);
    const p95 = quantile(cached, 0.95);
    line(
      'cached report, 50 clients, p50',
      ms(median(cached)),
      `baseline computeReport ${ms(base)}: ${(base / median(cached)).toFixed(0)}× faster`,
    );
    line(
      'cached report, 50 clients, p95',
      ms(p95),
      `target ≤ ${TARGET_P95_MS} ms: ${verdict(p95 <= TARGET_P95_MS)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    );
    const alone = await cachedLatencies(engine, mod.server.createReportHandler, 1, 200);
    line(
      '  one client alone, p50 / p95',
      `${ms(median(alone))} / ${ms(quantile(alone, 0.95))}`,
      '(the time one request takes; 50 at once queue behind each other)',
    );
    await engine.close();
    console.log(`  loading --events files (a fresh ua-kit serve each, DuckDB engine):`);
    await fileLoads(mod, root, size);
  }
}
