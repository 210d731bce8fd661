export { loadWorkerConfig, WorkerConfigError, WorkerEnv, type WorkerConfig } from './config/worker-config.js';
export { startWorker, type BatonWorker, type StartWorkerOptions } from './worker-process.js';
export { createWorkerMetrics, STEP_DURATION_BUCKETS, type WorkerMetrics } from './metrics/worker-metrics.js';
export { startHealthServer, runHealthChecks, type HealthServer, type HealthChecks, type HealthCheckResult } from './http/health-server.js';
export { instrumentActions, ACTION_OUTCOME, type ActionOutcome, type ActionObserver } from './actions/instrument-actions.js';
export type { EngineRunner } from './engines/engine-runner.js';
export {
  loadActionModules,
  parseActionModuleList,
  isActionDefinition,
  ActionModuleError,
  ACTION_MODULE_ERROR_CODE,
  BUILTIN_MODULE,
  type ActionModuleErrorCode,
  type LoadedAction,
  type LoadActionModulesOptions,
} from './actions/load-action-modules.js';
export { createWorkflowLabeler, OTHER_WORKFLOWS, WORKFLOW_LABEL_DEFAULTS, type WorkflowLabeler } from './metrics/workflow-label.js';
