import type { UpgradeAuditRecord } from '@baton/event-schemas';
import type { UpgradeAuditQuery, UpgradeAuditStore } from '../upgrade-audit-store.js';

/** {@link UpgradeAuditStore} in process memory. */
export class InMemoryUpgradeAudit implements UpgradeAuditStore {
  readonly #records: { readonly tenant: string; readonly entry: UpgradeAuditRecord }[] = [];

  async record(tenant: string, entry: UpgradeAuditRecord): Promise<void> {
    this.#records.push({ tenant, entry: structuredClone(entry) });
  }

  async list(tenant: string, workflow: string, query: UpgradeAuditQuery): Promise<UpgradeAuditRecord[]> {
    return this.#records
      .filter((r) => r.tenant === tenant && r.entry.workflow === workflow && (query.runId === undefined || r.entry.runId === query.runId))
      .reverse()
      .slice(0, query.limit)
      .map((r) => structuredClone(r.entry));
  }
}
