import type { JsonValue, Step, StepRecord, StepStatus, WorkflowError } from '@baton/event-schemas';
import { currentIteration, currentPath, recordKey } from './ids.js';
import type { Tick } from './tick.js';

/** Creates the RUNNING record of a step starting at the current position (next seq). */
export function newStepRecord(tick: Tick, step: Step, attempt = 1): StepRecord {
  const { state } = tick;
  const iteration = currentIteration(state);
  const record: StepRecord = {
    key: recordKey(step.id, iteration),
    stepId: step.id,
    stepType: step.type,
    path: currentPath(state, step.id),
    iteration,
    generation: state.generation,
    seq: state.seq++,
    status: 'RUNNING',
    attempt,
    startedAt: tick.now,
  };
  tick.touch(record);
  return record;
}

/** Sets a record's status (WAITING/RUNNING) without finishing it. */
export function markRecord(tick: Tick, record: StepRecord, status: 'RUNNING' | 'WAITING', error?: WorkflowError): void {
  record.status = status;
  if (error) record.error = error;
  else delete record.error;
  tick.touch(record);
}

/** Finishes a record with a final status; sets the output if given (keeps an earlier one), replaces the error. */
export function finishRecord(
  tick: Tick,
  record: StepRecord,
  status: Exclude<StepStatus, 'RUNNING' | 'WAITING'>,
  result: { output?: JsonValue; error?: WorkflowError } = {},
): void {
  record.status = status;
  record.completedAt = tick.now;
  if (result.output !== undefined) record.output = result.output;
  if (result.error !== undefined) record.error = result.error;
  else delete record.error;
  tick.touch(record);
}

/** Reopens a finished record (operator retry): RUNNING again at the given attempt. */
export function reopenRecord(tick: Tick, record: StepRecord, attempt: number): void {
  record.status = 'RUNNING';
  record.attempt = attempt;
  delete record.completedAt;
  delete record.error;
  tick.touch(record);
}
