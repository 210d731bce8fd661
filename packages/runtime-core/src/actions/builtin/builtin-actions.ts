import type { AnyActionDefinition } from '../action-definition.js';
import { ActionRegistry } from '../action-registry.js';
import { coreEcho } from './core-echo.js';
import { coreLog } from './core-log.js';
import { createHttpRequestAction, type HttpRequestOptions } from './http-request.js';
import { testFail, testFlaky } from './test-actions.js';

/** Options of {@link builtinActions} / {@link createActionRegistry}. */
export interface BuiltinActionOptions {
  /** Register `test.fail@1` and `test.flaky@1` (apps pass `testActionsEnabledFromEnv()`). @default false */
  readonly enableTestActions?: boolean;
  /** Egress policy and response limit of `http.request@1` (apps pass `BATON_HTTP_ALLOW`, `BATON_HTTP_MAX_RESPONSE_BYTES`). @default public addresses only, 1 MiB */
  readonly http?: HttpRequestOptions;
}

/** The built-in actions: core.echo@1, core.log@1, http.request@1 (+ the test actions when enabled). */
export function builtinActions(options: BuiltinActionOptions = {}): AnyActionDefinition[] {
  const actions: AnyActionDefinition[] = [coreEcho, coreLog, createHttpRequestAction(options.http)];
  if (options.enableTestActions) actions.push(testFail, testFlaky);
  return actions;
}

/** A registry with the built-in actions plus `extra` ones. */
export function createActionRegistry(options: BuiltinActionOptions & { readonly actions?: Iterable<AnyActionDefinition> } = {}): ActionRegistry {
  const registry = new ActionRegistry(builtinActions(options));
  for (const action of options.actions ?? []) registry.register(action);
  return registry;
}
