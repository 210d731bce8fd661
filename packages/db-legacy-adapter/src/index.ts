export type { PgPoolLike, PgPoolClientLike, PgNotification } from './database/pg-pool.js';
export type * from './database/database-types.js';
export { createDatabase } from './database/create-database.js';
export { MIGRATIONS } from './migrations/migration-list.js';
export type { Migration } from './migrations/migration.js';
export { MigrationError, MigrationErrorCode } from './migrations/migration-error.js';
export {
  DEFAULT_SCHEMA,
  assertSchemaCurrent,
  migrateToLatest,
  readMigrationStatus,
  type MigrateOptions,
  type MigrationResult,
  type MigrationResultSet,
  type MigrationStatus,
} from './migrations/migrate.js';
export { createPostgresStores, type PostgresStoresOptions } from './stores/create-postgres-stores.js';
export { createPostgresDefinitionStore } from './stores/postgres-definition-store.js';
export { readShadowFigures, type ShadowFiguresOptions } from './stores/shadow-figures.js';
export { createPostgresShadowComparisons } from './stores/postgres-shadow-comparisons.js';
export { applyRollback, listRollbackCandidates, readRollbackWindow, type RollbackCandidate, type RollbackWindowOptions, type RollbackWrite } from './stores/rollback-window.js';
export { createPostgresRunStore, MAX_RUN_PAGE } from './stores/postgres-run-store.js';
export { createPostgresStaleRunScan } from './stores/postgres-stale-run-scan.js';
export { createPostgresStuckRuns, MAX_STUCK_PAGE } from './stores/postgres-stuck-runs.js';
export { createPostgresRetiredVersionRuns } from './stores/postgres-retired-version-runs.js';
export { createPostgresWaitIndex } from './stores/postgres-wait-index.js';
export { createPostgresEventAudit } from './stores/postgres-event-audit.js';
export { createPostgresEventInbox } from './stores/postgres-event-inbox.js';
export { createPostgresEntityStore } from './stores/postgres-entity-store.js';
export { createPostgresTaskStore } from './stores/postgres-task-store.js';
export { createPostgresActionResultStore } from './stores/postgres-action-result-store.js';
export { createPostgresShadowInvocationLog } from './stores/postgres-shadow-invocation-log.js';
export { createPostgresEngine, type PostgresEngine, type AwaitRunOptions, type StopWorkerOptions } from './engine/postgres-engine.js';
export type { PostgresEngineOptions, SettledRun } from './engine/engine-options.js';
export { EngineErrorCode, RunProcessingStopped } from './engine/engine-errors.js';
export { wakeChannel, runFinishedChannel } from './engine/sql-names.js';
export {
  createPostgresRunCompletionFeed,
  type PostgresRunCompletionFeed,
  type PostgresRunCompletionFeedOptions,
} from './stores/postgres-run-completion-feed.js';
export {
  createPostgresActionCatalog,
  type PostgresActionCatalog,
  type PostgresActionCatalogOptions,
  type LiveAction,
  type WorkerActionRegistration,
} from './catalog/postgres-action-catalog.js';
export { createPostgresSecretStore, type PostgresSecretStore, type PostgresSecretStoreOptions } from './secrets/postgres-secret-store.js';
export { parseSecretKey, SecretKeyError, type SecretKey } from './secrets/secret-cipher.js';
