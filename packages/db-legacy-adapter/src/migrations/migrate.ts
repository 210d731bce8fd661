import { sql, type Kysely, type Transaction } from 'kysely';
import { MIGRATIONS } from './migration-list.js';
import type { Migration } from './migration.js';
import { MigrationError, MigrationErrorCode } from './migration-error.js';

/** Schema used when none is given. */
export const DEFAULT_SCHEMA = 'baton';

/** Options of {@link migrateToLatest} and {@link readMigrationStatus}. */
export interface MigrateOptions {
  /** Postgres schema holding Baton's tables (created if missing). @default 'baton' */
  readonly schema?: string;
  /** The migrations the code knows, in order. @default MIGRATIONS */
  readonly migrations?: readonly Migration[];
}

/** What happened to one migration. */
export interface MigrationResult {
  readonly migrationName: string;
  /** `Applied` now, `AlreadyApplied` earlier, `Failed` (rolled back), `NotExecuted` (a previous one failed or the database was refused). */
  readonly status: 'Applied' | 'AlreadyApplied' | 'Failed' | 'NotExecuted';
}

/** Outcome of a migration run: every known migration's result, and the error that stopped it, if any. */
export interface MigrationResultSet {
  readonly schema: string;
  readonly results: readonly MigrationResult[];
  /** Names applied by this call, in order. */
  readonly applied: readonly string[];
  readonly error?: MigrationError;
}

/** Applied, pending and unknown migrations of a schema. */
export interface MigrationStatus {
  readonly schema: string;
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** Applied names the code does not know: the database is ahead of the code. */
  readonly unknown: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the runner works on any kysely instance
type AnyKysely = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- likewise
type AnyTransaction = Transaction<any>;

const LOCK_PREFIX = 'baton.migrations:';

async function lockSchema(trx: AnyTransaction, schema: string): Promise<void> {
  // Serializes concurrent runners (two workers starting at once) per schema, released at commit.
  await sql`select pg_advisory_xact_lock(hashtext(${LOCK_PREFIX + schema}))`.execute(trx);
}

async function appliedNames(trx: AnyTransaction | AnyKysely, schema: string): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from ${sql.id(schema, 'baton_migrations')} order by applied_at, name`.execute(trx);
  return result.rows.map((r) => r.name);
}

async function tableExists(db: AnyKysely, schema: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`select to_regclass(${`${quoteIdent(schema)}.baton_migrations`}) is not null as found`.execute(db);
  return result.rows[0]?.found === true;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function compare(schema: string, known: readonly Migration[], applied: readonly string[]): MigrationError | undefined {
  const knownNames = known.map((m) => m.name);
  const unknown = applied.filter((name) => !knownNames.includes(name));
  if (unknown.length) {
    return new MigrationError(
      MigrationErrorCode.DATABASE_AHEAD,
      `schema "${schema}" has migration(s) this code does not know (${unknown.join(', ')}): it was migrated by a newer release; refusing to run`,
      `${schema}/${unknown[0]}`,
    );
  }
  const misplaced = applied.findIndex((name, i) => knownNames[i] !== name);
  if (misplaced >= 0) {
    return new MigrationError(
      MigrationErrorCode.OUT_OF_ORDER,
      `schema "${schema}" applied "${applied[misplaced]}" where the code expects "${knownNames[misplaced]}"`,
      `${schema}/${applied[misplaced]}`,
    );
  }
  return undefined;
}

/**
 * Throws {@link MigrationError} unless the schema has exactly the code's migrations: `MIGRATION_DATABASE_AHEAD`
 * when it has one the code does not know, `MIGRATION_PENDING` when one is missing.
 */
export async function assertSchemaCurrent(db: AnyKysely, options: MigrateOptions = {}): Promise<void> {
  const status = await readMigrationStatus(db, options);
  if (status.unknown.length) {
    throw new MigrationError(
      MigrationErrorCode.DATABASE_AHEAD,
      `schema "${status.schema}" was migrated by a newer release (${status.unknown.join(', ')}); refusing to run on it`,
      `${status.schema}/${status.unknown[0]}`,
    );
  }
  if (status.pending.length) {
    throw new MigrationError(
      MigrationErrorCode.PENDING,
      `schema "${status.schema}" lacks migration(s) ${status.pending.join(', ')}: run migrateToLatest first`,
      `${status.schema}/${status.pending[0]}`,
    );
  }
}

/** Reads which migrations a schema has, without changing anything. */
export async function readMigrationStatus(db: AnyKysely, options: MigrateOptions = {}): Promise<MigrationStatus> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const known = options.migrations ?? MIGRATIONS;
  const applied = (await tableExists(db, schema)) ? await appliedNames(db, schema) : [];
  return {
    schema,
    applied,
    pending: known.map((m) => m.name).filter((n) => !applied.includes(n)),
    unknown: applied.filter((n) => !known.some((m) => m.name === n)),
  };
}

/**
 * Applies the pending migrations in order, each in its own transaction together with its version
 * row, and refuses (applies nothing) when the database is ahead of the code or out of order.
 */
export async function migrateToLatest(db: AnyKysely, options: MigrateOptions = {}): Promise<MigrationResultSet> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const known = options.migrations ?? MIGRATIONS;

  const applied = await db.transaction().execute(async (trx) => {
    await lockSchema(trx, schema);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    await sql`create table if not exists ${sql.id(schema, 'baton_migrations')} (
      name text primary key,
      applied_at timestamptz not null default clock_timestamp()
    )`.execute(trx);
    return appliedNames(trx, schema);
  });

  const refusal = compare(schema, known, applied);
  if (refusal) {
    return {
      schema,
      applied: [],
      error: refusal,
      results: known.map((m) => ({ migrationName: m.name, status: applied.includes(m.name) ? 'AlreadyApplied' : 'NotExecuted' })),
    };
  }

  const results: MigrationResult[] = [];
  const appliedNow: string[] = [];
  let error: MigrationError | undefined;
  for (const migration of known) {
    if (error) {
      results.push({ migrationName: migration.name, status: 'NotExecuted' });
      continue;
    }
    if (applied.includes(migration.name)) {
      results.push({ migrationName: migration.name, status: 'AlreadyApplied' });
      continue;
    }
    try {
      const status = await db.transaction().execute(async (trx) => {
        await lockSchema(trx, schema);
        // Another runner may have applied it between our read and this lock.
        const now = await appliedNames(trx, schema);
        const concurrent = compare(schema, known, now);
        if (concurrent) throw concurrent;
        if (now.includes(migration.name)) return 'AlreadyApplied' as const;
        await migration.up(trx, schema);
        await sql`insert into ${sql.id(schema, 'baton_migrations')} (name) values (${migration.name})`.execute(trx);
        return 'Applied' as const;
      });
      results.push({ migrationName: migration.name, status });
      if (status === 'Applied') appliedNow.push(migration.name);
    } catch (cause) {
      error =
        cause instanceof MigrationError
          ? cause
          : new MigrationError(
              MigrationErrorCode.FAILED,
              `migration "${migration.name}" failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
              `${schema}/${migration.name}`,
              { cause },
            );
      results.push({ migrationName: migration.name, status: 'Failed' });
    }
  }
  return { schema, results, applied: appliedNow, ...(error ? { error } : {}) };
}
