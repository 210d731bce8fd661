import type { PlannedStep, StepTreeDiff } from '@baton/event-schemas';
import { BRANCH_FIELDS, findSteps } from '../definition-validation/walk-steps.js';

/** A step of a definition indexed by id: its path and its own definition (nested step lists left out). */
export interface IndexedStep {
  readonly path: string;
  readonly own: string;
  readonly type: unknown;
  /** the step list holding it: `steps`, or `<container id>.<branch>` (its index in the list is not part of it) */
  readonly parent: string;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/** JSON with object keys sorted, so key order does not make two steps differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The steps of a definition by id (ids are unique within a published definition). */
export function indexSteps(definition: unknown): ReadonlyMap<string, IndexedStep> {
  const index = new Map<string, IndexedStep>();
  const idAt = new Map<string, string>();
  for (const { step, path } of findSteps(definition)) {
    if (typeof step.id !== 'string') continue;
    const own = Object.fromEntries(Object.entries(step).filter(([field]) => !BRANCH_FIELDS.includes(field)));
    const holder = path.slice(0, -2);
    const parent = holder.length === 0 ? 'steps' : `${idAt.get(formatPath(holder)) ?? formatPath(holder)}.${String(path[path.length - 2])}`;
    idAt.set(formatPath(path), step.id);
    index.set(step.id, { path: formatPath(path), own: canonicalJson(own), type: step.type, parent });
  }
  return index;
}

/**
 * The step-tree diff of two definitions, by step id: `added` (only in `to`), `removed` (only in
 * `from`), `changed` (in both, with a different own definition, nested step lists excluded, or moved
 * to another step list: it would continue elsewhere). A step moved within its list, e.g. after an
 * insertion before it, is not changed. Each list in document order of its definition.
 */
export function diffStepTrees(from: unknown, to: unknown): StepTreeDiff {
  const before = indexSteps(from);
  const after = indexSteps(to);
  const added: PlannedStep[] = [];
  const changed: PlannedStep[] = [];
  for (const [stepId, step] of after) {
    const old = before.get(stepId);
    if (!old) added.push({ stepId, path: step.path });
    else if (old.own !== step.own || old.parent !== step.parent) changed.push({ stepId, path: step.path });
  }
  const removed = [...before].filter(([stepId]) => !after.has(stepId)).map(([stepId, step]) => ({ stepId, path: step.path }));
  return { added, removed, changed };
}
