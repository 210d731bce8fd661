import type pg from 'pg';
import type { WorkerMetrics } from './worker-metrics.js';

/** A periodic reader of the run table's gauges. */
export interface RunTableSampler {
  /** Reads once now (also what the timer does); errors go to `onError`. */
  sample(): Promise<void>;
  stop(): void;
}

interface CountRow {
  tenant_id: string;
  engine: string;
  workflow_name: string;
  status: string;
  runs: string;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * Samples, every `intervalMs`, the runs by engine, workflow and status (`baton_runs`) and their
 * sum over statuses (`baton_runs_started`), the
 * running and waiting runs by engine, and the claim lag: how long the oldest due, unleased
 * Postgres-engine run has waited for a worker. These are cluster-wide numbers read from the
 * database, the same on every worker.
 */
export function startRunTableSampler(options: { pool: pg.Pool; schema: string; metrics: WorkerMetrics; intervalMs: number; onError: (error: Error) => void }): RunTableSampler {
  const { metrics, pool } = options;
  const runs = `${quote(options.schema)}.${quote('workflow_runs')}`;
  let running: Promise<void> | undefined;

  async function read(): Promise<void> {
    // Biggest workflows first, so the label bound keeps the ones that matter most.
    const counts = await pool.query<CountRow>(
      `select tenant_id, engine, workflow_name, status, count(*) as runs from ${runs} where shadow_of is null
       group by tenant_id, engine, workflow_name, status order by sum(count(*)) over (partition by tenant_id, workflow_name) desc, tenant_id, workflow_name`,
    );
    metrics.runsByStatus.reset();
    metrics.runsStarted.reset();
    const totals = new Map<string, number>();
    for (const row of counts.rows) {
      const n = Number(row.runs);
      const workflow = metrics.workflows.label(row.tenant_id, row.workflow_name);
      // inc, not set: the workflows beyond the bound add up under `other`.
      metrics.runsByStatus.inc({ engine: row.engine, workflow, status: row.status }, n);
      metrics.runsStarted.inc({ engine: row.engine, workflow }, n);
      const key = `${row.engine}:${row.status}`;
      totals.set(key, (totals.get(key) ?? 0) + n);
    }
    for (const engine of ['db', 'temporal']) {
      metrics.waitingRuns.set({ engine }, totals.get(`${engine}:WAITING`) ?? 0);
      metrics.runningRuns.set({ engine }, totals.get(`${engine}:RUNNING`) ?? 0);
    }
    // Same predicate as the engine's claim query (due, not leased by a live worker), on its index.
    const lag = await pool.query<{ lag: number | null }>(
      `select extract(epoch from now() - min(wake_at))::float8 as lag from ${runs}
       where engine = 'db' and wake_at <= now() and (lease_owner is null or lease_expires_at < now()) and needs_action is null`,
    );
    metrics.claimLag.set(Math.max(0, lag.rows[0]?.lag ?? 0));
    // Runs a rolling upgrade left waiting for a worker that provides their next action.
    const needing = await pool.query<{ action: string; runs: string }>(
      `select needs_action as action, count(*) as runs from ${runs} where engine = 'db' and needs_action is not null and status = 'RUNNING' group by needs_action`,
    );
    metrics.runsWaitingForAction.reset();
    for (const row of needing.rows) metrics.runsWaitingForAction.set({ action: row.action }, Number(row.runs));
  }

  const sample = (): Promise<void> => {
    running ??= read()
      .catch((error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void sample(), options.intervalMs);
  timer.unref();
  return { sample, stop: () => clearInterval(timer) };
}
