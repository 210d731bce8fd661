import { isTerminalRunStatus } from '@baton/event-schemas';
import type { EventInbox, InboxEvent, RunStore, TaskStore, WaitIndex } from '@baton/runtime-core';
import { isBatonError, ErrorCode } from '@baton/runtime-core';
import type { ProjectionBatch, ProjectionWriteResult } from '../workflows/activity-contracts.js';

/** The projection ports a Baton worker writes Temporal runs into. */
export interface ProjectionStores {
  readonly runs: RunStore;
  readonly waits: WaitIndex;
  readonly tasks: TaskStore;
  /** The event inbox that opened event waits read (SPEC-dsl "Event inbox"). @default none: waits take only routed events */
  readonly inbox?: EventInbox;
}

/** Statuses a Temporal run's projection row may still change from (a finished row never changes again). */
const UNFINISHED = ['RUNNING', 'WAITING'] as const;

/**
 * Applies a projection batch: waits and tasks opened, step records, waits and tasks closed,
 * then the run row. Every write is idempotent, so a retried batch changes nothing twice.
 *
 * Step records of a batch that leaves the run unfinished are written only while the run is
 * unfinished (atomically with that check), and a batch that finishes the run writes its step
 * records before the run row (while unfinished) and again after it. So a batch still in flight when the run was cancelled (an action
 * activity that had just started) cannot leave a step RUNNING in a CANCELED run.
 */
export async function writeProjection(stores: ProjectionStores, batch: ProjectionBatch): Promise<ProjectionWriteResult> {
  const { tenant, runId } = batch;
  const finishing = batch.run?.status !== undefined && isTerminalRunStatus(batch.run.status);
  for (const wait of batch.openedWaits) await stores.waits.open(tenant, { ...wait, runId, engine: 'temporal' });
  for (const task of batch.openedTasks) await stores.tasks.open(tenant, { ...task, runId, engine: 'temporal' });
  // A finishing batch writes its steps before the run row too (while the run is unfinished), so a reader
  // that sees the run finished sees its final steps (the shadow comparison relies on it); the write after
  // the run row covers a run that was finished meanwhile (a cancel).
  if (batch.steps.length) await stores.runs.upsertSteps(tenant, runId, batch.steps, { statusIn: UNFINISHED });
  for (const closed of batch.closedWaits) await stores.waits.close(tenant, runId, closed.waitId, closed.outcome, closed.at, closed.resolvedBy);
  for (const resolved of batch.resolvedTasks) {
    // The ingress records a completion before handing it to the run; a completion that reached
    // the run another way (a direct signal or update) is recorded here.
    const task = await stores.tasks.get(tenant, resolved.taskId);
    if (task?.status !== 'OPEN') continue;
    try {
      await stores.tasks.complete(tenant, resolved.taskId, {
        response: resolved.response,
        completedAt: resolved.at,
        ...(resolved.completedBy !== undefined ? { completedBy: resolved.completedBy } : {}),
      });
    } catch (error) {
      if (!isBatonError(error, ErrorCode.TASK_ALREADY_COMPLETED)) throw error;
    }
  }
  // The interpreter closed these without a response: a completion still pending hand-off lost to that.
  for (const closed of batch.closedTasks) await stores.tasks.close(tenant, closed.taskId, closed.at, closed.status);
  if (batch.run) await stores.runs.update(tenant, runId, batch.run, { statusIn: UNFINISHED });
  if (batch.steps.length && finishing) await stores.runs.upsertSteps(tenant, runId, batch.steps);
  return readInbox(stores, batch);
}

/**
 * The inbox events of each event wait the batch opened, read after the wait rows were committed:
 * an event recorded before this read is in its answer, one recorded after finds the wait in the
 * routing index and is signalled to the run, so no event falls between the two.
 */
async function readInbox(stores: ProjectionStores, batch: ProjectionBatch): Promise<ProjectionWriteResult> {
  if (!stores.inbox || !batch.inboxRequests?.length) return {};
  const inbox: Record<string, readonly InboxEvent[]> = {};
  for (const request of batch.inboxRequests) {
    inbox[request.waitId] = await stores.inbox.candidates(batch.tenant, { ...request, runId: batch.runId });
  }
  return { inbox };
}
