import type { TemporalReconciler } from '@baton/temporal-adapter';
import type pg from 'pg';
import type { Logger } from 'pino';
import { startAdvisoryLockLoop } from '../loops/advisory-lock-loop.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';

/** Options of {@link startTemporalReconcileLoop}. */
export interface TemporalReconcileLoopOptions {
  readonly reconciler: TemporalReconciler;
  /** the worker's pool: the advisory lock that elects one reconciling worker per pass lives on one of its connections */
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly intervalMs: number;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
}

/** A running reconcile loop. */
export interface TemporalReconcileLoop {
  /** One pass now (what the timer does): `undefined` when another worker holds the lock or a pass is running. */
  pass(): Promise<void>;
  /** Stops the timer and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs the Temporal reconciler every `intervalMs`. One worker reconciles at a time: a pass runs
 * only while its worker holds a session advisory lock (`pg_try_advisory_lock`, keyed by the schema);
 * the others skip that pass. The lock is released after the pass, and by Postgres if the worker dies.
 * The reconciler's writes are compare-and-sets anyway, so two passes at once would change nothing twice.
 */
export function startTemporalReconcileLoop(options: TemporalReconcileLoopOptions): TemporalReconcileLoop {
  const { logger, metrics } = options;
  const loop = startAdvisoryLockLoop({
    pool: options.pool,
    lockKey: `baton:temporal-reconciler:${options.schema}`,
    intervalMs: options.intervalMs,
    logger,
    failureMessage: 'temporal reconciler: pass failed',
    body: async () => {
      const report = await options.reconciler.reconcileOnce();
      const changed = report.finished.length + report.restarted.length;
      metrics.runsReconciled.inc({ outcome: 'kept' }, report.checked.length - changed - report.errors.length);
      if (report.finished.length) metrics.runsReconciled.inc({ outcome: 'finished' }, report.finished.length);
      if (report.restarted.length) metrics.runsReconciled.inc({ outcome: 'restarted' }, report.restarted.length);
      if (report.errors.length) metrics.runsReconciled.inc({ outcome: 'error' }, report.errors.length);
      for (const run of report.finished) logger.warn(run, 'temporal reconciler: the projection missed how Temporal ended the run; it now says so');
      for (const run of report.restarted) logger.warn(run, 'temporal reconciler: Temporal had no workflow for a run that never started; started it again');
      for (const error of report.errors) logger.warn(error, 'temporal reconciler: could not compare the run with Temporal (tried again next pass)');
    },
  });
  return { pass: async () => void (await loop.pass()), stop: () => loop.stop() };
}
