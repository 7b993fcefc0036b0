import 'ua-kit';
import type { MetricSelectEvent } from 'ua-kit';

const selected: string[] = [];
Object.assign(window, { selected });
document.getElementById('overview')!.addEventListener('metric-select', (e: MetricSelectEvent) => {
  selected.push(e.detail.metric);
});
