// The Temporal workflow that runs a Baton definition. Handlers are registered before the
// first await so signals and updates that arrive with the start are never lost.
import { setHandler } from '@temporalio/workflow';
import type { JsonValue } from '@baton/event-schemas';
import type { AdvancerFactory } from './advancer.js';
import { RunDriver } from './run-driver.js';
import type { BatonRunArgs } from './run-args.js';
import { TASK_REJECTION_CODE, taskRejectionFailure } from './task-rejection.js';
import { cancelReasonSignal, completeTaskUpdate, eventSignal, humanTaskSignal, stateQuery, upgradeDefinitionUpdate } from './workflow-messages.js';
import { workflowAdvancer } from './workflow-advancer.js';

/** Runs one Baton run (one generation per Temporal run chain link) and returns its output; the interpreter runs in the workflow. */
export async function batonRun(args: BatonRunArgs): Promise<JsonValue> {
  return runBaton(args, workflowAdvancer);
}

/** The `batonRun` workflow with the interpreter where `advancer` runs it (see `local-activity.ts`). */
export function createBatonRun(advancer: AdvancerFactory): (args: BatonRunArgs) => Promise<JsonValue> {
  return (args) => runBaton(args, advancer);
}

async function runBaton(args: BatonRunArgs, advancer: AdvancerFactory): Promise<JsonValue> {
  const driver = new RunDriver(args, advancer);
  setHandler(eventSignal, (event) => driver.receiveEvent(event));
  setHandler(humanTaskSignal, (completion) => driver.receiveTaskSignal(completion));
  setHandler(cancelReasonSignal, (reason) => driver.receiveCancelReason(reason));
  setHandler(
    completeTaskUpdate,
    async (completion) => {
      const outcome = await driver.completeTask(completion);
      if (outcome.rejection) {
        const type = outcome.rejection.code === TASK_REJECTION_CODE.TASK_ALREADY_CLOSED ? TASK_REJECTION_CODE.TASK_ALREADY_CLOSED : TASK_REJECTION_CODE.VALIDATION_ERROR;
        throw taskRejectionFailure(type, { category: 'ValidationError', ...outcome.rejection });
      }
      return { duplicate: outcome.duplicate };
    },
    {
      // Runs before the update is accepted: a refused completion leaves no trace in the history.
      validator: (completion) => {
        const problem = driver.taskCompletionProblem(completion);
        if (!problem) return;
        const type = problem.kind === 'not-found' ? TASK_REJECTION_CODE.TASK_NOT_FOUND : problem.kind === 'closed' ? TASK_REJECTION_CODE.TASK_ALREADY_CLOSED : TASK_REJECTION_CODE.VALIDATION_ERROR;
        throw taskRejectionFailure(type, problem.error);
      },
    },
  );
  setHandler(upgradeDefinitionUpdate, (message) => driver.upgradeDefinition(message), { validator: (message) => driver.validateUpgrade(message) });
  setHandler(stateQuery, () => driver.view());
  return driver.run();
}
