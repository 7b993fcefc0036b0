import '../src/index.js';
import type { UaDashboard } from '../src/components/dashboard/dashboard.js';
import type { UaSource } from '../src/components/source/source.js';
import { demoEvents } from './synthetic.js';

type Mode = 'browser' | 'endpoint';

const events = demoEvents();
const dashboard = document.createElement('ua-dashboard') as UaDashboard;
document.querySelector('#dashboard-slot')!.append(dashboard);
const shared = document.querySelector<UaSource>('#shared')!;
const log = document.querySelector('#log')!;
const note = document.querySelector('#mode-note')!;
/** `ua-kit serve` over the same synthetic events; npm start runs it and Vite proxies /api to it. */
const API_BASE = '/api';

/** Points both sources at the synthetic events (computed in a Web Worker) or the real endpoint. */
function setMode(mode: Mode): void {
  if (mode === 'endpoint') {
    for (const el of [dashboard, shared]) {
      el.events = null;
      el.endpoint = API_BASE;
    }
    note.textContent = `Endpoint mode: GET ${API_BASE}/apps and ${API_BASE}/report, answered by ua-kit serve (DuckDB) over the same synthetic events.`;
  } else {
    for (const el of [dashboard, shared]) {
      el.endpoint = null;
      el.events = events;
    }
    note.textContent = `In-browser mode: ${events.length.toLocaleString()} synthetic events computed in a Web Worker.`;
  }
}

function setLang(lang: string): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll(
    'ua-dashboard, ua-overview, ua-trend, ua-detail-table',
  )) {
    el.setAttribute('lang', lang);
  }
}

function setTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
}

function onChoice(name: string, act: (value: string) => void): void {
  for (const input of document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)) {
    input.addEventListener('change', () => input.checked && act(input.value));
  }
}

onChoice('mode', (v) => setMode(v as Mode));
onChoice('lang', setLang);
onChoice('theme', setTheme);

document.addEventListener('metric-select', (e) => {
  const item = document.createElement('li');
  const from = (e.target as Element).localName;
  item.textContent = `${new Date().toLocaleTimeString()} ${from}: ${e.detail.metric}`;
  log.prepend(item);
});

void setMode('browser');
