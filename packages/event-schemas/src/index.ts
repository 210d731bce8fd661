export { JsonValue, type JsonObject } from './json-value.js';
export { EngineKind } from './engine-kind.js';
export { RunStatus, TERMINAL_RUN_STATUSES, isTerminalRunStatus } from './run-status.js';
export { ErrorCategory, WorkflowError } from './workflow-error.js';
export { formatIssues, formatPath, type IssueSource } from './format-issues.js';
export { ApiError, apiErrorFromBody } from './api/api-error.js';
export { Expr, ValueTemplate, StringOrExpr } from './definition/expr.js';
export { isExpr } from './definition/is-expr.js';
export { RetryPolicy, RetryableCategory } from './definition/retry-policy.js';
export { DEFAULT_RETRY_ON } from './definition/retry-defaults.js';
export {
  SEMVER_PATTERN,
  WorkflowName,
  WorkflowVersion,
  StepId,
  ActionName,
  ActionVersion,
  EventName,
  VarPath,
  DurationMs,
} from './definition/names.js';
export { STEP_TYPE, StepType, STEP_BRANCHES, type StepBranch } from './definition/step-type.js';
export {
  ActionCallStep,
  TransformAssignStep,
  CallWorkflowStep,
  ReturnStep,
  FailStep,
  ContinueAsNewStep,
  EventWaitStep,
  EventWaitSince,
  TimeWaitStep,
  HumanTaskStep,
  OnError,
} from './definition/leaf-steps.js';
export { Step, IfStep, ForEachStep, TryCatchStep, RESERVED_CONTEXT_NAMES } from './definition/step.js';
export { WorkflowDefinition, WorkflowTrigger, EventTrigger, JsonSchemaDocument } from './definition/workflow-definition.js';
export { StepStatus, StepRecord } from './step-record.js';
export { WaitType, RunWait } from './run-wait.js';
export { RoutedEvent } from './routed-event.js';
export { IsoDateTime, RunId, wholeNumber, wholeNumberMessage } from './api/common.js';
export { ValidationIssue, ErrorResponse, UnsupportedActionError, API_ERROR_CODE, type ApiErrorCode } from './api/errors.js';
export {
  PublishWorkflowResponse,
  VersionPolicy,
  EnginePolicy,
  ShadowPolicy,
  RolloutGate,
  RollbackPolicy,
  WorkflowPolicy,
  PolicyChange,
  UpdatePolicyQuery,
  ShadowFigures,
  RolloutGateNotMetError,
  WorkflowVersionSummary,
  WorkflowSummary,
  WorkflowNameParams,
  UpdatePolicyBody,
  WorkflowListItem,
  ListWorkflowsResponse,
  WorkflowVersionParams,
  WorkflowVersionView,
  RetireVersionBody,
  RetiredVersion,
} from './api/workflows.js';
export {
  StartRunBody,
  StartRunResponse,
  RunIdParams,
  GetRunQuery,
  MAX_RUN_WAIT_MS,
  RUN_WAIT_MESSAGE,
  RunView,
  RunSummary,
  ListRunsQuery,
  ListRunsResponse,
  RunStepsResponse,
  CancelRunBody,
  CancelRunResponse,
  CancelRequestedResponse,
  RetryRunBody,
  ResumeRunBody,
  RunControlResponse,
} from './api/runs.js';
export { ActionNotProvidedReason, DeploymentVersionNotPolledReason, DefinitionVersionRetiredReason, StuckReason, type StuckReasonCode } from './api/stuck-runs.js';
export {
  UpgradePlanQuery,
  PlannedStep,
  StepTreeDiff,
  UpgradeClass,
  UpgradeBlockReason,
  PlannedRun,
  UpgradePlan,
} from './api/upgrade-plan.js';
export {
  MAX_UPGRADE_RUN_IDS,
  UpgradeApplyBody,
  MovedRun,
  SkippedRun,
  UpgradeApplyResult,
  UpgradeOutcome,
  UpgradeAuditRecord,
  ListUpgradesQuery,
  ListUpgradesResponse,
} from './api/upgrade-apply.js';
export { ShadowComparison, ShadowDifference, RunShadowView, ShadowReportDifference, ShadowReport } from './api/shadow.js';
export {
  WorkflowEvent,
  CorrelationSource,
  RoutedRun,
  StartedRun,
  EntityDelivery,
  EventAcceptedResponse,
  EventStatus,
  EventRoutingErrorView,
  EventView,
  ListEventsQuery,
  ListEventsResponse,
} from './api/events.js';
export {
  TaskStatus,
  TaskCloseReason,
  HumanTaskView,
  ListTasksQuery,
  ListTasksResponse,
  TaskIdParams,
  CompleteTaskBody,
  CompleteTaskResponse,
} from './api/tasks.js';
export { HealthResponse } from './api/health.js';
export { EntityParams, EntityView } from './api/entities.js';
export { ActionProvider, ActionCatalogItem, ListActionsResponse } from './api/actions.js';
export {
  SecretName,
  SecretNameParams,
  PutSecretBody,
  PutSecretResponse,
  SecretView,
  ListSecretsResponse,
  MAX_SECRET_VALUE_LENGTH,
} from './api/secrets.js';
export { workflowDefinitionJsonSchema } from './definition/json-schema-export.js';
export {
  DeploymentVersionRef,
  DeploymentVersionView,
  ListDeploymentsResponse,
  DrainBody,
  DrainRefusal,
  DrainResult,
} from './api/deployments.js';
