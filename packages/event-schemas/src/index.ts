export { JsonValue, type JsonObject } from './json-value.js';
export { EngineKind } from './engine-kind.js';
export { RunStatus, TERMINAL_RUN_STATUSES, isTerminalRunStatus } from './run-status.js';
export { ErrorCategory, WorkflowError } from './workflow-error.js';
