/** Status of one execution of a step, as run projections report it. */
export const StepStatus = {
  RUNNING: 'RUNNING',
  WAITING: 'WAITING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];
