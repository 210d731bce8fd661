// The move of one in-flight run to another version of its definition, decided from the run's own
// interpreter state (what the engine holds under the run's lock), not from its projection. Pure and
// sandbox-safe: the Temporal workflow asks the same question in its update handler.
import type { UpgradeBlockReason, UpgradeClass, WorkflowDefinition } from '@baton/event-schemas';
import { cloneJson } from '../interpreter/clone-json.js';
import { blockSteps, indexDefinition } from '../interpreter/definition-index.js';
import { InterpreterError } from '../interpreter/interpreter-error.js';
import { openWaits, runStatus } from '../interpreter/queries.js';
import type { Frame, InterpreterState } from '../interpreter/state.js';
import { classifyRun } from './classify-run.js';
import { diffStepTrees, indexSteps } from './step-tree-diff.js';

/** Why an apply skips a run besides the planner's reasons. */
export type RunUpgradeSkipReason = UpgradeBlockReason;

/** The verdict on one run: its state rewritten to `to`, or why it stays. */
export type RunUpgradeDecision =
  | { readonly kind: 'move'; readonly state: InterpreterState }
  | { readonly kind: 'skip'; readonly class: UpgradeClass; readonly reason: RunUpgradeSkipReason; readonly stepPath?: string };

/** A published version a run moves from or to. */
export interface UpgradeDefinition {
  readonly version: string;
  readonly definition: WorkflowDefinition;
}

function skip(cls: UpgradeClass, reason: RunUpgradeSkipReason, stepPath?: string): RunUpgradeDecision {
  return { kind: 'skip', class: cls, reason, ...(stepPath !== undefined ? { stepPath } : {}) };
}

/**
 * Moves a run of `from` to `to` at its current wait, with the same variables, input and positions:
 * - the run must still be on `from` (`NOT_ON_FROM_VERSION` otherwise: e.g. it moved already, or a
 *   continue-as-new took it elsewhere) and unfinished (`RUN_FINISHED`);
 * - {@link classifyRun} on the state (its status and open waits) must say `MOVES_NOW`, else the run is
 *   skipped with the class and reason the planner gives;
 * - every container the run is inside (if, forEach, tryCatch in progress) must be in `to` unchanged,
 *   in the same step list (`STEP_CHANGED` / `STEP_REMOVED` otherwise: its evaluated items or branch
 *   would not fit);
 * - the new state is the old one with `context.version = to.version` and each step-list position
 *   re-indexed to where the same step id sits in `to` (a step inserted before the wait shifts it).
 *   Steps `to` added before the current position are not run; those after it are.
 */
export function planRunUpgrade(from: UpgradeDefinition, to: UpgradeDefinition, state: InterpreterState): RunUpgradeDecision {
  if (state.context.version !== from.version) return skip('CANNOT_MOVE', 'NOT_ON_FROM_VERSION');
  if (state.status !== 'running') return skip('CANNOT_MOVE', 'RUN_FINISHED');
  const diff = diffStepTrees(from.definition, to.definition);
  const classification = classifyRun(
    { from: { definition: from.definition }, to: { definition: to.definition }, diff },
    { status: runStatus(state), input: state.input, waits: openWaits(state) },
  );
  if (classification.class !== 'MOVES_NOW') return skip(classification.class, classification.reason ?? 'NOT_AT_A_WAIT', classification.stepPath);
  const moved = cloneJson(state);
  const blocked = reindexStack(from.definition, to.definition, diff, moved.stack);
  if (blocked) return skip('CANNOT_MOVE', blocked.reason, blocked.stepPath);
  return { kind: 'move', state: { ...moved, context: { ...moved.context, version: to.version } } };
}

/** Re-points every block frame of `stack` (in place) at the same step id in `to`; the first blocking container otherwise. */
function reindexStack(
  from: WorkflowDefinition,
  to: WorkflowDefinition,
  diff: ReturnType<typeof diffStepTrees>,
  stack: Frame[],
): { reason: RunUpgradeSkipReason; stepPath?: string } | undefined {
  const before = indexDefinition(from);
  const after = indexDefinition(to);
  const paths = indexSteps(from);
  const changed = new Set(diff.changed.map((s) => s.stepId));
  for (const frame of stack) {
    if (frame.kind === 'control') {
      const at = paths.get(frame.stepId)?.path;
      const where = at === undefined ? {} : { stepPath: at };
      if (!after.steps.has(frame.stepId)) return { reason: 'STEP_REMOVED', ...where };
      if (changed.has(frame.stepId)) return { reason: 'STEP_CHANGED', ...where };
      continue;
    }
    let oldList;
    let newList;
    try {
      oldList = blockSteps(before, frame);
      newList = blockSteps(after, frame);
    } catch (error) {
      if (error instanceof InterpreterError) return { reason: 'STEP_CHANGED' };
      throw error;
    }
    const stepId = oldList[frame.index]?.id;
    if (stepId === undefined) {
      frame.index = newList.length;
      continue;
    }
    const index = newList.findIndex((step) => step.id === stepId);
    const at = paths.get(stepId)?.path;
    if (index < 0) return { reason: after.steps.has(stepId) ? 'STEP_CHANGED' : 'STEP_REMOVED', ...(at === undefined ? {} : { stepPath: at }) };
    frame.index = index;
  }
  return undefined;
}
