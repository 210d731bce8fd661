import type { StepRecord } from '@baton/event-schemas';
import { invalidCursorError } from '../../errors/baton-error.js';
import type { NewRun, RunListQuery, RunPage, RunProjectionPatch, RunRecord, RunStore, RunUpdateCondition } from '../run-store.js';
import type { StaleRunQuery, StaleRunScan } from '../stale-run-scan.js';
import { tenantKey } from './tenant-key.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** Cursor of a run page: the (createdAt, runId) of the last item, newest-first order. */
function encodeCursor(run: RunRecord): string {
  return encodeURIComponent(JSON.stringify([run.createdAt, run.runId]));
}

/** The (createdAt, runId) of a cursor; refuses one that is unreadable (as the Postgres store refuses an unknown run id). */
function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(cursor));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) return parsed as [string, string];
  } catch {
    // fall through to the typed error
  }
  throw invalidCursorError('cursor is not a nextCursor of GET /v1/runs');
}

/** Newest first: createdAt descending, then runId descending. */
function newestFirst(a: RunRecord, b: RunRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/** A {@link RunStore} in process memory, for tests and the reference harness. */
export class InMemoryRunStore implements RunStore, StaleRunScan {
  readonly #runs = new Map<string, RunRecord>();
  readonly #byExecutionKey = new Map<string, string>();
  readonly #steps = new Map<string, Map<string, StepRecord>>();

  async create(tenant: string, run: NewRun): Promise<{ readonly run: RunRecord; readonly created: boolean }> {
    const existingId =
      this.#runs.has(tenantKey(tenant, run.runId))
        ? run.runId
        : run.executionKey === null
          ? undefined
          : this.#byExecutionKey.get(tenantKey(tenant, run.workflow, run.executionKey));
    if (existingId !== undefined) return { run: structuredClone(this.#runs.get(tenantKey(tenant, existingId))!), created: false };
    const record: RunRecord = structuredClone({ ...run, tenant, updatedAt: run.createdAt });
    this.#runs.set(tenantKey(tenant, run.runId), record);
    if (run.executionKey !== null) this.#byExecutionKey.set(tenantKey(tenant, run.workflow, run.executionKey), run.runId);
    return { run: structuredClone(record), created: true };
  }

  async get(tenant: string, runId: string): Promise<RunRecord | undefined> {
    const found = this.#runs.get(tenantKey(tenant, runId));
    return found && structuredClone(found);
  }

  async list(tenant: string, query: RunListQuery): Promise<RunPage> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after && !this.#runs.has(tenantKey(tenant, after[1]))) throw invalidCursorError('cursor is not a nextCursor of GET /v1/runs: no run of this tenant has that id');
    const matching = [...this.#runs.values()]
      .filter((r) => r.tenant === tenant && r.shadow?.role !== 'shadow')
      .filter((r) => query.workflow === undefined || r.workflow === query.workflow)
      .filter((r) => query.status === undefined || r.status === query.status)
      .filter((r) => query.engine === undefined || r.engine === query.engine)
      .filter((r) => query.createdAfter === undefined || Date.parse(r.createdAt) >= Date.parse(query.createdAfter))
      .filter((r) => query.createdBefore === undefined || Date.parse(r.createdAt) < Date.parse(query.createdBefore))
      .sort(newestFirst)
      .filter((r) => after === undefined || newestFirst(r, { createdAt: after[0], runId: after[1] } as RunRecord) > 0);
    const limit = Math.max(1, Math.floor(query.limit));
    const items = matching.slice(0, limit).map((r) => structuredClone(r));
    return { items, nextCursor: matching.length > limit ? encodeCursor(items.at(-1)!) : null };
  }

  async update(tenant: string, runId: string, patch: RunProjectionPatch, condition: RunUpdateCondition = {}): Promise<RunRecord | undefined> {
    const current = this.#runs.get(tenantKey(tenant, runId));
    if (!current) return undefined;
    if (condition.statusIn && !condition.statusIn.includes(current.status)) return undefined;
    const next: Mutable<RunRecord> = { ...current, updatedAt: patch.updatedAt };
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.version !== undefined) next.version = patch.version;
    if (patch.definitionHash !== undefined) next.definitionHash = patch.definitionHash;
    if (patch.output !== undefined) next.output = structuredClone(patch.output);
    for (const field of ['error', 'currentStepId', 'completedAt'] as const) {
      const value = patch[field];
      if (value === null) delete next[field];
      else if (value !== undefined) (next as Record<string, unknown>)[field] = structuredClone(value);
    }
    this.#runs.set(tenantKey(tenant, runId), next);
    return structuredClone(next);
  }

  async upsertSteps(tenant: string, runId: string, steps: readonly StepRecord[], condition?: RunUpdateCondition): Promise<void> {
    const key = tenantKey(tenant, runId);
    const run = this.#runs.get(key);
    if (condition?.statusIn && (!run || !condition.statusIn.includes(run.status))) return;
    const byKey = this.#steps.get(key) ?? new Map<string, StepRecord>();
    for (const step of steps) byKey.set(step.key, structuredClone(step));
    this.#steps.set(key, byKey);
  }

  async listSteps(tenant: string, runId: string): Promise<readonly StepRecord[]> {
    const steps = [...(this.#steps.get(tenantKey(tenant, runId))?.values() ?? [])];
    return steps.sort((a, b) => a.generation - b.generation || a.seq - b.seq).map((s) => structuredClone(s));
  }

  async listStale(query: StaleRunQuery): Promise<readonly RunRecord[]> {
    const before = Date.parse(query.updatedBefore);
    return [...this.#runs.values()]
      .filter((r) => r.engine === query.engine && (r.status === 'RUNNING' || r.status === 'WAITING') && Date.parse(r.updatedAt) < before)
      .filter((r) => query.afterRunId === undefined || r.runId > query.afterRunId)
      .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0))
      .slice(0, Math.max(1, Math.floor(query.limit)))
      .map((r) => structuredClone(r));
  }
}
