// The Temporal workflow that runs a Baton definition. Handlers are registered before the
// first await so signals and updates that arrive with the start are never lost.
import { setHandler } from '@temporalio/workflow';
import type { JsonValue } from '@baton/event-schemas';
import { RunDriver } from './run-driver.js';
import type { BatonRunArgs } from './run-args.js';
import { TASK_REJECTION_CODE, taskRejectionFailure } from './task-rejection.js';
import { cancelReasonSignal, completeTaskUpdate, eventSignal, humanTaskSignal, stateQuery } from './workflow-messages.js';

/** Runs one Baton run (one generation per Temporal run chain link) and returns its output. */
export async function batonRun(args: BatonRunArgs): Promise<JsonValue> {
  const driver = new RunDriver(args);
  setHandler(eventSignal, (event) => driver.receiveEvent(event));
  setHandler(humanTaskSignal, (completion) => driver.receiveTaskSignal(completion));
  setHandler(cancelReasonSignal, (reason) => driver.receiveCancelReason(reason));
  setHandler(
    completeTaskUpdate,
    async (completion) => {
      const outcome = await driver.completeTask(completion);
      if (outcome.rejection) {
        throw taskRejectionFailure(TASK_REJECTION_CODE.VALIDATION_ERROR, { category: 'ValidationError', ...outcome.rejection });
      }
      return { duplicate: outcome.duplicate };
    },
    {
      // Runs before the update is accepted: a refused completion leaves no trace in the history.
      validator: (completion) => {
        const problem = driver.taskCompletionProblem(completion);
        if (!problem) return;
        throw taskRejectionFailure(problem.kind === 'not-found' ? TASK_REJECTION_CODE.TASK_NOT_FOUND : TASK_REJECTION_CODE.VALIDATION_ERROR, problem.error);
      },
    },
  );
  setHandler(stateQuery, () => driver.view());
  return driver.run();
}
