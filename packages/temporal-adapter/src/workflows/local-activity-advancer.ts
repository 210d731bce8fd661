// `localActivity` mode: every `advance` runs in a local activity, so a replay takes the recorded
// result and a new interpreter release applies to in-flight runs at their next step. Each call
// carries the run's input sequence number and the answer must echo it (runtime-core's
// `checkAdvanceSequence`); a mismatch ends the run `SEQUENCE_MISMATCH`, never applied. The answer
// is packed against the state and input sent (`advance-codec.ts`), so the marker stays small.
import { CancellationScope, proxyLocalActivities } from '@temporalio/workflow';
import { checkAdvanceSequence, type AdvanceResult, type InterpreterCommand, type InterpreterState } from '@baton/runtime-core/pure';
import type { AdvanceResponse, BatonActivities } from './activity-contracts.js';
import { advanceDictionary, isPackedAnswer, unpackAdvanceAnswer, type AdvanceAnswer } from './advance-codec.js';
import { RunAbort, type AdvancerFactory } from './advancer.js';
import { applyPatch, jsonAt } from './state-patch.js';

const advanceActivity = proxyLocalActivities<Pick<BatonActivities, 'batonAdvance'>>({
  startToCloseTimeout: '60s',
  // A store that does not answer (definition lookup) is retried; interpreter errors are non-retryable.
  retry: { initialInterval: '200ms', maximumInterval: '10s', backoffCoefficient: 2 },
}).batonAdvance;

export const localActivityAdvancer: AdvancerFactory = (args, options) => {
  let sequence = args().carried?.advanceSequence ?? 0;
  return {
    get sequence() {
      return sequence;
    },
    async advance(state, input): Promise<AdvanceResult> {
      const { context, definitionHash } = args();
      const expected = sequence;
      sequence += 1;
      // Not cancellable: a cancel request waits for the advance in flight (as it does in workflow mode),
      // so the input it applies is never lost; the driver sees the cancel at its next wait.
      const response = await CancellationScope.nonCancellable(() =>
        advanceActivity({
          tenant: context.tenant,
          runId: context.runId,
          definition: { workflow: context.workflow, version: context.version, hash: definitionHash },
          ...(state ? { state } : {}),
          input,
          ...(options.limits ? { options } : {}),
          sequence: expected,
        }),
      );
      const answer = isPackedAnswer(response) ? unpackAdvanceAnswer(response, advanceDictionary(state, input)) : legacyAnswer(state, response);
      const mismatch = checkAdvanceSequence(expected, answer);
      if (mismatch) throw new RunAbort(mismatch);
      return answer.result;
    },
  };
};

/** An answer recorded before answers were packed (a state patch, commands as paths into the state). */
function legacyAnswer(state: InterpreterState | undefined, response: AdvanceResponse): AdvanceAnswer {
  const { result } = response;
  let next: InterpreterState;
  if ('statePatch' in result) {
    if (!state) throw new Error('the interpreter answered a state patch for a Start');
    next = applyPatch(state, result.statePatch);
  } else {
    next = result.state;
  }
  const commands = result.commands.map((command) => {
    if (!('at' in command)) return command;
    const resolved = jsonAt(next as never, command.at);
    if (typeof resolved !== 'object' || resolved === null) throw new Error(`the interpreter answered a command at ${command.at.join('.')}, where the state has none`);
    return resolved as unknown as InterpreterCommand;
  });
  return { sequence: response.sequence, result: { steps: result.steps, accepted: result.accepted, ...(result.rejection ? { rejection: result.rejection } : {}), state: next, commands } };
}
