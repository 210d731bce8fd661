import { initialSchema } from './0001-initial-schema.js';
import { eventInbox } from './0002-event-inbox.js';
import { taskCompletionHandoff } from './0003-task-completion-handoff.js';
import { actionCatalog } from './0004-action-catalog.js';
import { runFinishedNotify } from './0006-run-finished-notify.js';
import { eventListIndex } from './0007-event-list-index.js';
import { staleRunScanIndex } from './0009-stale-run-scan-index.js';
import { secrets } from './0011-secrets.js';
import { rolloutPolicy } from './0012-rollout-policy.js';
import { shadowRuns } from './0013-shadow-runs.js';
import { entityWorkflows } from './0014-entity-workflows.js';
import { retiredVersions } from './0015-retired-versions.js';
import { upgradeAudit } from './0016-upgrade-audit.js';
import type { Migration } from './migration.js';

/** Every migration the code knows, in the order they apply. Append only; never edit or reorder a released one. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  eventInbox,
  taskCompletionHandoff,
  actionCatalog,
  runFinishedNotify,
  eventListIndex,
  staleRunScanIndex,
  secrets,
  rolloutPolicy,
  shadowRuns,
  entityWorkflows,
  retiredVersions,
  upgradeAudit,
];
