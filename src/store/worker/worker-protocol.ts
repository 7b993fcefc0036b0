import type { Diagnostics, Report, ReportOptions } from '../../engine/types.js';
import type { PackedColumns } from './columns-transfer.js';
import type { PageColumns } from './columns-message.js';
import type { EventsFormat } from '../events-loader.js';
import type { DataSpan, Progress } from '../types.js';

/** Messages from the page to the report worker. `job` ties answers to requests. */
export type ToWorker =
  /** Fetch and parse events from an absolute URL; keep them as the data set `job`. */
  | { type: 'load-url'; job: number; url: string; format: EventsFormat | null; timeout: number }
  /** Keep these columns (transferred) as the data set `job`. */
  | { type: 'set-columns'; job: number; columns: PackedColumns }
  /** Read these columns (ColumnBatch or Arrow Table; buffers transferred) as the data set `job`. */
  | { type: 'set-batch'; job: number; batch: PageColumns }
  /** Compute a Report from the data set `data`. */
  | { type: 'compute'; job: number; data: number; options: ReportOptions }
  /** Stop the job (a load in progress); no answer follows. */
  | { type: 'abort'; job: number };

/** Messages from the report worker to the page. */
export type FromWorker =
  /** The worker's module loaded and runs. */
  | { type: 'ready' }
  | { type: 'progress'; job: number; progress: Progress }
  /** The data set `job` is loaded: its distinct apps and what the parser rejected. */
  | {
      type: 'loaded';
      job: number;
      apps: string[];
      diagnostics: Diagnostics;
      span: DataSpan | null;
    }
  | { type: 'report'; job: number; report: Report }
  /** The job failed; `reason` is readable. */
  /** `status`: a StatusFailure, whose sentence the page writes (withStatusSentence). */
  | { type: 'error'; job: number; reason: string; status?: [number, string] };
