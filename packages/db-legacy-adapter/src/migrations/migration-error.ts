/** Codes of {@link MigrationError}. */
export const MigrationErrorCode = {
  /** The database has a migration the code does not know: it was migrated by newer code. */
  DATABASE_AHEAD: 'MIGRATION_DATABASE_AHEAD',
  /** The applied migrations are not a prefix of the code's list (one was inserted or reordered). */
  OUT_OF_ORDER: 'MIGRATION_OUT_OF_ORDER',
  /** A migration threw; its transaction was rolled back. */
  FAILED: 'MIGRATION_FAILED',
  /** The schema lacks migrations the code needs (run `migrateToLatest` first). */
  PENDING: 'MIGRATION_PENDING',
} as const;
export type MigrationErrorCode = (typeof MigrationErrorCode)[keyof typeof MigrationErrorCode];

/** Why migrating stopped; `path` is `<schema>/<migration name>`. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: MigrationErrorCode;
  readonly path: string;

  constructor(code: MigrationErrorCode, message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.path = path;
  }
}
