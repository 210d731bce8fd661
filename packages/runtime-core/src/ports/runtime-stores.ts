import type { DefinitionStore } from './definition-store.js';
import type { EntityStore } from './entity-store.js';
import type { EventAudit } from './event-audit.js';
import type { EventInbox } from './event-inbox.js';
import type { RunStore } from './run-store.js';
import type { ShadowComparisonStore } from './shadow-comparison-store.js';
import type { ShadowFiguresSource } from './shadow-figures-source.js';
import type { StuckRunSource } from './stuck-run-source.js';
import type { TaskStore } from './task-store.js';
import type { UpgradeAuditStore } from './upgrade-audit-store.js';
import type { WaitIndex } from './wait-index.js';
import type { ShadowInvocationLog } from '../shadow/shadow-invocations.js';

/** Every port the runtime services use; an adapter (or the in-memory set) provides all of them. */
export interface RuntimeStores {
  readonly definitions: DefinitionStore;
  readonly runs: RunStore;
  readonly waits: WaitIndex;
  readonly events: EventAudit;
  readonly tasks: TaskStore;
  /** The event inbox, pruned by the ingress (`BATON_EVENT_INBOX_RETENTION`); absent in stores that keep no inbox. */
  readonly inbox?: EventInbox;
  /** The primaries' action outcomes their shadow runs answer from; absent in stores without shadow runs. */
  readonly shadowInvocations?: ShadowInvocationLog;
  /** Shadow comparison figures (the rollout gate's evidence); absent: nothing was ever compared. */
  readonly shadowFigures?: ShadowFiguresSource;
  /** Where shadow comparisons are filed (the same rows `shadowFigures` reads); absent in stores without shadow runs. */
  readonly shadowComparisons?: ShadowComparisonStore;
  /** Entity workflows' claims and event queues; absent in stores that cannot run entity workflows. */
  readonly entities?: EntityStore;
  /** The store's judge of stuck Postgres-engine runs; absent in stores without that engine. */
  readonly stuckRuns?: StuckRunSource;
  /** The store's judges of unfinished runs of retired definition versions (one per engine); absent in stores that cannot list them. */
  readonly retiredVersionRuns?: readonly StuckRunSource[];
  /** The audit of definition upgrades (`baton upgrade apply`); absent: applies keep no record. */
  readonly upgradeAudits?: UpgradeAuditStore;
}
