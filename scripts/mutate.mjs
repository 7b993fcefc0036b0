// npm run mutate [-- engine|store]: StrykerJS over src/engine and src/store (one config each,
// see stryker.*.config.mjs), then the mutation score of each folder beside its target, and the
// mutants that survived. Property tests run at most UA_MAX_RUNS cases each (default 20 here).
// Slow (tens of minutes on a shared 2-core machine): not part of .ci/run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TARGETS = { engine: 90, store: 80 };
const wanted = process.argv.slice(2).filter((a) => a in TARGETS);
const folders = wanted.length > 0 ? wanted : Object.keys(TARGETS);

/** Killed and timed-out mutants are detected; survivors and uncovered ones are not. */
function score(report) {
  const counts = { detected: 0, undetected: 0 };
  const survivors = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') counts.detected++;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') {
        counts.undetected++;
        const at = `${file}:${m.location.start.line}`;
        survivors.push(
          `${m.status === 'NoCoverage' ? 'no test' : 'survived'}  ${at}  ${m.mutatorName}: ${m.replacement ?? ''}`,
        );
      }
    }
  }
  const total = counts.detected + counts.undetected;
  return {
    ...counts,
    total,
    percent: total === 0 ? 100 : (100 * counts.detected) / total,
    survivors,
  };
}

const results = [];
for (const folder of folders) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', `stryker.${folder}.config.mjs`], {
    stdio: 'inherit',
    env: { UA_MAX_RUNS: '20', ...process.env },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) {
    results.push(`src/${folder}: stryker failed (exit ${run.status}) after ${minutes} min`);
    continue;
  }
  const s = score(JSON.parse(readFileSync(`reports/mutation/${folder}.json`, 'utf8')));
  const ok = s.percent >= TARGETS[folder];
  console.log(`\nsrc/${folder}: ${s.survivors.length} mutants not detected`);
  for (const line of s.survivors) console.log(`  ${line}`);
  results.push(
    `src/${folder}: mutation score ${s.percent.toFixed(1)} % (${s.detected} of ${s.total} detected)` +
      `, target ≥ ${TARGETS[folder]} % ${ok ? 'met' : 'NOT met'}, ${minutes} min`,
  );
}
console.log(`\n${results.join('\n')}`);
