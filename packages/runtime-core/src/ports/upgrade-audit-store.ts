import type { UpgradeAuditRecord } from '@baton/event-schemas';

/** Query of {@link UpgradeAuditStore.list}. */
export interface UpgradeAuditQuery {
  /** only the records of this run */
  readonly runId?: string;
  /** at most this many, newest first */
  readonly limit: number;
}

/**
 * The audit of definition upgrades (`baton upgrade apply`): one record per run an apply handed to its
 * engine, MOVED or SKIPPED (the re-check under the run's lock refused it). Tenant-scoped. The Postgres
 * engine writes a db run's record itself, in the transaction that moves the run; every other record
 * (Temporal runs) goes through `record` after the engine answered.
 */
export interface UpgradeAuditStore {
  record(tenant: string, entry: UpgradeAuditRecord): Promise<void>;
  /** A workflow's records, newest first. */
  list(tenant: string, workflow: string, query: UpgradeAuditQuery): Promise<UpgradeAuditRecord[]>;
}
