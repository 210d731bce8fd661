// Names and shapes of everything that talks to a running Baton workflow: the workflow type,
// its id scheme, signals, the task-completion update and the state query. Sandbox-safe, and
// shared with the client side so both agree on names and payloads.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JsonObject, JsonValue, RoutedEvent, RunStatus, RunWait } from '@baton/event-schemas';
import type { UpgradeDefinitionMessage, UpgradeDefinitionResult } from './definition-upgrade.js';

/** The Temporal workflow type that interprets Baton definitions. */
export const BATON_WORKFLOW_TYPE = 'batonRun';

/** Message names (API: changing one breaks running workflows and their clients). */
export const BATON_MESSAGE = {
  event: 'baton.event',
  humanTask: 'baton.humanTask',
  cancelReason: 'baton.cancelReason',
  completeTask: 'baton.completeTask',
  state: 'baton.state',
  upgradeDefinition: 'baton.upgradeDefinition',
} as const;
export type BatonMessage = (typeof BATON_MESSAGE)[keyof typeof BATON_MESSAGE];

const WORKFLOW_ID_PREFIX = 'baton:run:';

/** The Temporal workflow id of a Baton run: `baton:run:<runId>`. */
export function workflowIdForRun(runId: string): string {
  return `${WORKFLOW_ID_PREFIX}${runId}`;
}

/** The run id of a Baton workflow id, `undefined` for any other workflow id. */
export function runIdOfWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : undefined;
}

/** A human task completion as the workflow receives it. */
export interface TaskCompletionMessage {
  readonly taskId: string;
  readonly response: JsonValue;
  readonly completedBy?: string;
}

/** What the `baton.completeTask` update answers once the run applied the completion. */
export interface TaskCompletionResult {
  /** `true` when this task had already been completed (nothing changed). */
  readonly duplicate: boolean;
}

/** What the `baton.state` query answers. */
export interface BatonRunStateView {
  readonly runId: string;
  readonly workflow: string;
  readonly version: string;
  readonly status: RunStatus;
  /** The leaf step in progress, when there is one. */
  readonly currentStepId?: string;
  readonly openWaits: readonly RunWait[];
  /** continue-as-new generation of the definition (`control.continueAsNew`). */
  readonly generation: number;
  /** Steps executed in this Temporal run (resets on every continue-as-new). */
  readonly stepsThisRun: number;
  /** Events received and not yet consumed by a wait. */
  readonly bufferedEvents: number;
  /** The run's variables (`vars`), once it started (entity workflows show them as the entity's state). */
  readonly vars?: JsonObject;
}

/** Delivers a routed event; duplicates (same event id) are ignored, also across continue-as-new. */
export const eventSignal = defineSignal<[RoutedEvent]>(BATON_MESSAGE.event);
/** Delivers a human task completion without waiting for it to be applied (the update is preferred). */
export const humanTaskSignal = defineSignal<[TaskCompletionMessage]>(BATON_MESSAGE.humanTask);
/** Records why the run is about to be cancelled (sent right before the cancel request). */
export const cancelReasonSignal = defineSignal<[string]>(BATON_MESSAGE.cancelReason);
/** Completes a human task; rejected by the validator (run untouched) when the response does not fit the form. */
export const completeTaskUpdate = defineUpdate<TaskCompletionResult, [TaskCompletionMessage]>(BATON_MESSAGE.completeTask);
/**
 * Moves the run to another version of its definition at its current wait (`baton upgrade apply`); the
 * validator refuses (failure type `UPGRADE_SKIPPED`, no history event) a run runtime-core's
 * `planRunUpgrade` does not move.
 */
export const upgradeDefinitionUpdate = defineUpdate<UpgradeDefinitionResult, [UpgradeDefinitionMessage]>(BATON_MESSAGE.upgradeDefinition);
/** Current step, open waits and status of the run. */
export const stateQuery = defineQuery<BatonRunStateView>(BATON_MESSAGE.state);
