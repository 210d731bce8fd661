// Which worker deployment version a Baton Temporal run is pinned to, as Temporal describes it.
import type { Client } from '@temporalio/client';
import { decodeVersioningBehavior, WorkflowNotFoundError } from '@temporalio/common';
import { BatonError, ErrorCode, type RunRecord, type RunStore } from '@baton/runtime-core';
import { workflowIdForRun } from '../workflows/workflow-messages.js';

/** Where a run is pinned. */
export interface RunPin {
  readonly taskQueue: string;
  readonly deploymentName: string;
  readonly buildId: string;
  /** pinned by a versioning override (a drain or an operator), not by the build's PINNED behaviour */
  readonly byOverride: boolean;
}

/** What Temporal says of a run: not found, not running, running unpinned, or pinned. */
export type RunPinState = { readonly kind: 'NOT_FOUND' | 'CLOSED' | 'NOT_PINNED' } | ({ readonly kind: 'PINNED' } & RunPin);

/** Temporal could not be asked: a listing cannot answer "none" (`ENGINE_UNAVAILABLE`). */
export function temporalUnavailable(what: string, error: unknown): BatonError {
  return new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `Temporal could not be asked ${what}: ${error instanceof Error ? error.message : String(error)}`, {
    details: { engine: 'temporal' },
    cause: error,
  });
}

/** The run's pinned version: a pinned versioning override, else the `PINNED` behaviour's deployment version. */
export async function describeRunPin(client: Pick<Client, 'workflow'>, runId: string): Promise<RunPinState> {
  let described;
  try {
    described = await client.workflow.getHandle(workflowIdForRun(runId)).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { kind: 'NOT_FOUND' };
    throw temporalUnavailable('for a run', error);
  }
  if (described.status.name !== 'RUNNING') return { kind: 'CLOSED' };
  const info = described.raw.workflowExecutionInfo?.versioningInfo;
  const override = info?.versioningOverride?.pinned?.version;
  const pinned = override ?? (decodeVersioningBehavior(info?.behavior) === 'PINNED' ? info?.deploymentVersion : undefined);
  if (!pinned?.buildId || !pinned.deploymentName) return { kind: 'NOT_PINNED' };
  return { kind: 'PINNED', taskQueue: described.taskQueue, deploymentName: pinned.deploymentName, buildId: pinned.buildId, byOverride: override != null };
}

/** Newest first by (createdAt, runId), like `RunStore.list`. */
function newestFirst(a: RunRecord, b: RunRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/** A tenant's newest `batch` unfinished Temporal runs (primaries only), optionally of one workflow. */
export async function unfinishedTemporalRuns(runs: RunStore, tenant: string, batch: number, workflow?: string): Promise<RunRecord[]> {
  const filter = { engine: 'temporal' as const, limit: batch, ...(workflow === undefined ? {} : { workflow }) };
  const [running, waiting] = await Promise.all([runs.list(tenant, { ...filter, status: 'RUNNING' }), runs.list(tenant, { ...filter, status: 'WAITING' })]);
  return [...running.items, ...waiting.items]
    .filter((r) => r.shadow?.role !== 'shadow')
    .sort(newestFirst)
    .slice(0, batch);
}

/** Runs `fn` over `items` with at most `limit` calls in flight, answers in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** `deploymentName\0buildId`. */
export const versionKey = (v: { readonly deploymentName: string; readonly buildId: string }): string => `${v.deploymentName}\0${v.buildId}`;
