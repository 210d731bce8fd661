import type { Kysely } from 'kysely';

/** One named, ordered schema change; applied once, in its own transaction with its version row. */
export interface Migration {
  /** Unique and sortable; the order of {@link MIGRATIONS} is the order of application. */
  readonly name: string;
  /** Applies the change inside the runner's transaction; every table reference must use `schema`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no fixed table types
  up(db: Kysely<any>, schema: string): Promise<void>;
}
