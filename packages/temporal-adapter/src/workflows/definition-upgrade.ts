// The `baton.upgradeDefinition` update (`baton upgrade apply`): moves the run to another version of its
// definition at its current wait. runtime-core's `planRunUpgrade` decides, in the validator (a refusal
// leaves no trace in the history) and again when the driver applies the move between two inputs (the
// run may have moved on meanwhile). Sandbox-safe.
import { ApplicationFailure } from '@temporalio/common';
import type { UpgradeBlockReason, UpgradeClass, WorkflowDefinition } from '@baton/event-schemas';
import { planRunUpgrade, type InterpreterState, type RunUpgradeDecision } from '@baton/runtime-core/pure';
import type { BatonRunArgs } from './run-args.js';

/** What the update carries: the version the caller saw the run on, and the version to move it to. */
export interface UpgradeDefinitionMessage {
  readonly from: { readonly version: string; readonly hash: string };
  readonly to: { readonly version: string; readonly hash: string; readonly definition: WorkflowDefinition };
}

/** What the update answers: moved, or skipped with the planner's class and reason. */
export type UpgradeDefinitionResult =
  | { readonly moved: true }
  | { readonly moved: false; readonly class: UpgradeClass; readonly reason: UpgradeBlockReason; readonly stepPath?: string };

/** Failure type of a move the validator refused (details: the skipped result). */
export const UPGRADE_SKIPPED = 'UPGRADE_SKIPPED';

/** runtime-core's decision for this run: its current definition and state against the message. */
export function decideUpgrade(args: BatonRunArgs, state: InterpreterState | undefined, message: UpgradeDefinitionMessage): RunUpgradeDecision {
  if (!state || args.context.version !== message.from.version || args.definitionHash !== message.from.hash) {
    return { kind: 'skip', class: 'CANNOT_MOVE', reason: state ? 'NOT_ON_FROM_VERSION' : 'NOT_AT_A_WAIT' };
  }
  return planRunUpgrade({ version: args.context.version, definition: args.definition }, { version: message.to.version, definition: message.to.definition }, state);
}

/** The skipped answer of a decision that is not a move. */
export function skippedResult(decision: Extract<RunUpgradeDecision, { kind: 'skip' }>): UpgradeDefinitionResult {
  return { moved: false, class: decision.class, reason: decision.reason, ...(decision.stepPath !== undefined ? { stepPath: decision.stepPath } : {}) };
}

/** The failure the validator throws to refuse a move. */
export function upgradeSkippedFailure(decision: Extract<RunUpgradeDecision, { kind: 'skip' }>): ApplicationFailure {
  return ApplicationFailure.create({ type: UPGRADE_SKIPPED, message: `the run does not move: ${decision.reason}`, nonRetryable: true, details: [skippedResult(decision)] });
}

/** The run's arguments on the new version (what continue-as-new carries on from here). */
export function upgradedArgs(args: BatonRunArgs, message: UpgradeDefinitionMessage): BatonRunArgs {
  return { ...args, context: { ...args.context, version: message.to.version }, definition: message.to.definition, definitionHash: message.to.hash };
}

/** A move waiting for the driver's next quiet point. */
export interface UpgradeTicket {
  readonly message: UpgradeDefinitionMessage;
  result?: UpgradeDefinitionResult;
}
