import type { Step } from '@baton/event-schemas';
import { actionCallExecutor } from './action-call.js';
import { callWorkflowExecutor } from './call-workflow.js';
import { continueAsNewExecutor } from './continue-as-new.js';
import { failExecutor } from './control-fail.js';
import { forEachExecutor } from './control-for-each.js';
import { ifExecutor } from './control-if.js';
import { returnExecutor } from './control-return.js';
import { tryCatchExecutor } from './control-try-catch.js';
import { eventWaitExecutor } from './event-wait.js';
import { humanTaskExecutor } from './human-task.js';
import type { ControlExecutor, LeafExecutor } from './step-outcome.js';
import { timeWaitExecutor } from './time-wait.js';
import { transformAssignExecutor } from './transform-assign.js';

type ContainerType = 'control.if' | 'control.forEach' | 'control.tryCatch';

const leaf: { [T in Exclude<Step['type'], ContainerType>]: LeafExecutor<Extract<Step, { type: T }>> } = {
  'action.call': actionCallExecutor,
  'transform.assign': transformAssignExecutor,
  'control.callWorkflow': callWorkflowExecutor,
  'control.return': returnExecutor,
  'control.fail': failExecutor,
  'control.continueAsNew': continueAsNewExecutor,
  'event.wait': eventWaitExecutor,
  'time.wait': timeWaitExecutor,
  'human.task': humanTaskExecutor,
};

const control: { [T in ContainerType]: ControlExecutor<Extract<Step, { type: T }>> } = {
  'control.if': ifExecutor,
  'control.forEach': forEachExecutor,
  'control.tryCatch': tryCatchExecutor,
};

/** True for if, forEach and tryCatch. */
export function isContainerStep(step: Step): step is Extract<Step, { type: ContainerType }> {
  return step.type in control;
}

/** The executor of a leaf step type. */
export function leafExecutorFor(step: Step): LeafExecutor {
  return leaf[step.type as keyof typeof leaf] as LeafExecutor;
}

/** The executor of a container step type. */
export function controlExecutorFor(step: Step): ControlExecutor {
  return control[step.type as ContainerType] as ControlExecutor;
}
