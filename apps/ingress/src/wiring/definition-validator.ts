import {
  actionCatalogOf,
  createActionRegistry,
  EMPTY_SECRET_STORE,
  knownSecretsFor,
  validateDefinition,
  type ActionCatalog,
  type ActionRegistry,
  type DefinitionValidator,
  type SecretStore,
} from '@baton/runtime-core';
import type { ActionCatalogSource } from '../actions/action-catalog-source.js';

/** Options of {@link builtinActionRegistry}. */
export interface ActionRegistryOptions {
  /** include `test.fail@1` and `test.flaky@1` (`BATON_ENABLE_TEST_ACTIONS=1`) @default false */
  readonly enableTestActions?: boolean;
}

/** The built-in actions (the ones every Baton worker registers). */
export function builtinActionRegistry(options: ActionRegistryOptions = {}): ActionRegistry {
  return createActionRegistry({ enableTestActions: options.enableTestActions ?? false });
}

/** Publish-time validation of definitions against a fixed set of actions (ids only) and the tenant's secrets. */
export function createDefinitionValidator(actions: ActionCatalog, secrets: SecretStore = EMPTY_SECRET_STORE): DefinitionValidator {
  return async (json, publish) => validateDefinition(json, { actions, ...(publish ? { secrets: await knownSecretsFor(secrets, publish.tenant, json) } : {}) });
}

/**
 * Publish-time validation against the catalog as it is now: the built-ins plus what live workers
 * provide (unknown action@version → `UNKNOWN_ACTION`; literal input parts checked against the
 * action's input schema → `INVALID_ACTION_INPUT`), and `{"$secret": name}` against the publishing
 * tenant's secrets (`UNKNOWN_SECRET`).
 */
export function createCatalogDefinitionValidator(catalog: ActionCatalogSource, secrets: SecretStore = EMPTY_SECRET_STORE): DefinitionValidator {
  return async (json, publish) =>
    validateDefinition(json, { actions: actionCatalogOf(await catalog.list()), ...(publish ? { secrets: await knownSecretsFor(secrets, publish.tenant, json) } : {}) });
}
