/**
 * chart.js with only what a line chart needs, registered once. `<ua-trend>` imports this module
 * lazily (`await import('./chart.js')`) so that cards and tables paint before chart.js arrives.
 * Never `chart.js/auto`, never `Chart.defaults`: options are set per chart.
 */
import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Tooltip,
  Legend,
  Filler,
);

export { Chart };
