/**
 * chart.js with only what a line chart needs, registered once. `<ua-trend>` imports this module
 * lazily (`await import('./chart.js')`) so that cards and tables paint before chart.js arrives.
 * Never `chart.js/auto`, never `Chart.defaults`: options are set per chart.
 *
 * Not registered, to keep the kit small (about 10 KB gzip together): the Legend and Tooltip
 * plugins (`<ua-trend>` renders both as HTML, which themes and reads better) and the Filler
 * plugin (`areaFill` below draws the one fill the chart has).
 */
import {
  CategoryScale,
  Chart,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  type Plugin,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale);

/**
 * Fills the area between the first dataset's line and the bottom of the chart area with that
 * dataset's `backgroundColor`, under the line (what Filler's `fill: 'origin'` did for a scale
 * that begins at zero). An inline plugin: pass it in a chart's `plugins`.
 */
export const areaFill: Plugin<'line'> = {
  id: 'uaAreaFill',
  beforeDatasetDraw(chart, { index, meta }) {
    const line = meta.dataset as LineElement | undefined;
    const points = meta.data;
    if (index !== 0 || !line || points.length === 0) return;
    const { ctx, chartArea: area } = chart;
    const color = chart.data.datasets[0].backgroundColor;
    if (typeof color !== 'string') return;
    // Bézier control points of the tension; the line's own draw() would do this after us.
    line.updateControlPoints(area, 'x');
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.beginPath();
    line.path(ctx);
    ctx.lineTo(points[points.length - 1].x, area.bottom);
    ctx.lineTo(points[0].x, area.bottom);
    ctx.closePath();
    ctx.fillStyle = color;
    ctx.fill();
    ctx.restore();
  },
};

export { Chart };
