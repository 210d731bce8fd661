import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createWorkflowLabeler, type WorkflowLabeler } from './workflow-label.js';

/** Label names of the run counters. */
type RunLabels = 'engine' | 'workflow';

/** The worker's Prometheus metrics, on a registry of its own (so several workers can share a process in tests). */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** the `workflow` label value of a tenant's workflow: hashed and bounded, never the name (see `workflow-label.ts`) */
  readonly workflows: WorkflowLabeler;
  /** runs by engine, workflow and status, sampled from the run table (cluster-wide: started = the sum over statuses) */
  readonly runsByStatus: Gauge<RunLabels | 'status'>;
  /** runs started (in any status now), by engine and workflow: the sum of `runsByStatus` over statuses */
  readonly runsStarted: Gauge<RunLabels>;
  /** runs this worker finished SUCCEEDED, by engine and workflow */
  readonly runsCompleted: Counter<RunLabels>;
  /** runs this worker finished FAILED, by engine and workflow */
  readonly runsFailed: Counter<RunLabels>;
  /** runs this worker finished CANCELED (a cancel applied while it held the run), by engine and workflow */
  readonly runsCanceled: Counter<RunLabels>;
  /** wall time of one action attempt (an `action.call` step execution), by engine, action and outcome */
  readonly stepDuration: Histogram<'engine' | 'action' | 'outcome'>;
  /** age of the oldest runnable Postgres-engine run not yet claimed (0 when none is due) */
  readonly claimLag: Gauge;
  /** runs in status WAITING, by engine (sampled, cluster-wide) */
  readonly waitingRuns: Gauge<'engine'>;
  /** runs in status RUNNING, by engine (sampled, cluster-wide) */
  readonly runningRuns: Gauge<'engine'>;
  /** Postgres-engine runs waiting for a worker that provides their next action (rolling upgrades), by `id@version` */
  readonly runsWaitingForAction: Gauge<'action'>;
  /** runs this worker left to others because it lacks their next action */
  readonly runsLeftForAction: Counter<'action'>;
  /** Temporal runs the reconciler compared with Temporal, by what it did (`kept`, `finished`, `restarted`, `error`) */
  readonly runsReconciled: Counter<'outcome'>;
  /** shadow comparisons this worker filed (the pair's last run finished here), by `MATCH`/`DIFFERENT` */
  readonly shadowComparisons: Counter<'result'>;
  /** automatic rollbacks (Temporal's share of new runs set to 0), by workflow and the bound crossed (`error_rate`, `p99_latency`) */
  readonly rolloutRollbacks: Counter<'workflow' | 'trigger'>;
}

/** Histogram buckets of step durations, in seconds: 1 ms to 60 s. */
export const STEP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** Options of {@link createWorkerMetrics}. */
export interface WorkerMetricsOptions {
  /** key of the workflow label hash (`BATON_METRICS_LABEL_KEY`) @default none: plain SHA-256 */
  readonly labelKey?: string;
  /** distinct workflow label values (`BATON_METRICS_MAX_WORKFLOWS`) @default 50 */
  readonly maxWorkflows?: number;
}

/** Creates the worker's metrics and registers Node's default process metrics beside them. */
export function createWorkerMetrics(options: WorkerMetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'baton_worker_' });
  const runLabels = ['engine', 'workflow'] as const;
  return {
    registry,
    workflows: createWorkflowLabeler({
      ...(options.labelKey ? { key: options.labelKey } : {}),
      ...(options.maxWorkflows ? { maxWorkflows: options.maxWorkflows } : {}),
    }),
    runsByStatus: new Gauge({
      name: 'baton_runs',
      help: 'Runs by engine, workflow and status, sampled from the run table (cluster-wide)',
      labelNames: [...runLabels, 'status'],
      registers: [registry],
    }),
    runsStarted: new Gauge({
      name: 'baton_runs_started',
      help: 'Runs started (any status now), by engine and workflow, sampled from the run table (cluster-wide)',
      labelNames: runLabels,
      registers: [registry],
    }),
    runsCompleted: new Counter({ name: 'baton_worker_runs_completed_total', help: 'Runs this worker finished SUCCEEDED', labelNames: runLabels, registers: [registry] }),
    runsFailed: new Counter({ name: 'baton_worker_runs_failed_total', help: 'Runs this worker finished FAILED', labelNames: runLabels, registers: [registry] }),
    runsCanceled: new Counter({ name: 'baton_worker_runs_canceled_total', help: 'Runs this worker finished CANCELED', labelNames: runLabels, registers: [registry] }),
    stepDuration: new Histogram({
      name: 'baton_worker_step_duration_seconds',
      help: 'Wall time of one action attempt (action.call step execution)',
      labelNames: ['engine', 'action', 'outcome'],
      buckets: [...STEP_DURATION_BUCKETS],
      registers: [registry],
    }),
    claimLag: new Gauge({
      name: 'baton_worker_claim_lag_seconds',
      help: 'Age of the oldest runnable Postgres-engine run that no worker has claimed yet',
      registers: [registry],
    }),
    waitingRuns: new Gauge({ name: 'baton_runs_waiting', help: 'Runs in status WAITING', labelNames: ['engine'], registers: [registry] }),
    runningRuns: new Gauge({ name: 'baton_runs_running', help: 'Runs in status RUNNING', labelNames: ['engine'], registers: [registry] }),
    runsWaitingForAction: new Gauge({
      name: 'baton_runs_waiting_for_action',
      help: 'Postgres-engine runs waiting for a live worker that provides their next action',
      labelNames: ['action'],
      registers: [registry],
    }),
    runsLeftForAction: new Counter({
      name: 'baton_worker_runs_left_for_action_total',
      help: 'Runs this worker released to workers that provide their next action (it lacks it)',
      labelNames: ['action'],
      registers: [registry],
    }),
    shadowComparisons: new Counter({
      name: 'baton_shadow_comparisons_total',
      help: 'Shadow comparisons filed (a primary and its shadow both finished), by result (MATCH, DIFFERENT)',
      labelNames: ['result'],
      registers: [registry],
    }),
    runsReconciled: new Counter({
      name: 'baton_worker_runs_reconciled_total',
      help: 'Stale Temporal run projections this worker compared with Temporal, by outcome (kept, finished, restarted, error)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    rolloutRollbacks: new Counter({
      name: 'baton_rollout_rollbacks_total',
      help: "Automatic rollbacks: a workflow's Temporal share of new runs set to 0, by the bound its finished runs crossed (error_rate, p99_latency)",
      labelNames: ['workflow', 'trigger'],
      registers: [registry],
    }),
  };
}
