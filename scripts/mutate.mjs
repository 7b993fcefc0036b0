// npm run mutate [-- engine|store|worker|formats]: StrykerJS over src/engine, src/store, the
// store's worker side and the worker's file readers (one config each, see stryker.*.config.mjs),
// then for each: the mutation score beside its target, the mutants by outcome, the disabled
// ones (with their reasons) and the run time, and the mutants that no test detected. Property
// tests run at most UA_MAX_RUNS cases each (default 20 here). The engine, store and formats configs run in incremental mode
// (reports/stryker-incremental-*.json): a rerun tests only the mutants whose code or covering
// tests changed; `-- --force` tests them all. The worker side, without coverage, runs whole.
// Slow (minutes to tens of minutes on a shared 2-core machine): not part of .ci/run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TARGETS = { engine: 90, store: 80, worker: 80, formats: 80 };
const FOLDERS = {
  engine: 'src/engine',
  store: 'src/store',
  worker: 'src/store (worker side)',
  formats: 'src/store/worker/formats (file readers)',
};
const args = process.argv.slice(2);
const wanted = args.filter((a) => a in TARGETS);
const strykerArgs = args.filter((a) => !(a in TARGETS));
const configs = wanted.length > 0 ? wanted : Object.keys(TARGETS);

/** Killed and timed-out mutants are detected; survivors and uncovered ones are not. */
function tally(report) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, errors: 0 };
  const undetected = [];
  const disabled = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status in counts) counts[m.status]++;
      else counts.errors++; // RuntimeError, CompileError: not in the score
      const at = `${file}:${m.location.start.line}`;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const what = m.status === 'NoCoverage' ? 'no test' : 'survived';
        undetected.push(`${what}  ${at}  ${m.mutatorName}: ${oneLine(m.replacement ?? '')}`);
      } else if (m.status === 'Ignored') {
        const reason = m.statusReason ?? '';
        disabled.set(reason, (disabled.get(reason) ?? 0) + 1);
      }
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const total = detected + counts.Survived + counts.NoCoverage;
  const percent = total === 0 ? 100 : (100 * detected) / total;
  return { counts, detected, total, percent, undetected, disabled };
}

function oneLine(s) {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 70 ? `${flat.slice(0, 70)}…` : flat;
}

const summaries = [];
for (const name of configs) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', `stryker.${name}.config.mjs`, ...strykerArgs], {
    stdio: 'inherit',
    env: { UA_MAX_RUNS: '20', ...process.env },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) {
    summaries.push(`${FOLDERS[name]}: stryker failed (exit ${run.status}) after ${minutes} min`);
    continue;
  }
  const t = tally(JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8')));
  console.log(`\n${FOLDERS[name]}: ${t.undetected.length} mutants not detected`);
  for (const line of t.undetected) console.log(`  ${line}`);
  console.log(`${FOLDERS[name]}: ${t.counts.Ignored} mutants disabled in the code`);
  for (const [reason, n] of t.disabled) console.log(`  ${n} × ${reason}`);
  const c = t.counts;
  summaries.push(
    `${FOLDERS[name]}: mutation score ${t.percent.toFixed(1)} % (${t.detected} of ${t.total}), ` +
      `target ≥ ${TARGETS[name]} % ${t.percent >= TARGETS[name] ? 'met' : 'NOT met'}; ` +
      `${c.Killed} killed, ${c.Timeout} timed out, ${c.Survived} survived, ` +
      `${c.NoCoverage} without a test, ${c.Ignored} disabled, ${c.errors} errors; ${minutes} min`,
  );
}
console.log(`\n${summaries.join('\n')}`);
