import type { EngineKind } from '@baton/event-schemas';
import type { RunRecord } from './run-store.js';

/** What {@link StaleRunScan.listStale} looks for. */
export interface StaleRunQuery {
  /** runs of this engine only */
  readonly engine: EngineKind;
  /** only runs whose projection was last updated before this ISO time */
  readonly updatedBefore: string;
  /** continue after this run id (the last one of the previous page); absent: from the start */
  readonly afterRunId?: string;
  /** page size */
  readonly limit: number;
}

/**
 * Unfinished (`RUNNING`/`WAITING`) run projections that have not changed for a while, across
 * every tenant, in run id order: what a reconciler compares with its engine. Not scoped to a
 * tenant on purpose; only operator processes (the worker) hold it.
 */
export interface StaleRunScan {
  listStale(query: StaleRunQuery): Promise<readonly RunRecord[]>;
}
