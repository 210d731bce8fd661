// Where a run's interpreter runs. The driver asks an Advancer for every `advance`; the worker's
// interpreter mode picks which one (a workflow bundle entry per mode, see README "Interpreter
// placement"). Sandbox-safe.
import type { WorkflowError } from '@baton/event-schemas';
import type { AdvanceOptions, AdvanceResult, InterpreterInput, InterpreterState } from '@baton/runtime-core/pure';
import type { BatonRunArgs } from './run-args.js';

/** Runs `advance` for one Temporal run of a Baton run (its definition and options are bound). */
export interface Advancer {
  advance(state: InterpreterState | undefined, input: InterpreterInput): Promise<AdvanceResult>;
  /** Advances asked so far in this run and generation (carried across an automatic continue-as-new); `undefined` when not counted. */
  readonly sequence: number | undefined;
}

/**
 * Builds the Advancer of one Temporal run. `args` answers the run's current arguments: a definition
 * upgrade (`baton.upgradeDefinition`) replaces them between two inputs, and the next advance runs the
 * new version.
 */
export type AdvancerFactory = (args: () => BatonRunArgs, options: AdvanceOptions) => Advancer;

/** The run must end now with this error (e.g. `SEQUENCE_MISMATCH`); the driver writes the projection and fails the workflow. */
export class RunAbort extends Error {
  override readonly name = 'RunAbort';
  constructor(readonly error: WorkflowError) {
    super(error.message);
  }
}
