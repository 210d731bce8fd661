export type { PgPoolLike, PgPoolClientLike, PgNotification } from './database/pg-pool.js';
export type * from './database/database-types.js';
export { createDatabase } from './database/create-database.js';
export { MIGRATIONS } from './migrations/migration-list.js';
export type { Migration } from './migrations/migration.js';
export { MigrationError, MigrationErrorCode } from './migrations/migration-error.js';
export {
  DEFAULT_SCHEMA,
  migrateToLatest,
  readMigrationStatus,
  type MigrateOptions,
  type MigrationResult,
  type MigrationResultSet,
  type MigrationStatus,
} from './migrations/migrate.js';
