import 'ua-kit';
import { setWorkerUrl } from 'ua-kit';

// esbuild does not emit the worker: build.mjs copies ua-kit's beside the bundle.
// (?no-worker-url shows what happens without this line: one console warning, main thread.)
if (!location.search.includes('no-worker-url')) setWorkerUrl('./report.worker.js');

const selected = [];
Object.assign(window, { selected });
document.getElementById('overview').addEventListener('metric-select', (e) => {
  selected.push(e.detail.metric);
});
