import { ActionRegistry, type AnyActionDefinition } from '@baton/runtime-core';

/** Outcome label of one action attempt. */
export const ACTION_OUTCOME = { ok: 'ok', error: 'error' } as const;
export type ActionOutcome = (typeof ACTION_OUTCOME)[keyof typeof ACTION_OUTCOME];

/** Receives the duration of each action attempt. */
export type ActionObserver = (action: AnyActionDefinition, outcome: ActionOutcome, seconds: number) => void;

/**
 * A registry with the same actions whose handlers report each attempt's wall time; input and
 * output validation, retry classification and results are unchanged.
 */
export function instrumentActions(registry: ActionRegistry, observe: ActionObserver): ActionRegistry {
  return new ActionRegistry(
    registry.list().map(
      (action): AnyActionDefinition => ({
        ...action,
        handler: async (input: unknown, context) => {
          const started = performance.now();
          try {
            const output: unknown = await action.handler(input, context);
            observe(action, ACTION_OUTCOME.ok, (performance.now() - started) / 1000);
            return output;
          } catch (error) {
            observe(action, ACTION_OUTCOME.error, (performance.now() - started) / 1000);
            throw error;
          }
        },
      }),
    ),
  );
}
