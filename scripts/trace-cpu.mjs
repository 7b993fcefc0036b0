/**
 * Main-thread and worker CPU time from a Chromium trace, shared by the browser bench
 * (bench/browser.mjs) and the browser tests (traceCommands(), a web-test-runner plugin): a
 * page's long task is judged by its thread time (`tdur`), what the kit's own work costs, apart
 * from the time the renderer spent descheduled on a busy machine.
 */

/**
 * CPU (thread) time per measured run, from a trace: the page marks each run's start and end
 * (`ua-bench:<run>:start|end`, blink.user_timing); the thread time (`tdur`) of every top-level
 * task (RunTask) that overlaps the run is summed, on the thread that made the marks (the page's
 * main thread) and on Web Worker threads of the same process. Returns `{ main, worker }` ms
 * per run, keyed by run.
 */
export function cpuPerRun(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const names = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name);
  }
  const runs = new Map();
  for (const e of events) {
    const m = /^ua-bench:(.+):(start|end)$/.exec(e.name ?? '');
    if (!m || e.cat !== 'blink.user_timing') continue;
    const run = runs.get(m[1]) ?? { pid: e.pid, tid: e.tid };
    run[m[2]] = e.ts;
    runs.set(m[1], run);
  }
  const tasks = events.filter(
    (e) => e.ph === 'X' && e.name === 'RunTask' && typeof e.tdur === 'number',
  );
  const out = new Map();
  for (const [key, run] of runs) {
    if (run.start === undefined || run.end === undefined) continue;
    let main = 0;
    let worker = 0;
    // The main thread's tasks of 50 ms or more, up to 500 ms after the run (as the page's
    // long-task observer sees them): start (ms after the run's start), wall and CPU time.
    const long = [];
    for (const t of tasks) {
      if (t.pid !== run.pid || t.ts + t.dur <= run.start) continue;
      if (t.tid === run.tid && t.dur >= 50_000 && t.ts < run.end + 500_000) {
        long.push({ start: (t.ts - run.start) / 1000, wall: t.dur / 1000, cpu: t.tdur / 1000 });
      }
      if (t.ts >= run.end) continue;
      if (t.tid === run.tid) main += t.tdur / 1000;
      else if (/DedicatedWorker/.test(names.get(`${t.pid}:${t.tid}`) ?? ''))
        worker += t.tdur / 1000;
    }
    out.set(key, { main, worker, long });
  }
  return out;
}

export const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  '__metadata',
];


/**
 * web-test-runner commands (executeServerCommand from @web/test-runner-commands):
 * 'ua-trace-start' starts a trace of the test's page; 'ua-trace-stop' stops it and answers
 * cpuPerRun's figures of the runs the page marked (`ua-bench:<run>:start|end`) as a plain object.
 */
export function traceCommands() {
  return {
    name: 'ua-kit:trace-commands',
    async executeCommand({ command, session }) {
      if (command !== 'ua-trace-start' && command !== 'ua-trace-stop') return undefined;
      const page = session.browser.getPage(session.id);
      if (command === 'ua-trace-start') {
        await page.tracing.start({ categories: CATEGORIES });
        return true;
      }
      const buffer = await page.tracing.stop();
      return Object.fromEntries(cpuPerRun(JSON.parse(new TextDecoder().decode(buffer))));
    },
  };
}
