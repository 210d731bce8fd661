// The language half of the public API: interpreter, definition validation, actions, hashing.
// (The conformance kit is its own entry point: `@baton/runtime-core/conformance`.)
export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';
export { checkJsonSchema, type SchemaProblem } from './json-schema/check-json-schema.js';
export * from './interpreter/index.js';
export { canonicalJson, contentHash, sha256Hex, unitIntervalOf, uuidFromName, NotJsonError } from './hashing/content-hash.js';
export { DEFINITION_ISSUE_CODE, type DefinitionIssue, type DefinitionIssueCode } from './definition-validation/definition-issue.js';
export type { ActionCatalog } from './definition-validation/semantic-checks.js';
export {
  validateDefinition,
  definitionHash,
  DEFAULT_MAX_DEFINITION_BYTES,
  type ValidateDefinitionOptions,
  type DefinitionValidation,
  referencedSecretNames,
} from './definition-validation/validate-definition.js';
export type { KnownSecrets } from './definition-validation/check-secret-refs.js';
export {
  defineAction,
  ActionFailure,
  type ActionDefinition,
  type AnyActionDefinition,
  type ActionContext,
  type ActionLogger,
} from './actions/action-definition.js';
export { ActionRegistry, ActionRegistryError } from './actions/action-registry.js';
export { describeAction, type ActionDescriptor } from './actions/describe-action.js';
export { actionCatalogOf } from './actions/descriptor-catalog.js';
export {
  executeAction,
  actionResultInput,
  ACTION_ERROR_CODE,
  type ActionResult,
  type ActionResultStore,
  type ActionInvocation,
  type ExecuteActionContext,
} from './actions/execute-action.js';
export { builtinActions, createActionRegistry, type BuiltinActionOptions } from './actions/builtin/builtin-actions.js';
export { coreEcho } from './actions/builtin/core-echo.js';
export { coreLog } from './actions/builtin/core-log.js';
export {
  httpRequest,
  createHttpRequestAction,
  HTTP_REQUEST_DEFAULT_TIMEOUT_MS,
  HTTP_REQUEST_DEFAULT_MAX_RESPONSE_BYTES,
  type HttpRequestOptions,
} from './actions/builtin/http-request.js';
export { parseEgressAllowList, EgressAllowListError, type EgressAllowList } from './actions/builtin/egress-policy.js';
export type { HostResolver, ResolvedAddress } from './actions/builtin/pinned-http-request.js';
export { testFail, testFlaky } from './actions/builtin/test-actions.js';
export { testActionsEnabledFromEnv, TEST_ACTIONS_ENV } from './actions/test-actions-env.js';
