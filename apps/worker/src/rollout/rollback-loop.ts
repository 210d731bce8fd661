import type pg from 'pg';
import type { Logger } from 'pino';
import { startAdvisoryLockLoop } from '../loops/advisory-lock-loop.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { rollbackPass, type BatonDatabase, type RollbackPassOptions, type RollbackPassReport } from './rollback-pass.js';

/** Options of {@link startRollbackLoop}. */
export interface RollbackLoopOptions extends RollbackPassOptions {
  readonly db: BatonDatabase;
  /** the worker's pool: the advisory lock that elects one evaluating worker per pass lives on one of its connections */
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly intervalMs: number;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
}

/** A running rollback loop. */
export interface RollbackLoop {
  /** One pass now (what the timer does): `undefined` when another worker holds the lock, the loop stopped, or the pass failed. */
  pass(): Promise<RollbackPassReport | undefined>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs the automatic rollback every `intervalMs`, like the Temporal reconciler: one worker evaluates
 * at a time, the one holding a session advisory lock (`pg_try_advisory_lock`, keyed by the schema);
 * the others skip that pass, and Postgres releases the lock if the worker dies. Each rollback is
 * logged (warn, with the measured window) and counted in `baton_rollout_rollbacks_total`.
 */
export function startRollbackLoop(options: RollbackLoopOptions): RollbackLoop {
  const { logger, metrics } = options;
  return startAdvisoryLockLoop({
    pool: options.pool,
    lockKey: `baton:rollout-rollback:${options.schema}`,
    intervalMs: options.intervalMs,
    logger,
    failureMessage: 'rollout rollback: pass failed',
    body: async () => {
      const report = await rollbackPass(options.db, options);
      for (const r of report.rolledBack) {
        metrics.rolloutRollbacks.inc({ workflow: metrics.workflows.label(r.tenant, r.workflow), trigger: r.trigger });
        logger.warn(
          { tenant: r.tenant, workflow: r.workflow, trigger: r.trigger, reason: r.reason, fromTemporalPercent: r.fromTemporalPercent, window: r.window },
          "rollout rollback: Temporal's share of new runs set to 0 (running runs keep their engine)",
        );
      }
      for (const s of report.superseded) logger.info(s, 'rollout rollback: the engine policy changed since the breach was measured; judged again next pass');
      for (const e of report.errors) logger.warn(e, 'rollout rollback: could not judge the workflow (tried again next pass)');
      return report;
    },
  });
}
