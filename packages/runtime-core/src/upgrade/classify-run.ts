import type { JsonValue, RunStatus, RunWait, StepTreeDiff, UpgradeBlockReason, UpgradeClass } from '@baton/event-schemas';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import { indexSteps } from './step-tree-diff.js';

/** The two versions a plan compares. */
export interface UpgradeVersions {
  readonly from: { readonly definition: unknown };
  readonly to: { readonly definition: unknown };
  readonly diff: StepTreeDiff;
}

/** What the planner knows of an in-flight run: its status, input and open waits (as `getRun` shows them). */
export interface InFlightRun {
  readonly status: RunStatus;
  readonly input: JsonValue;
  readonly waits: readonly Pick<RunWait, 'stepId'>[];
}

/** The class of a run, with why it does not move now and the step concerned. */
export interface RunClassification {
  readonly class: UpgradeClass;
  readonly reason?: UpgradeBlockReason;
  readonly stepPath?: string;
}

function inputSchemaOf(definition: unknown): unknown {
  return typeof definition === 'object' && definition !== null ? (definition as { inputSchema?: unknown }).inputSchema : undefined;
}

/** Whether the definition has a `control.continueAsNew` step that re-resolves the version (not `pinVersion`). */
export function continuesAsNew(definition: unknown): boolean {
  return [...indexSteps(definition).values()].some((step) => step.type === 'control.continueAsNew' && !/"pinVersion":true/.test(step.own));
}

/**
 * Classifies an in-flight run of `from`:
 * - `MOVES_NOW`: it waits (status WAITING, at least one open wait) and every step it waits at exists
 *   unchanged in `to`, and its input satisfies `to`'s inputSchema (checked only when the schema differs);
 * - otherwise `MOVES_AT_CONTINUE_AS_NEW` when `from` has an unpinned `control.continueAsNew` step
 *   (the next generation resolves the version policy again), else `CANNOT_MOVE`; both carry the reason
 *   it does not move now: `NOT_AT_A_WAIT` (running a step), `STEP_REMOVED`, `STEP_CHANGED`, `INPUT_INCOMPATIBLE`.
 */
export function classifyRun(versions: UpgradeVersions, run: InFlightRun): RunClassification {
  const blocked = blockOf(versions, run);
  if (!blocked) return { class: 'MOVES_NOW', ...pathOf(versions, run) };
  return { class: continuesAsNew(versions.from.definition) ? 'MOVES_AT_CONTINUE_AS_NEW' : 'CANNOT_MOVE', ...blocked };
}

function pathOf(versions: UpgradeVersions, run: InFlightRun): { stepPath?: string } {
  const first = run.waits[0];
  const path = first === undefined ? undefined : indexSteps(versions.from.definition).get(first.stepId)?.path;
  return path === undefined ? {} : { stepPath: path };
}

function blockOf(versions: UpgradeVersions, run: InFlightRun): { reason: UpgradeBlockReason; stepPath?: string } | undefined {
  if (run.status !== 'WAITING' || run.waits.length === 0) return { reason: 'NOT_AT_A_WAIT' };
  const fromSteps = indexSteps(versions.from.definition);
  const removed = new Set(versions.diff.removed.map((s) => s.stepId));
  const changed = new Set(versions.diff.changed.map((s) => s.stepId));
  for (const wait of run.waits) {
    const at = fromSteps.get(wait.stepId)?.path;
    const where = at === undefined ? {} : { stepPath: at };
    if (removed.has(wait.stepId) || at === undefined) return { reason: 'STEP_REMOVED', ...where };
    if (changed.has(wait.stepId)) return { reason: 'STEP_CHANGED', ...where };
  }
  const fromSchema = inputSchemaOf(versions.from.definition);
  const toSchema = inputSchemaOf(versions.to.definition);
  if (JSON.stringify(fromSchema) !== JSON.stringify(toSchema) && !validateAgainstJsonSchema(toSchema, run.input).ok) {
    return { reason: 'INPUT_INCOMPATIBLE', ...pathOf(versions, run) };
  }
  return undefined;
}
