// Public API of @baton/temporal-adapter (Node side). The workflow code lives in
// `src/workflows/` and is loaded by the worker's bundler, not imported from here.
export { createTemporalEngine, type TemporalEngine, type TemporalEngineClient, type TemporalEngineOptions } from './client/temporal-engine.js';
export {
  createTemporalReconciler,
  type TemporalReconciler,
  type TemporalReconcilerOptions,
  type ReconcilePassReport,
} from './reconciler/temporal-reconciler.js';
export { observeExecution } from './reconciler/observe-execution.js';
export { createTemporalStuckRuns, type TemporalStuckRunsOptions } from './client/temporal-stuck-runs.js';
export { createBatonWorker, type BatonWorkerOptions, type BatonWorkerTuning } from './worker/create-baton-worker.js';
export {
  BATON_VERSIONING_BEHAVIOR,
  setCurrentDeploymentVersion,
  setRampingDeploymentVersion,
  type BatonDeployment,
  type BatonVersioningBehavior,
  type DeploymentChangeOptions,
  type DeploymentService,
} from './worker/deployment-versioning.js';
export {
  bundleBatonWorkflows,
  batonWorkflowsPath,
  resolveTsSources,
  INTERPRETER_MODES,
  type BundleBatonWorkflowsOptions,
  type InterpreterMode,
} from './worker/workflow-bundle.js';
export { createAdvanceActivity, INTERPRETER_FAILURE_TYPE, type AdvanceActivityOptions } from './activities/advance-activity.js';
export { advanceDictionary, unpackAdvanceAnswer, PackedAnswerError, type AdvanceAnswer } from './workflows/advance-codec.js';
export { createBatonActivities, type BatonActivitiesOptions, type BatonWorkerStores } from './activities/create-activities.js';
export { writeProjection, type ProjectionStores } from './activities/write-projection.js';
export {
  replayHistories,
  type ReplayHistoriesOptions,
  type ReplayOutcome,
  type ReplayProgress,
  type ReplayResultSet,
} from './replay/replay-histories.js';
export { listHistoryFiles, readHistoryFile, readHistoryFiles, writeHistoryFile, type HistoryFile } from './replay/history-files.js';
export { interpreterOfHistory } from './replay/history-interpreter.js';
export { FAILURE_TYPE, type FailureType } from './workflows/failure-types.js';
export { TASK_REJECTION_CODE, type TaskRejectionCode } from './workflows/task-rejection.js';
export {
  BATON_MESSAGE,
  BATON_WORKFLOW_TYPE,
  workflowIdForRun,
  runIdOfWorkflowId,
  eventSignal,
  humanTaskSignal,
  cancelReasonSignal,
  completeTaskUpdate,
  stateQuery,
  type BatonMessage,
  type BatonRunStateView,
  type TaskCompletionMessage,
  type TaskCompletionResult,
} from './workflows/workflow-messages.js';
export type { BatonRunArgs, BatonRunSettings, CarriedRunState } from './workflows/run-args.js';
export type {
  BatonActivities,
  ProjectionBatch,
  RunActionRequest,
  RunActionResponse,
  ResolveDefinitionRequest,
  ResolvedDefinition,
  AdvanceRequest,
  AdvanceResponse,
} from './workflows/activity-contracts.js';
export { createTemporalDeployments, type TemporalDeployments, type TemporalDeploymentsOptions } from './drain/temporal-deployments.js';
export { createTemporalDrain, type TemporalDrain, type TemporalDrainOptions } from './drain/drain-runs.js';
