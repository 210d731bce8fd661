// The interpreter state's format version and its forward migrations. A driver that keeps states
// across interpreter releases (a Temporal run in `localActivity` mode, a Postgres run's stored
// state) migrates the state it holds before it advances it: an older format is brought forward one
// version at a time, the current one is taken as is, a newer one (written by a later release) is
// refused with a typed error rather than misread.
import { INTERPRETER_ERROR_CODE, InterpreterError } from './interpreter-error.js';
import { STATE_FORMAT, type InterpreterState } from './state.js';

const FORMAT_PREFIX = 'baton.interpreter/';

/** The format version this interpreter writes (the number in {@link STATE_FORMAT}). */
export const STATE_FORMAT_VERSION = Number(STATE_FORMAT.slice(FORMAT_PREFIX.length));

/** A state of format `from` as plain JSON (its shape is that version's, not today's). */
export type StoredState = { readonly format?: unknown } & Record<string, unknown>;

/** Brings a state of format N to format N + 1 (keyed by N). */
export type StateMigrations = Readonly<Record<number, (state: StoredState) => StoredState>>;

/**
 * The migrations of every format this interpreter reads, keyed by the version they migrate from.
 * Format 1 is the first (and current) layout: there is nothing to migrate yet. A release that
 * changes the layout bumps {@link STATE_FORMAT} and adds the migration from the previous version here,
 * with a test of a state of that version.
 */
export const STATE_MIGRATIONS: StateMigrations = {};

/** The format version of a stored state; throws `INVALID_STATE` when it has none. */
export function stateFormatVersion(state: unknown): number {
  const format = typeof state === 'object' && state !== null ? (state as StoredState).format : undefined;
  const match = typeof format === 'string' ? /^baton\.interpreter\/([1-9]\d*)$/.exec(format) : null;
  if (!match) throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `the state has no ${FORMAT_PREFIX}<n> format`, 'state.format');
  return Number(match[1]);
}

/**
 * Migrates a state of any format this interpreter knows to the current one: the current format
 * is returned unchanged (the same object), an older one goes through each migration in order, a
 * newer one fails `STATE_FORMAT_UNSUPPORTED` (the run needs an interpreter at least as new as the
 * one that wrote it). Pure; the given state is not modified.
 */
export function migrateState(state: unknown, options: { readonly current?: number; readonly migrations?: StateMigrations } = {}): InterpreterState {
  const current = options.current ?? STATE_FORMAT_VERSION;
  const migrations = options.migrations ?? STATE_MIGRATIONS;
  let version = stateFormatVersion(state);
  if (version > current) {
    throw new InterpreterError(
      INTERPRETER_ERROR_CODE.STATE_FORMAT_UNSUPPORTED,
      `the state is format ${version}; this interpreter reads formats up to ${current}`,
      'state.format',
    );
  }
  let migrated = state as StoredState;
  while (version < current) {
    const step = migrations[version];
    if (!step) {
      throw new InterpreterError(INTERPRETER_ERROR_CODE.STATE_FORMAT_UNSUPPORTED, `no migration from state format ${version}`, 'state.format');
    }
    migrated = step(migrated);
    const next = stateFormatVersion(migrated);
    if (next !== version + 1) {
      throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_STATE, `the migration from format ${version} produced format ${next}`, 'state.format');
    }
    version = next;
  }
  return migrated as unknown as InterpreterState;
}
