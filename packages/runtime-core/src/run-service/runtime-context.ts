import type { EngineSet } from '../engine/workflow-engine.js';
import type { CorrelationConfig } from '../correlation/correlation-config.js';
import type { DefinitionStore } from '../ports/definition-store.js';
import type { EntityStore } from '../ports/entity-store.js';
import type { EventAudit } from '../ports/event-audit.js';
import type { RunStore } from '../ports/run-store.js';
import type { ShadowComparisonStore } from '../ports/shadow-comparison-store.js';
import type { ShadowFiguresSource } from '../ports/shadow-figures-source.js';
import type { TaskStore } from '../ports/task-store.js';
import type { UpgradeAuditStore } from '../ports/upgrade-audit-store.js';
import type { WaitIndex } from '../ports/wait-index.js';
import type { DefinitionRegistry } from '../registry/definition-registry.js';
import type { EngineRouter } from '../routing/engine-router.js';

/** What every run-service operation works with (built once by `createRuntime`). */
export interface RuntimeContext {
  readonly engines: EngineSet;
  readonly definitions: DefinitionStore;
  readonly runs: RunStore;
  readonly waits: WaitIndex;
  readonly events: EventAudit;
  readonly tasks: TaskStore;
  /** entity workflows' claims and event queues; absent: an entity trigger answers `ENTITIES_UNSUPPORTED` */
  readonly entities?: EntityStore;
  readonly registry: DefinitionRegistry;
  readonly router: EngineRouter;
  readonly correlation: CorrelationConfig;
  readonly clock: () => Date;
  readonly generateId: () => string;
  /** where shadow comparisons are filed @default none: computed on each read */
  readonly shadowComparisons?: ShadowComparisonStore;
  /** the filed figures of shadow comparisons (the shadow report) @default nothing compared */
  readonly shadowFigures?: ShadowFiguresSource;
  /** told once per filed shadow comparison */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /** the audit of definition upgrades @default none: applies keep no record */
  readonly upgradeAudits?: UpgradeAuditStore;
}
