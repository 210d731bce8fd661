import type { EngineKind, StuckReason } from '@baton/event-schemas';
import type { RunRecord } from './run-store.js';

/** A run that cannot progress, with why. */
export interface StuckRun {
  readonly run: RunRecord;
  readonly reason: StuckReason;
}

/** Filter and page of {@link StuckRunSource.listStuck}. */
export interface StuckRunQuery {
  readonly workflow?: string;
  /** page size; the source may cap it */
  readonly limit: number;
  /** the `nextCursor` of this source's previous page */
  readonly cursor?: string;
}

/** One page of stuck runs. */
export interface StuckRunPage {
  readonly items: readonly StuckRun[];
  /** `null` on the last page */
  readonly nextCursor: string | null;
}

/**
 * Finds a tenant's runs of one engine that cannot progress (e.g. a Postgres run parked on an
 * action no live worker provides). Every method is scoped to `tenant`; shadow runs are never listed.
 */
export interface StuckRunSource {
  /** the engine whose runs this source judges */
  readonly engine: EngineKind;
  listStuck(tenant: string, query: StuckRunQuery): Promise<StuckRunPage>;
}
