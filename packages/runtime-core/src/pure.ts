// `@baton/runtime-core/pure`: the sandbox-safe part of runtime-core (no fetch, no process, no
// Node APIs), for the Temporal workflow bundle: the interpreter, JSON Schema validation,
// canonical JSON + content hash, and the definition types.
export * from './interpreter/index.js';
export { validateAgainstJsonSchema, type JsonSchemaIssue, type JsonSchemaResult } from './json-schema/validate-json-schema.js';
export { canonicalJson, contentHash, sha256Hex, unitIntervalOf, uuidFromName, NotJsonError } from './hashing/content-hash.js';
export type {
  WorkflowDefinition,
  Step,
  StepRecord,
  RunWait,
  RoutedEvent,
  WorkflowError,
  JsonValue,
  RunStatus,
  EngineKind,
} from '@baton/event-schemas';
// shadow runs: the ids and the stop decision the workflow code needs
export { shadowRunIdFor, otherEngine, invocationKeyOf, counterpartId, counterpartChildRunId, childShadowLink, type ShadowLink } from './shadow/shadow-link.js';
export { stopShadowRun, isShadowStop, SHADOW_STOP_CODE } from './shadow/stop-shadow-run.js';
// definition upgrades: the move decision the workflow's update handler makes
export { planRunUpgrade, type RunUpgradeDecision, type UpgradeDefinition } from './upgrade/plan-run-upgrade.js';
