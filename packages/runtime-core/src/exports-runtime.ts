export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';

// errors
export { ErrorCode, ERROR_HTTP_STATUS } from './errors/error-code.js';
export {
  BatonError,
  validationError,
  isBatonError,
  toErrorBody,
  httpStatusOf,
  type BatonErrorOptions,
  type ErrorBody,
  type ErrorDetails,
} from './errors/baton-error.js';

// engine interface
export { createRunRef, isRunRefOf, type RunRef, type AnyRunRef } from './engine/run-ref.js';
export { defineCapabilities, type EngineCapabilities } from './engine/engine-capabilities.js';
export { EngineAuthorityError, assertEngineAuthority } from './engine/engine-authority-error.js';
export type {
  WorkflowEngine,
  EngineSet,
  StartRunRequest,
  HumanTaskCompletion,
  ResumeRequest,
} from './engine/workflow-engine.js';

// policies (their schemas are in @baton/event-schemas)
export { DEFAULT_VERSION_POLICY } from './registry/version-policy.js';

// ports
export type {
  DefinitionStore,
  NewDefinitionVersion,
  PublishedDefinition,
  DefinitionVersionSummary,
  PublishOutcome,
} from './ports/definition-store.js';
export type {
  RunStore,
  NewRun,
  RunRecord,
  RunProjectionPatch,
  RunUpdateCondition,
  RunListQuery,
  RunPage,
} from './ports/run-store.js';
export { WaitStatus, type WaitIndex, type OpenWait, type WaitRecord } from './ports/wait-index.js';
export {
  EventProcessingStatus,
  type EventAudit,
  type ReceivedEvent,
  type EventRoutingError,
  type EventOutcome,
  type EventAuditRecord,
  type RecordEventResult,
} from './ports/event-audit.js';
export type {
  TaskStore,
  NewHumanTask,
  HumanTaskRecord,
  TaskCompletion,
  TaskListQuery,
} from './ports/task-store.js';
export type { RuntimeStores } from './ports/runtime-stores.js';

// stable hash and engine routing
export { stableBucket, STABLE_BUCKETS } from './hashing/stable-bucket.js';
export { routeEngine, routeKeyString, temporalBuckets, enginesReachable, type RouteKey } from './routing/route-engine.js';
export {
  createEngineRouter,
  type EngineRouter,
  type EngineRouterOptions,
  type EngineRouteRequest,
  type EngineRoute,
} from './routing/engine-router.js';
