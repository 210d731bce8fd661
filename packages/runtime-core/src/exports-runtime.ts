export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';

// errors
export { ErrorCode, ERROR_HTTP_STATUS } from './errors/error-code.js';
export {
  BatonError,
  validationError,
  invalidCursorError,
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
export { startNotAcceptedError, isStartNotAccepted } from './engine/start-not-accepted.js';
export { startRequestForRun } from './engine/start-request.js';
export type {
  WorkflowEngine,
  EngineSet,
  StartRunRequest,
  HumanTaskCompletion,
  ResumeRequest,
  CancelOptions,
  CancelOutcome,
  CreatedStart,
  UpgradeVersion,
  RunUpgradeRequest,
  RunUpgradeOutcome,
} from './engine/workflow-engine.js';

// policies (their schemas are in @baton/event-schemas)
export { DEFAULT_VERSION_POLICY } from './registry/version-policy.js';

// ports
export type {
  DefinitionStore,
  NewDefinitionVersion,
  PublishedDefinition,
  DefinitionVersionSummary,
  PolicyAndVersions,
  PublishOutcome,
  PolicyChangeInput,
  VersionRetirement,
} from './ports/definition-store.js';
export type {
  RunStore,
  RunWithOpenWaits,
  NewRun,
  RunRecord,
  RunProjectionPatch,
  RunUpdateCondition,
  RunListQuery,
  RunPage,
} from './ports/run-store.js';
export type { StaleRunScan, StaleRunQuery } from './ports/stale-run-scan.js';
export type { StuckRun, StuckRunPage, StuckRunQuery, StuckRunSource } from './ports/stuck-run-source.js';
export type { EventInbox, InboxEvent, InboxQuery } from './ports/event-inbox.js';
export type {
  EntityAdmission,
  EntityAdmissionResult,
  EntityEvent,
  EntityRecord,
  EntityRunBuilder,
  EntityStore,
} from './ports/entity-store.js';
export { WaitStatus, type WaitIndex, type OpenWait, type WaitRecord, type EventWaitKey } from './ports/wait-index.js';
export {
  EventProcessingStatus,
  type EventAudit,
  type ReceivedEvent,
  type EventRoutingError,
  type EventOutcome,
  type EventAuditRecord,
  type RecordEventResult,
  type EventOutcomeEntry,
  type EventAuditListQuery,
  type EventAuditPage,
} from './ports/event-audit.js';
export type {
  TaskStore,
  NewHumanTask,
  HumanTaskRecord,
  TaskCompletion,
  TaskHandoff,
  TaskListQuery,
} from './ports/task-store.js';
export type { RuntimeStores } from './ports/runtime-stores.js';
export type { UpgradeAuditStore, UpgradeAuditQuery } from './ports/upgrade-audit-store.js';
export type { RunCompletionFeed } from './ports/run-completion-feed.js';

// stable hash and engine routing
export { stableBucket, STABLE_BUCKETS } from './hashing/stable-bucket.js';
export { evaluateRolloutGate, type RolloutGateVerdict } from './rollout/rollout-gate.js';
export { evaluateRollback, watchesRollback, rolledBackPolicy, ROLLBACK_ACTOR, type RollbackDecision, type RollbackTrigger, type RollbackWindow, type EngineRunWindow } from './rollout/rollback-decision.js';
export { NO_SHADOW_FIGURES, type ShadowFiguresSource } from './ports/shadow-figures-source.js';
export type { ShadowComparisonStore, ShadowPair, ShadowVerdict, StoredShadowComparison } from './ports/shadow-comparison-store.js';
export { routeEngine, routeKeyString, temporalBuckets, temporalPercentOf, routeShadow, enginesReachable, type RouteKey } from './routing/route-engine.js';
export {
  createEngineRouter,
  type EngineRouter,
  type EngineRouterOptions,
  type EngineRouteRequest,
  type EngineRoute,
} from './routing/engine-router.js';

// definition registry and versions
export { resolveVersion, latestVersion, pickWeighted, sortVersions, versionKeyString, type ResolveVersionOptions } from './registry/resolve-version.js';
export type { DefinitionValidator, PublishValidation, PublishContext } from './registry/definition-validator.js';
export {
  createDefinitionRegistry,
  type DefinitionRegistry,
  type DefinitionRegistryOptions,
  type PublishResult,
  type ResolveDefinitionRequest,
  type StartReads,
  type PolicyChangeOptions,
  POLICY_HISTORY_LIMIT,
} from './registry/definition-registry.js';
export { zodIssuesToValidationIssues } from './errors/zod-issues.js';

// correlation
export {
  parseCorrelationConfig,
  EMPTY_CORRELATION_CONFIG,
  type CorrelationConfig,
  type CorrelationPath,
} from './correlation/correlation-config.js';
export { resolveCorrelationKey, type CorrelatableEvent, type CorrelationResolution } from './correlation/resolve-correlation-key.js';

// run control
export {
  planRunControl,
  RunControlAction,
  type RunControlSubject,
  type RunControlPlan,
  type RunControlOperation,
  type RunControlRefusal,
} from './run-control/plan-run-control.js';
export {
  planReconciliation,
  ReconcileErrorCode,
  type ExecutionObservation,
  type ReconcileSubject,
  type ReconcileDecision,
} from './run-control/plan-reconciliation.js';

// in-memory ports
export { createInMemoryStores } from './ports/in-memory/create-in-memory-stores.js';
export { InMemoryDefinitionStore } from './ports/in-memory/in-memory-definition-store.js';
export { InMemoryRunStore } from './ports/in-memory/in-memory-run-store.js';
export { InMemoryStuckRuns } from './ports/in-memory/in-memory-stuck-runs.js';
export { InMemoryWaitIndex } from './ports/in-memory/in-memory-wait-index.js';
export { InMemoryEventAudit } from './ports/in-memory/in-memory-event-audit.js';
export { InMemoryEventInbox } from './ports/in-memory/in-memory-event-inbox.js';
export { InMemoryTaskStore } from './ports/in-memory/in-memory-task-store.js';
export { InMemoryUpgradeAudit } from './ports/in-memory/in-memory-upgrade-audit.js';

// run service
export {
  createRuntime,
  DEFAULT_RUN_PAGE_SIZE,
  MAX_RUN_PAGE_SIZE,
  type Runtime,
  type RuntimeOptions,
  type GetRunOptions,
} from './run-service/create-runtime.js';
export type { StartRunOptions, StartRunResult } from './run-service/start-run.js';
export type { EventDeliveryResult } from './run-service/deliver-event.js';
export { EVENT_BATCHING_DEFAULTS, type EventBatchingOptions } from './run-service/event-batcher.js';
export type { RunControlBody, RunControlResult } from './run-service/control-run.js';
export { TASK_HANDOFF_DEFAULTS, type DrainTaskHandoffsOptions, type DrainTaskHandoffsResult } from './run-service/task-handoff.js';
export { taskClosedBatonError } from './run-service/task-closed-error.js';
export { resolveTriggerInput, type TriggerEvent } from './run-service/trigger-input.js';
export { toRunView, toRunSummary, toRunWait, toTaskView } from './run-service/views.js';

// port contract: every port implementation runs these cases in its tests
export { PORT_CONTRACT_CASES, type PortContractCase, type PortContractTenants } from './ports/contract/port-contract.js';
export { PortContractViolation } from './ports/contract/contract-checks.js';

// shadow runs
export { shadowRunIdFor, otherEngine, invocationKeyOf, counterpartId, counterpartChildRunId, childShadowLink, type ShadowLink } from './shadow/shadow-link.js';
export { settleShadowComparison, comparePair, shadowPairOf, type ShadowComparisonDeps } from './shadow/settle-shadow-comparison.js';
export {
  SHADOW_STOP_CODE,
  SHADOW_ACTION_WAIT_MS,
  answerFromPrimary,
  decideShadowAction,
  recordedInvocationOf,
  type AnswerFromPrimaryOptions,
  type PrimaryInvocationLookup,
  type RecordedInvocation,
  type ShadowActionDecision,
  type ShadowInvocationLog,
} from './shadow/shadow-invocations.js';
export { stopShadowRun, isShadowStop } from './shadow/stop-shadow-run.js';
export { compareShadowRuns, stepTrace, RUN_PATH, type ComparedRun, type ShadowDifference, type ShadowComparisonResult, type TraceEntry } from './shadow/compare-runs.js';
// secrets: `{"$secret": name}` values of action inputs
export {
  chainSecretStores,
  EMPTY_SECRET_STORE,
  type SecretStore,
  type SecretWriter,
  type SecretEntry,
} from './secrets/secret-store.js';
export { createStaticSecretStore, loadSecretsFile, parseSecretsFile, SecretsFile, SecretsFileError } from './secrets/file-secret-store.js';
export { resolveSecretRefs, redactText, redactJson, REDACTED, type SecretResolution } from './secrets/resolve-secrets.js';
export { knownSecretsFor } from './secrets/known-secrets.js';
export type { DriverTestHooks } from './shadow/driver-test-hooks.js';

// upgrade planner (pure)
export { diffStepTrees, indexSteps, type IndexedStep } from './upgrade/step-tree-diff.js';
export { classifyRun, continuesAsNew, type InFlightRun, type RunClassification, type UpgradeVersions } from './upgrade/classify-run.js';
export { planRunUpgrade, type RunUpgradeDecision, type RunUpgradeSkipReason, type UpgradeDefinition } from './upgrade/plan-run-upgrade.js';
