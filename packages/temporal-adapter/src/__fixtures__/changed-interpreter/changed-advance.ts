// A changed but compatible interpreter release for the upgrade tests: runtime-core's advance,
// except that every accepted input also arms a 1 ms "warm-up" timer (a command older histories
// never saw; its firing is refused as stale, so the run's semantics stay the same).
import { advance, type Advance, type InterpreterInput } from '@baton/runtime-core/pure';

/** Inputs the changed interpreter was asked to apply, in order (the test reads it; the worker side only). */
export const changedAdvanceCalls: InterpreterInput['type'][] = [];

export const changedAdvance: Advance = async (definition, state, input, options) => {
  changedAdvanceCalls.push(input.type);
  const result = await advance(definition, state, input, options);
  if (!result.accepted) return result;
  const warmUp = { type: 'StartTimer' as const, timerId: `warm-up:${result.state.seq}:${result.state.executedSteps}`, stepId: 'warm-up', fireAt: input.now, reason: 'sleep' as const };
  return { ...result, commands: [warmUp, ...result.commands] };
};
