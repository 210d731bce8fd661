import type { EntityStore, EventInbox, RuntimeStores, ShadowComparisonStore, ShadowInvocationLog, StaleRunScan, StuckRunSource, UpgradeAuditStore } from '@baton/runtime-core';
import { createDatabase } from '../database/create-database.js';
import type { PgPoolLike } from '../database/pg-pool.js';
import { DEFAULT_SCHEMA } from '../migrations/migrate.js';
import { createPostgresDefinitionStore } from './postgres-definition-store.js';
import { createPostgresEntityStore } from './postgres-entity-store.js';
import { createPostgresEventAudit } from './postgres-event-audit.js';
import { createPostgresEventInbox } from './postgres-event-inbox.js';
import { createPostgresRunStore } from './postgres-run-store.js';
import { createPostgresStaleRunScan } from './postgres-stale-run-scan.js';
import { createPostgresStuckRuns } from './postgres-stuck-runs.js';
import { createPostgresRetiredVersionRuns } from './postgres-retired-version-runs.js';
import { createPostgresTaskStore } from './postgres-task-store.js';
import { createPostgresWaitIndex } from './postgres-wait-index.js';
import { createPostgresShadowInvocationLog } from './postgres-shadow-invocation-log.js';
import { readShadowFigures } from './shadow-figures.js';
import { createPostgresShadowComparisons } from './postgres-shadow-comparisons.js';
import { createPostgresUpgradeAudit } from './postgres-upgrade-audit.js';

/** Options of {@link createPostgresStores}. */
export interface PostgresStoresOptions {
  /** A `pg.Pool` or anything with its `connect`/`end` shape; the stores never end it. */
  readonly pool: PgPoolLike;
  /** Schema holding Baton's tables (migrate it first with `migrateToLatest`). @default 'baton' */
  readonly schema?: string;
  /** the hot reads (policy, versions, event inbox, run view) as named statements; off behind a transaction-mode pooler @default true */
  readonly preparedStatements?: boolean;
}

/** Every runtime-core store port over one Postgres schema, the shadow invocation log, and the cross-tenant scan of stale runs (operator processes only). */
export function createPostgresStores(
  options: PostgresStoresOptions,
): RuntimeStores & {
  readonly inbox: EventInbox;
  readonly entities: EntityStore;
  readonly staleRuns: StaleRunScan;
  readonly shadowInvocations: ShadowInvocationLog;
  readonly shadowComparisons: ShadowComparisonStore;
  readonly stuckRuns: StuckRunSource;
  readonly upgradeAudits: UpgradeAuditStore;
} {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const db = createDatabase(options.pool, schema);
  const hot = { pool: options.pool, schema, preparedStatements: options.preparedStatements ?? true };
  return {
    definitions: createPostgresDefinitionStore(db, hot),
    runs: createPostgresRunStore(db, hot),
    waits: createPostgresWaitIndex(db, hot),
    events: createPostgresEventAudit(db, hot),
    tasks: createPostgresTaskStore(db),
    inbox: createPostgresEventInbox(db, hot),
    staleRuns: createPostgresStaleRunScan(db),
    stuckRuns: createPostgresStuckRuns(db),
    retiredVersionRuns: [createPostgresRetiredVersionRuns(db, 'db'), createPostgresRetiredVersionRuns(db, 'temporal')],
    shadowInvocations: createPostgresShadowInvocationLog(db),
    shadowComparisons: createPostgresShadowComparisons(db),
    shadowFigures: { figures: (tenant, workflow, figureOptions) => readShadowFigures(db, tenant, workflow, figureOptions) },
    entities: createPostgresEntityStore(db),
    upgradeAudits: createPostgresUpgradeAudit(db, schema),
  };
}
