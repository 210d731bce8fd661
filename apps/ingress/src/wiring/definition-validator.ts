import { createActionRegistry, validateDefinition, type DefinitionValidator } from '@baton/runtime-core';

/** Options of {@link createDefinitionValidator}. */
export interface DefinitionValidatorOptions {
  /** accept `test.fail@1` and `test.flaky@1` (`BATON_ENABLE_TEST_ACTIONS=1`) @default false */
  readonly enableTestActions?: boolean;
}

/** Publish-time validation against the built-in actions (the ones workers register). */
export function createDefinitionValidator(options: DefinitionValidatorOptions = {}): DefinitionValidator {
  const actions = createActionRegistry({ enableTestActions: options.enableTestActions ?? false });
  return (json) => validateDefinition(json, { actions });
}
