import type { ActionNotProvidedReason, EngineKind } from '@baton/event-schemas';
import type { RunRecord, RunStore } from '../run-store.js';
import type { StuckRunPage, StuckRunQuery, StuckRunSource } from '../stuck-run-source.js';
import { tenantKey } from './tenant-key.js';
import { invalidCursorError } from '../../errors/baton-error.js';

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) return parsed as [string, string];
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a stuck-runs cursor', 'not a stuck-runs cursor');
}

interface Parked {
  readonly tenant: string;
  readonly runId: string;
  readonly action: string;
  readonly since: string;
  readonly deadline: string | null;
}

/**
 * The Postgres engine's stuck-run rule in process memory: a run parked on an action (`id@version`)
 * is stuck while no live worker provides that action and the run is unfinished. Tests park runs
 * and set the provided actions by hand; runs are read from the given run store.
 */
export class InMemoryStuckRuns implements StuckRunSource {
  readonly engine: EngineKind = 'db';
  readonly #runs: RunStore;
  readonly #parked = new Map<string, Parked>();
  #provided = new Set<string>();

  constructor(runs: RunStore) {
    this.#runs = runs;
  }

  /** Parks a run on an action it waits for (what the Postgres engine's park does). */
  park(tenant: string, runId: string, action: string, since: string, deadline: string | null = null): void {
    this.#parked.set(tenantKey(tenant, runId), { tenant, runId, action, since, deadline });
  }

  /** Clears a run's parked action (a worker providing it took the run). */
  unpark(tenant: string, runId: string): void {
    this.#parked.delete(tenantKey(tenant, runId));
  }

  /** The `id@version` of every action some live worker provides. */
  setProvided(actions: Iterable<string>): void {
    this.#provided = new Set(actions);
  }

  async listStuck(tenant: string, query: StuckRunQuery): Promise<StuckRunPage> {
    const found: { run: RunRecord; reason: ActionNotProvidedReason }[] = [];
    for (const parked of this.#parked.values()) {
      if (parked.tenant !== tenant || this.#provided.has(parked.action)) continue;
      const run = await this.#runs.get(tenant, parked.runId);
      if (!run || run.engine !== 'db' || run.shadow?.role === 'shadow' || (run.status !== 'RUNNING' && run.status !== 'WAITING')) continue;
      if (query.workflow !== undefined && run.workflow !== query.workflow) continue;
      found.push({
        run,
        reason: {
          code: 'ACTION_NOT_PROVIDED',
          message: `waits for action ${parked.action}, which no live worker provides`,
          action: parked.action,
          since: parked.since,
          deadline: parked.deadline,
        },
      });
    }
    // Oldest parked first, then run id: the order the Postgres source pages in.
    found.sort((a, b) => (a.reason.since !== b.reason.since ? (a.reason.since < b.reason.since ? -1 : 1) : a.run.runId < b.run.runId ? -1 : 1));
    // The cursor is the (since, runId) of the previous page's last item.
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rest = after ? found.filter((s) => s.reason.since > after[0] || (s.reason.since === after[0] && s.run.runId > after[1])) : found;
    const limit = Math.max(1, query.limit);
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rest.length > limit && last ? JSON.stringify([last.reason.since, last.run.runId]) : null };
  }
}
