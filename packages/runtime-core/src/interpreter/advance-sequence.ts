// The sequence check of a driver that runs `advance` out of process (a Temporal local activity):
// each advance carries the run's input sequence number (inputs applied so far in this run) and its
// result must echo it. A result recorded for another advance (a history replayed against shell
// code that calls advance in another order, a mixed-up response) is never applied: the run fails
// `SEQUENCE_MISMATCH`.
import type { WorkflowError } from '@baton/event-schemas';
import { workflowError } from './workflow-errors.js';

/** Code of the run failure a sequence mismatch gives (also listed in runtime-core's `ErrorCode`). */
export const SEQUENCE_MISMATCH = 'SEQUENCE_MISMATCH';

/** An advance result as a remote interpreter answers it: the sequence number it was asked for. */
export interface SequencedResult {
  readonly sequence: number;
}

/**
 * `undefined` when the result echoes `expected`; otherwise the run's error (`TransientError`
 * `SEQUENCE_MISMATCH`, an engine fault: not catchable by the definition, the run has ended).
 */
export function checkAdvanceSequence(expected: number, result: SequencedResult | undefined): WorkflowError | undefined {
  const echoed = result?.sequence;
  if (Number.isSafeInteger(echoed) && echoed === expected) return undefined;
  return workflowError(
    'TransientError',
    SEQUENCE_MISMATCH,
    `the interpreter answered advance ${typeof echoed === 'number' ? echoed : String(echoed)} where advance ${expected} was expected; the result was not applied`,
    undefined,
    { expected, received: typeof echoed === 'number' ? echoed : null },
  );
}
