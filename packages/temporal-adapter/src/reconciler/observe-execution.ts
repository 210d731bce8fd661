import { WorkflowFailedError, type WorkflowClient } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { JsonValue } from '@baton/event-schemas';
import type { ExecutionObservation } from '@baton/runtime-core';
import { workflowErrorOf } from '../workflows/failure-types.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';

/**
 * What Temporal says about a run's workflow (the latest run of its continue-as-new chain):
 * `describe` for the status, and the close event (`result()`, one history event) for how it ended.
 */
export async function observeExecution(client: Pick<WorkflowClient, 'getHandle'>, runId: string): Promise<ExecutionObservation> {
  const handle = client.getHandle(workflowIdForRun(runId));
  let status: string;
  let closedAt: string | undefined;
  try {
    const description = await handle.describe();
    status = description.status.name;
    closedAt = description.closeTime?.toISOString();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { kind: 'missing' };
    throw error;
  }
  const at = closedAt === undefined ? {} : { closedAt };
  switch (status) {
    case 'COMPLETED':
      return { kind: 'completed', output: ((await handle.result()) as JsonValue | undefined) ?? null, ...at };
    case 'FAILED':
    case 'CANCELLED':
    case 'TERMINATED':
    case 'TIMED_OUT': {
      const cause = await handle.result().then(
        () => undefined,
        (error: unknown) => (error instanceof WorkflowFailedError ? error.cause : undefined),
      );
      if (status === 'FAILED') return { kind: 'failed', error: workflowErrorOf(cause), ...at };
      if (status === 'CANCELLED') return { kind: 'canceled', ...(cause instanceof CancelledFailure && cause.message ? { reason: cause.message } : {}), ...at };
      const reason = cause instanceof TerminatedFailure && cause.message ? { reason: cause.message } : {};
      return { kind: 'closedExternally', engineStatus: status, ...reason, ...at };
    }
    default:
      // RUNNING, CONTINUED_AS_NEW (the next run is starting), or a status this SDK does not know: leave it.
      return { kind: 'open' };
  }
}
