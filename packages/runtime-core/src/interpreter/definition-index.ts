import type { Step, WorkflowDefinition } from '@baton/event-schemas';
import { INTERPRETER_ERROR_CODE, InterpreterError } from './interpreter-error.js';
import type { BlockBranch, BlockFrame } from './state.js';

/** Steps of a definition by id, built once per definition object. */
export interface DefinitionIndex {
  readonly definition: WorkflowDefinition;
  readonly steps: ReadonlyMap<string, Step>;
}

const indexes = new WeakMap<WorkflowDefinition, DefinitionIndex>();

function branchesOf(step: Step): [BlockBranch, Step[]][] {
  switch (step.type) {
    case 'control.if':
      return step.else ? [['then', step.then], ['else', step.else]] : [['then', step.then]];
    case 'control.forEach':
      return [['body', step.body]];
    case 'control.tryCatch':
      return [['try', step.try], ['catch', step.catch]];
    default:
      return [];
  }
}

/** Indexes the steps of a (validated) definition; the first of duplicate ids wins. */
export function indexDefinition(definition: WorkflowDefinition): DefinitionIndex {
  let index = indexes.get(definition);
  if (index) return index;
  const steps = new Map<string, Step>();
  const visit = (list: readonly Step[]): void => {
    for (const step of list) {
      if (!steps.has(step.id)) steps.set(step.id, step);
      for (const [, nested] of branchesOf(step)) visit(nested);
    }
  };
  visit(definition.steps);
  index = { definition, steps };
  indexes.set(definition, index);
  return index;
}

/** The step list a block frame walks. */
export function blockSteps(index: DefinitionIndex, frame: Pick<BlockFrame, 'owner' | 'branch'>): readonly Step[] {
  if (frame.owner === null) return index.definition.steps;
  const owner = index.steps.get(frame.owner);
  const branch = owner ? branchesOf(owner).find(([name]) => name === frame.branch) : undefined;
  if (!branch) {
    throw new InterpreterError(INTERPRETER_ERROR_CODE.UNKNOWN_STEP, `the definition has no step list ${frame.owner}.${frame.branch}`, 'state.stack');
  }
  return branch[1];
}

/** The step with this id. */
export function stepById(index: DefinitionIndex, stepId: string): Step {
  const step = index.steps.get(stepId);
  if (!step) throw new InterpreterError(INTERPRETER_ERROR_CODE.UNKNOWN_STEP, `the definition has no step "${stepId}"`, 'state');
  return step;
}
