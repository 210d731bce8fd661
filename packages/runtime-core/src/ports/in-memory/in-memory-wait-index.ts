import type { EventWaitKey, OpenWait, WaitIndex, WaitRecord, WaitStatus } from '../wait-index.js';
import { tenantKey } from './tenant-key.js';

/** A {@link WaitIndex} in process memory, for tests and the reference harness. */
export class InMemoryWaitIndex implements WaitIndex {
  readonly #waits = new Map<string, WaitRecord>();

  async open(tenant: string, wait: OpenWait): Promise<void> {
    const key = tenantKey(tenant, wait.runId, wait.waitId);
    if (!this.#waits.has(key)) this.#waits.set(key, structuredClone({ ...wait, tenant, status: 'WAITING' }));
  }

  async close(tenant: string, runId: string, waitId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string, resolvedBy?: string): Promise<boolean> {
    const key = tenantKey(tenant, runId, waitId);
    const wait = this.#waits.get(key);
    if (!wait || wait.status !== 'WAITING') return false;
    this.#waits.set(key, { ...wait, status: outcome, closedAt, ...(resolvedBy === undefined ? {} : { resolvedBy }) });
    return true;
  }

  async closeAllForRun(tenant: string, runId: string, outcome: Exclude<WaitStatus, 'WAITING'>, closedAt: string): Promise<number> {
    let closed = 0;
    for (const wait of this.#waits.values()) {
      if (wait.tenant === tenant && wait.runId === runId && wait.status === 'WAITING') {
        if (await this.close(tenant, runId, wait.waitId, outcome, closedAt)) closed += 1;
      }
    }
    return closed;
  }

  /**
   * The event ids that resolved a wait of the run: the events it has taken (the inbox skips them)
   * and what `EventAudit.list` with `runId` answers from. The inbox passes the reading wait as
   * `exceptWaitId`: its own resolution does not count (see `EventInbox.candidates`).
   */
  takenBy(tenant: string, runId: string, exceptWaitId?: string): ReadonlySet<string> {
    const ids = new Set<string>();
    for (const w of this.#waits.values()) {
      if (w.tenant === tenant && w.runId === runId && w.resolvedBy !== undefined && w.waitId !== exceptWaitId) ids.add(w.resolvedBy);
    }
    return ids;
  }

  async findWaiting(tenant: string, eventName: string, correlationKey: string): Promise<readonly WaitRecord[]> {
    return [...this.#waits.values()]
      .filter(
        (w) => w.tenant === tenant && w.status === 'WAITING' && w.type === 'EVENT' && w.eventName === eventName && w.correlationKey === correlationKey,
      )
      .map((w) => structuredClone(w));
  }

  async findWaitingMany(tenant: string, keys: readonly EventWaitKey[]): Promise<readonly WaitRecord[]> {
    const wanted = new Set(keys.map((k) => tenantKey(k.eventName, k.correlationKey)));
    return [...this.#waits.values()]
      .filter((w) => w.tenant === tenant && w.status === 'WAITING' && w.type === 'EVENT' && wanted.has(tenantKey(w.eventName ?? '', w.correlationKey ?? '')))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((w) => structuredClone(w));
  }

  async listForRun(tenant: string, runId: string, options: { readonly status?: WaitStatus } = {}): Promise<readonly WaitRecord[]> {
    return [...this.#waits.values()]
      .filter((w) => w.tenant === tenant && w.runId === runId && (options.status === undefined || w.status === options.status))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((w) => structuredClone(w));
  }
}
