import { z } from 'zod';

/** Every step type of definition format v1. */
export const STEP_TYPE = {
  actionCall: 'action.call',
  transformAssign: 'transform.assign',
  if: 'control.if',
  forEach: 'control.forEach',
  tryCatch: 'control.tryCatch',
  callWorkflow: 'control.callWorkflow',
  return: 'control.return',
  fail: 'control.fail',
  continueAsNew: 'control.continueAsNew',
  eventWait: 'event.wait',
  timeWait: 'time.wait',
  humanTask: 'human.task',
} as const;

/** The `type` discriminator of a step. */
export const StepType = z.enum(Object.values(STEP_TYPE) as [StepType, ...StepType[]]);
export type StepType = (typeof STEP_TYPE)[keyof typeof STEP_TYPE];

/** Fields of a step that hold nested step lists, per container step type. */
export const STEP_BRANCHES = {
  'control.if': ['then', 'else'],
  'control.forEach': ['body'],
  'control.tryCatch': ['try', 'catch'],
} as const satisfies Partial<Record<StepType, readonly string[]>>;

/** Name of a field that holds a nested step list. */
export type StepBranch = (typeof STEP_BRANCHES)[keyof typeof STEP_BRANCHES][number];
