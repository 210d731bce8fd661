/**
 * Error codes of the Baton API (SPEC-api), one place for every layer: runtime-core raises
 * them, the ingress maps them to HTTP, clients match on them.
 */
export const ErrorCode = {
  WORKFLOW_VERSION_EXISTS: 'WORKFLOW_VERSION_EXISTS',
  INVALID_WORKFLOW_DEFINITION: 'INVALID_WORKFLOW_DEFINITION',
  WORKFLOW_NOT_FOUND: 'WORKFLOW_NOT_FOUND',
  /** a new run asked for a retired definition version (an exact policy, an explicit start version, a range only retired versions satisfy) */
  WORKFLOW_VERSION_RETIRED: 'WORKFLOW_VERSION_RETIRED',
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  TASK_ALREADY_COMPLETED: 'TASK_ALREADY_COMPLETED',
  /** the run closed the task (its timeout, the run's cancel) before it took this completion; details say how */
  TASK_ALREADY_CLOSED: 'TASK_ALREADY_CLOSED',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  RUN_ALREADY_FINISHED: 'RUN_ALREADY_FINISHED',
  RUN_NOT_FAILED: 'RUN_NOT_FAILED',
  RUN_NOT_WAITING: 'RUN_NOT_WAITING',
  WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED',
  WORKFLOW_TEMPORAL_CANCEL_FAILED: 'WORKFLOW_TEMPORAL_CANCEL_FAILED',
  ENGINE_ACTION_UNSUPPORTED: 'ENGINE_ACTION_UNSUPPORTED',
  WORKFLOW_ENGINE_AUTHORITY: 'WORKFLOW_ENGINE_AUTHORITY',
  ENGINE_UNAVAILABLE: 'ENGINE_UNAVAILABLE',
  ENGINE_OVERRIDE_NOT_ALLOWED: 'ENGINE_OVERRIDE_NOT_ALLOWED',
  ENGINE_DELIVERY_FAILED: 'ENGINE_DELIVERY_FAILED',
  CORRELATION_KEY_MISSING: 'CORRELATION_KEY_MISSING',
  INVALID_CORRELATION_CONFIG: 'INVALID_CORRELATION_CONFIG',
  INVALID_POLICY: 'INVALID_POLICY',
  /** raising the Temporal share while the workflow's rollout gate is not met (`?force=true` overrides) */
  ROLLOUT_GATE_NOT_MET: 'ROLLOUT_GATE_NOT_MET',
  TRIGGER_INPUT_FAILED: 'TRIGGER_INPUT_FAILED',
  /** an entity trigger's `entityKey` did not evaluate to a non-empty string or a finite number */
  ENTITY_KEY_INVALID: 'ENTITY_KEY_INVALID',
  ENTITY_NOT_FOUND: 'ENTITY_NOT_FOUND',
  /** the runtime was built without an entity store, so it cannot run entity workflows */
  ENTITIES_UNSUPPORTED: 'ENTITIES_UNSUPPORTED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** a JSON document holds what cannot be stored (a NUL character); the error names its path */
  INVALID_JSON: 'INVALID_JSON',
  /** a JSON document nests deeper than the limit */
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  /** the tenant has no secret of that name */
  SECRET_NOT_FOUND: 'SECRET_NOT_FOUND',
  /** this ingress has no `BATON_SECRETS_KEY`, so it cannot write secrets */
  SECRETS_NOT_CONFIGURED: 'SECRETS_NOT_CONFIGURED',
  /** a Temporal run's interpreter (local activity) answered another advance than the one asked: the run fails, the result is not applied */
  SEQUENCE_MISMATCH: 'SEQUENCE_MISMATCH',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status each code answers with. runtime-core stays HTTP-free; this is a hint the
 * ingress applies so every app answers the same status for the same code.
 */
export const ERROR_HTTP_STATUS: { readonly [C in ErrorCode]: number } = {
  WORKFLOW_VERSION_EXISTS: 409,
  INVALID_WORKFLOW_DEFINITION: 400,
  WORKFLOW_NOT_FOUND: 404,
  WORKFLOW_VERSION_RETIRED: 409,
  RUN_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  TASK_ALREADY_COMPLETED: 409,
  TASK_ALREADY_CLOSED: 409,
  VALIDATION_ERROR: 400,
  RUN_ALREADY_FINISHED: 409,
  RUN_NOT_FAILED: 409,
  RUN_NOT_WAITING: 409,
  WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED: 409,
  WORKFLOW_TEMPORAL_CANCEL_FAILED: 409,
  ENGINE_ACTION_UNSUPPORTED: 409,
  WORKFLOW_ENGINE_AUTHORITY: 409,
  ENGINE_UNAVAILABLE: 503,
  ENGINE_OVERRIDE_NOT_ALLOWED: 400,
  ENGINE_DELIVERY_FAILED: 502,
  CORRELATION_KEY_MISSING: 422,
  INVALID_CORRELATION_CONFIG: 400,
  INVALID_POLICY: 400,
  ROLLOUT_GATE_NOT_MET: 409,
  TRIGGER_INPUT_FAILED: 422,
  ENTITY_KEY_INVALID: 422,
  ENTITY_NOT_FOUND: 404,
  ENTITIES_UNSUPPORTED: 501,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_JSON: 400,
  JSON_TOO_DEEP: 400,
  SECRET_NOT_FOUND: 404,
  SECRETS_NOT_CONFIGURED: 409,
  SEQUENCE_MISMATCH: 500,
  INTERNAL: 500,
};
