import type { WorkflowError } from '@baton/event-schemas';

/** Thrown inside step executors to raise a workflow error; the scheduler turns it into the error rules. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(readonly error: WorkflowError) {
    super(error.message);
  }
}
