/**
 * ua-kit/engine: the User Analysis metrics from raw events, in pure TypeScript (no DOM):
 * runs in Node, a browser and a Web Worker.
 */
export { computeReport, computeFromColumns, resolveOptions, metricsFrom } from './compute.js';
export type { ResolvedOptions } from './compute.js';
export { EventParser, parseEvents, parseIsoDateTime } from './parse.js';
export type { RejectReason } from './parse.js';
export { growthOf } from './growth.js';
export {
  planPeriods,
  defaultEnd,
  defaultTimeZone,
  localParts,
  localDate,
  startOfLocalDay,
  addDays,
  formatCivil,
  parseCivil,
  checkTimeZone,
} from './periods.js';
export type { CivilDate, PeriodPlan } from './periods.js';
export { validateReport } from './validate.js';
export * from './types.js';
