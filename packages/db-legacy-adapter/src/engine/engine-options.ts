import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ActionLogger, ActionRegistry, InterpreterLimits, SecretStore } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import type { DriverTestHooks } from '@baton/runtime-core';
import { DEFAULT_SCHEMA } from '../migrations/migrate.js';

/** What a run that reached a final status reports to {@link PostgresEngineOptions.onRunSettled}. */
export interface SettledRun {
  readonly tenant: string;
  readonly runId: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  /** whether the run is one of a shadow pair (`undefined`: not known where it settled, so looked up) */
  readonly shadowed?: boolean;
  /** the run's workflow name, where it settled after a claim (`undefined`: not known there) */
  readonly workflow?: string;
  /** with `workflow`: the run's role in a shadow pair, `null` when it is in none */
  readonly shadowRole?: 'primary' | 'shadow' | null;
}

/** Options of `createPostgresEngine`. */
export interface PostgresEngineOptions {
  /** A `pg.Pool` (or its shape). The engine never ends it; attach `pool.on('error', ...)` yourself. */
  readonly pool: PgPoolLike;
  /** The actions this worker can run. */
  readonly actions: ActionRegistry;
  /** Schema holding Baton's tables (apply `migrateToLatest` first). @default 'baton' */
  readonly schema?: string;
  /** Lease owner id of this process. @default `${hostname}:${pid}:${random}` */
  readonly workerId?: string;
  /** Runs processed at once by this worker. @default 16 */
  readonly concurrency?: number;
  /** Lease length; a crashed worker's runs are taken over after it. Renewed by commits and every third of it. @default 30000 */
  readonly leaseMs?: number;
  /** Fallback poll of the claim query when no notification arrives. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Most run commits written in one transaction. @default 64 */
  readonly maxBatchSize?: number;
  /**
   * Group-commit transactions in flight at once: with 2, runs whose next result is ready while a
   * transaction waits for its WAL flush go out in the next one instead of waiting (costs CPU; helps
   * when the database is remote and slow to answer). @default 1
   */
  readonly commitConcurrency?: number;
  /**
   * Most event deliveries written in one transaction: the deliveries made in the same turn of the
   * event loop (e.g. a batch of events the run service routes together) share one lock statement,
   * one conditional resolve and one group commit. `1` gives every delivery its own transaction. @default 64
   */
  readonly maxEventBatchSize?: number;
  /** A timer (sleep, retry back-off, timeout) due within this keeps the run claimed and sleeps in-process instead of releasing it. @default 1000 */
  readonly inlineTimerMaxMs?: number;
  /**
   * Send the hot-path statements as named prepared statements (parsed and planned once per
   * connection). Turn off behind a transaction-mode connection pooler. @default true
   */
  readonly preparedStatements?: boolean;
  /**
   * How long a run may wait for a worker that provides its next action (this worker lacks it; the
   * run is left to workers that have it). Past it, with no live worker of this engine providing the
   * action in the catalog, the step fails `ACTION_UNAVAILABLE` (an ActionError). @default 86_400_000 (1 day)
   */
  readonly actionWaitTimeoutMs?: number;
  /** Called when this worker leaves a run to workers that provide its next action (`action` = `id@version`). */
  readonly onActionMissing?: (run: { readonly tenant: string; readonly runId: string; readonly action: string }) => void;
  /** Interpreter limits (read at a run's start). @default runtime-core's defaults */
  readonly limits?: Partial<InterpreterLimits>;
  /** Logger handed to actions. */
  readonly actionLogger?: ActionLogger;
  /** Where `{"$secret": name}` references of action inputs resolve from when the action runs. @default none (a reference fails `UNKNOWN_SECRET`) */
  readonly secrets?: SecretStore;
  /** Called after a commit by this process made a run final. */
  readonly onRunSettled?: (run: SettledRun) => void;
  /** Called on errors the worker loop survives (connection loss, lost lease). */
  readonly onWorkerError?: (error: Error) => void;
  /** The clock fed to the interpreter as `now`. @default () => new Date() */
  readonly clock?: () => Date;
  /** How long a shadow run waits for its primary to record an action call before it stops (`ACTION_NOT_CALLED_BY_PRIMARY`). @default 60000 */
  readonly shadowActionWaitMs?: number;
  /** Told once per shadow comparison this engine filed (a pair whose last run finished here). @default none */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /** Test-only hooks that make this driver differ (shadow comparison tests). @default none */
  readonly testHooks?: DriverTestHooks;
}

/** Options with every default applied. */
export interface ResolvedEngineOptions extends Required<Omit<PostgresEngineOptions, 'actionLogger' | 'secrets' | 'onRunSettled' | 'onWorkerError' | 'limits' | 'onActionMissing' | 'shadowActionWaitMs' | 'testHooks' | 'onShadowCompared'>> {
  readonly shadowActionWaitMs?: number;
  readonly testHooks?: DriverTestHooks;
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  readonly onActionMissing?: PostgresEngineOptions['onActionMissing'];
  readonly actionLogger?: ActionLogger;
  readonly secrets?: SecretStore;
  readonly onRunSettled?: (run: SettledRun) => void;
  readonly onWorkerError?: (error: Error) => void;
  readonly limits?: Partial<InterpreterLimits>;
}

/** Applies the defaults of {@link PostgresEngineOptions}. */
export function resolveEngineOptions(options: PostgresEngineOptions): ResolvedEngineOptions {
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
    return value;
  };
  return {
    ...options,
    schema: options.schema ?? DEFAULT_SCHEMA,
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: positive('concurrency', options.concurrency ?? 16),
    leaseMs: positive('leaseMs', options.leaseMs ?? 30_000),
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 1000),
    maxBatchSize: positive('maxBatchSize', options.maxBatchSize ?? 64),
    maxEventBatchSize: positive('maxEventBatchSize', options.maxEventBatchSize ?? 64),
    commitConcurrency: positive('commitConcurrency', options.commitConcurrency ?? 1),
    preparedStatements: options.preparedStatements ?? true,
    inlineTimerMaxMs: options.inlineTimerMaxMs ?? 1000,
    actionWaitTimeoutMs: positive('actionWaitTimeoutMs', options.actionWaitTimeoutMs ?? 86_400_000),
    clock: options.clock ?? (() => new Date()),
  };
}
