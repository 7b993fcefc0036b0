/**
 * ua-kit: registers every element. Each element is also importable alone, e.g.
 * `import 'ua-kit/overview'`.
 */
export { UaSource } from './components/source/source.js';
export { UaOverview } from './components/overview/overview.js';
export { UaTrend } from './components/trend/trend.js';
export { UaDetailTable } from './components/detail-table/detail-table.js';
export { UaAppSelect } from './components/app-select/app-select.js';
export { UaRangeSelect } from './components/range-select/range-select.js';
export { UaDashboard } from './components/dashboard/dashboard.js';
export { MetricsStore } from './store/metrics-store.js';
export { setWorkerUrl } from './store/worker-url.js';
export type {
  StoreConfig,
  LoadState,
  Progress,
  AppInfo,
  AppKind,
  ColumnsInput,
  ArrowTableLike,
} from './store/types.js';
export { MetricSelectEvent } from './events/metric-select.js';
export { AppChangeEvent } from './events/app-change.js';
export { RangeChangeEvent } from './events/range-change.js';
export { ReportLoadEvent } from './events/report-load.js';
export { ReportErrorEvent } from './events/report-error.js';
export { ReportProgressEvent } from './events/report-progress.js';
export { computeReport, validateReport, METRIC_KEYS } from './engine/index.js';
export type { Report, UaEvent, MetricKey, Metrics, Range, ReportOptions } from './engine/index.js';
