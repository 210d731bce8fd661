import { createActionRegistry, validateDefinition, type ActionRegistry, type DefinitionValidator } from '@baton/runtime-core';

/** Options of {@link builtinActionRegistry}. */
export interface ActionRegistryOptions {
  /** include `test.fail@1` and `test.flaky@1` (`BATON_ENABLE_TEST_ACTIONS=1`) @default false */
  readonly enableTestActions?: boolean;
}

/** The built-in actions (the ones Baton workers register), for publish-time checks. */
export function builtinActionRegistry(options: ActionRegistryOptions = {}): ActionRegistry {
  return createActionRegistry({ enableTestActions: options.enableTestActions ?? false });
}

/** Publish-time validation of definitions against `actions`. */
export function createDefinitionValidator(actions: ActionRegistry): DefinitionValidator {
  return (json) => validateDefinition(json, { actions });
}
