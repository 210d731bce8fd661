import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresEngine, createPostgresStores } from '@baton/db-legacy-adapter';
import { createActionRegistry, createRuntime, validateDefinition, type Runtime } from '@baton/runtime-core';
import { Client, Connection } from '@temporalio/client';
import { createTemporalEngine } from '@baton/temporal-adapter';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { createWorkflowLabeler } from './metrics/workflow-label.js';
import { runMigrations } from './migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from './__fixtures__/worker-process.js';

const TENANT = 'acme';
const execFileAsync = promisify(execFile);
const SLOW_WORKFLOW = {
  name: 'worker.slow-call',
  version: '1.0.0',
  steps: [
    { id: 'call', type: 'action.call', action: 'http.request', actionVersion: 1, input: { url: { $expr: 'input.url' }, method: 'POST', body: {}, timeoutMs: 60_000 }, saveAs: 'vars.call' },
    { id: 'after', type: 'action.call', action: 'core.echo', actionVersion: 1, input: 'after', saveAs: 'vars.after' },
    { id: 'done', type: 'control.return', output: { status: { $expr: 'vars.call.status' }, after: { $expr: 'vars.after' } } },
  ],
};

/** An endpoint answering 200 after `delays[n]` ms for its n-th request (the last delay repeats). */
async function slowEndpoint(delays: number[]): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    const delay = delays[Math.min(hits, delays.length - 1)] ?? 0;
    hits += 1;
    req.resume();
    setTimeout(() => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }, delay).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/work`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let database: FreshDatabase;
let pool: pg.Pool;
let runtime: Runtime;
const workers: SpawnedWorker[] = [];

function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  // the test endpoints listen on loopback, which http.request denies unless allowed
  return { DATABASE_URL: database.url, BATON_WORKER_ENGINES: 'db', BATON_WORKER_PORT: '0', BATON_LOG_LEVEL: 'info', BATON_METRICS_SAMPLE_MS: '200', BATON_HTTP_ALLOW: '127.0.0.1', ...extra };
}

function start(extra: Record<string, string> = {}): SpawnedWorker {
  const worker = spawnWorker(workerEnv(extra));
  workers.push(worker);
  return worker;
}

/** The URL of the worker's health endpoint, read from its startup log line. */
async function healthUrl(worker: SpawnedWorker): Promise<string> {
  return eventually('the worker to log its health endpoint', async () => /"url":"(http:\/\/[^"]+)","msg":"health and metrics endpoint"/.exec(worker.output())?.[1], 30_000);
}

/** The worker's health URL once it is ready (a Temporal worker bundles its workflows first: 15 s or more on a loaded machine). */
async function ready(worker: SpawnedWorker, timeoutMs = 30_000): Promise<string> {
  const url = await healthUrl(worker);
  await eventually('the worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined), timeoutMs);
  return url;
}

/** A worker process polling a task queue of its own on the shared Temporal dev server. */
interface TemporalWorkerCase {
  /** a runtime playing the ingress: the Temporal engine on the case's task queue (and the Postgres engine with `withDb`) */
  readonly runtime: Runtime;
  readonly worker: SpawnedWorker;
  /** the worker's health and metrics URL */
  readonly url: string;
}

/** Publishes `workflow`, starts a worker with the Temporal engine (and `env`), runs `body`, then stops the worker (exit 0 expected). */
async function withTemporalWorker(
  prefix: string,
  workflow: { readonly name: string },
  options: { readonly withDb?: boolean; readonly env?: Record<string, string> },
  body: (c: TemporalWorkerCase) => Promise<void>,
): Promise<void> {
  const taskQueue = `worker-${prefix}-${randomUUID()}`;
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const actions = createActionRegistry();
    const temporal = createTemporalEngine({ client: new Client({ connection }), taskQueue });
    const caseRuntime = createRuntime({
      engines: options.withDb ? { db: createPostgresEngine({ pool, schema: 'baton', actions }), temporal } : { temporal },
      ...createPostgresStores({ pool, schema: 'baton' }),
      validateDefinition: (json) => validateDefinition(json, { actions }),
    });
    await caseRuntime.publishDefinition(TENANT, workflow);
    const worker = start({
      BATON_WORKER_ENGINES: options.withDb ? 'db,temporal' : 'temporal',
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      BATON_TASK_QUEUE: taskQueue,
      BATON_DEPLOYMENT_NAME: taskQueue,
      BATON_DEPLOYMENT_SET_CURRENT: 'true',
      ...options.env,
    });
    const url = await ready(worker, 90_000);
    await body({ runtime: caseRuntime, worker, url });
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  } finally {
    await connection.close();
  }
}

async function leaseOwner(runId: string): Promise<string | null> {
  const result = await pool.query<{ lease_owner: string | null }>('select lease_owner from baton.workflow_runs where run_id = $1', [runId]);
  return result.rows[0]?.lease_owner ?? null;
}

beforeAll(async () => {
  database = await createFreshDatabase('worker_it');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  const actions = createActionRegistry();
  const stores = createPostgresStores({ pool, schema: 'baton' });
  // The test plays the ingress: it starts runs; the worker process under test executes them.
  runtime = createRuntime({
    engines: { db: createPostgresEngine({ pool, schema: 'baton', actions }) },
    ...stores,
    validateDefinition: (json) => validateDefinition(json, { actions }),
  });
  await runtime.publishDefinition(TENANT, SLOW_WORKFLOW);
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await pool?.end();
  await database?.drop();
});

describe('worker process', () => {
  it('exits 2 with a message naming each bad variable', async () => {
    const worker = spawnWorker({ DATABASE_URL: 'mysql://nope', BATON_WORKER_PORT: 'http', BATON_WORKER_ENGINES: 'db,cron' });
    expect((await worker.exited).code).toBe(2);
    const output = worker.output();
    expect(output).toMatch(/invalid worker configuration/);
    for (const variable of ['DATABASE_URL', 'BATON_WORKER_PORT', 'BATON_WORKER_ENGINES']) expect(output).toMatch(new RegExp(`^ {2}${variable}: `, 'm'));
  });

  it('runs a workflow, reports healthy, and exports run, step and gauge metrics', async () => {
    const endpoint = await slowEndpoint([0]);
    const worker = start();
    const url = await ready(worker);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { database: { ok: true }, postgresEngine: { ok: true } } });

    const { runId } = await runtime.startRun(TENANT, { workflow: SLOW_WORKFLOW.name, input: { url: endpoint.url } });
    const run = await eventually('the run to succeed', async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'SUCCEEDED' ? view : undefined;
    });
    expect(run.output).toEqual({ status: 200, after: 'after' });

    // The unauthenticated /metrics carries no tenant-chosen text: the workflow label is a digest of tenant and name.
    const label = createWorkflowLabeler().label(TENANT, SLOW_WORKFLOW.name);
    const metrics = await eventually('the metrics to show the run', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.includes(`baton_worker_runs_completed_total{engine="db",workflow="${label}"} 1`) && /status="SUCCEEDED"\} 1/.test(text) ? text : undefined;
    });
    expect(metrics).toContain(`baton_runs{engine="db",workflow="${label}",status="SUCCEEDED"} 1`);
    expect(metrics).toMatch(new RegExp(`^baton_runs_started\\{engine="db",workflow="${label}"\\} 1$`, 'm'));
    expect(metrics).not.toContain(SLOW_WORKFLOW.name);
    expect(metrics).not.toContain(TENANT);
    expect(metrics).toMatch(/baton_worker_step_duration_seconds_count\{engine="db",action="http.request@1",outcome="ok"\} 1/);
    expect(metrics).toMatch(/baton_worker_step_duration_seconds_count\{engine="db",action="core.echo@1",outcome="ok"\} 1/);
    expect(metrics).toMatch(/^baton_worker_claim_lag_seconds 0$/m);
    expect(metrics).toMatch(/^baton_runs_waiting\{engine="db"\} 0$/m);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    await endpoint.close();
  });

  it('on SIGTERM stops claiming but lets the in-flight step finish, then exits 0', async () => {
    const endpoint = await slowEndpoint([1500]);
    const worker = start({ BATON_SHUTDOWN_TIMEOUT_MS: '20000' });
    await ready(worker);
    const { runId } = await runtime.startRun(TENANT, { workflow: SLOW_WORKFLOW.name, input: { url: endpoint.url } });
    await eventually('the action to be in flight', async () => (endpoint.hits() === 1 ? true : undefined));
    const signalledAt = performance.now();
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    // It waited for the response (about 1.5 s after the request), not for the whole grace period.
    expect(performance.now() - signalledAt).toBeLessThan(15_000);
    const run = await runtime.getRun(TENANT, runId);
    expect(run.status).toBe('SUCCEEDED');
    expect(endpoint.hits()).toBe(1);
    expect(await leaseOwner(runId)).toBeNull();
    expect(worker.output()).toMatch(/"msg":"shutting down: no new work is claimed/);
    await endpoint.close();
  });

  it('past the shutdown deadline aborts the step, releases the lease at once and exits 0; another worker takes the run over', async () => {
    const endpoint = await slowEndpoint([60_000, 0]);
    const first = start({ BATON_SHUTDOWN_TIMEOUT_MS: '300' });
    await ready(first);
    const { runId } = await runtime.startRun(TENANT, { workflow: SLOW_WORKFLOW.name, input: { url: endpoint.url } });
    await eventually('the action to be in flight', async () => (endpoint.hits() === 1 ? true : undefined));
    expect(await leaseOwner(runId)).not.toBeNull();
    const signalledAt = performance.now();
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(performance.now() - signalledAt).toBeLessThan(10_000);
    expect(await leaseOwner(runId)).toBeNull();
    expect((await runtime.getRun(TENANT, runId)).status).toBe('RUNNING');
    expect(first.output()).toMatch(/"releasedLeases":1/);

    // The lease is 30 s: a takeover well within it shows the lease was handed back, not expired.
    const takeoverStarted = performance.now();
    const second = start();
    const run = await eventually('the second worker to finish the run', async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'SUCCEEDED' ? view : undefined;
    }, 25_000);
    expect(performance.now() - takeoverStarted).toBeLessThan(25_000);
    expect(run.output).toEqual({ status: 200, after: 'after' });
    expect(endpoint.hits()).toBe(2);
    const steps = (await runtime.listSteps(TENANT, runId)).items;
    expect(steps.find((s) => s.stepId === 'call')).toMatchObject({ status: 'SUCCEEDED' });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await endpoint.close();
  });

  it('on the Temporal engine a completed invocation is reused from the Postgres invocations table, never run again', async () => {
    // Two steps share one idempotency key: the second must get the first's stored output (SPEC-dsl).
    const workflow = {
      name: 'worker.idempotent',
      version: '1.0.0',
      steps: [
        { id: 'first', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { n: 1 }, idempotencyKey: { $expr: "'charge-' & input.order" }, saveAs: 'vars.first' },
        { id: 'second', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { n: 2 }, idempotencyKey: { $expr: "'charge-' & input.order" }, saveAs: 'vars.second' },
      ],
    };
    await withTemporalWorker('idem', workflow, {}, async ({ runtime: temporalRuntime }) => {
      const order = randomUUID();
      const { runId } = await temporalRuntime.startRun(TENANT, { workflow: workflow.name, input: { order }, engine: 'temporal' });
      const run = await eventually('the Temporal run to succeed', async () => {
        const view = await temporalRuntime.getRun(TENANT, runId);
        return view.status === 'SUCCEEDED' ? view : undefined;
      }, 60_000);
      expect(run.output).toEqual({ first: { n: 1 }, second: { n: 1 } });
      const rows = await pool.query<{ status: string; output: unknown; step_id: string }>(
        'select status, output, step_id from baton.workflow_action_invocations where tenant_id = $1 and idempotency_key = $2',
        [TENANT, `${TENANT}:charge-${order}`],
      );
      expect(rows.rows).toEqual([{ status: 'COMPLETED', output: { n: 1 }, step_id: 'first' }]);
    });
  });

  it('files the comparison of a shadow pair (Postgres primary, Temporal shadow) and counts it in baton_shadow_comparisons_total{result}', { timeout: 150_000 }, async () => {
    const workflow = {
      name: 'worker.shadowed',
      version: '1.0.0',
      steps: [
        { id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input' }, saveAs: 'vars.echo' },
        { id: 'done', type: 'control.return', output: { $expr: 'vars.echo' } },
      ],
    };
    await withTemporalWorker('shadow', workflow, { withDb: true }, async ({ runtime: bothRuntime, url }) => {
      await bothRuntime.setPolicy(TENANT, workflow.name, { engine: { type: 'db' }, shadow: { percent: 100 } });
      const { runId } = await bothRuntime.startRun(TENANT, { workflow: workflow.name, input: { n: 1 } });
      // The report only reads what was filed: the worker filed it when the pair's last run finished.
      const report = await eventually('the pair to be compared', async () => {
        const r = await bothRuntime.getShadowReport(TENANT, workflow.name);
        return r.compared === 1 ? r : undefined;
      }, 60_000);
      expect(report).toMatchObject({ compared: 1, matched: 1, different: 0, pending: 0 });
      expect((await bothRuntime.getRun(TENANT, runId)).shadow).toMatchObject({ engine: 'temporal', status: 'SUCCEEDED', comparison: 'MATCH' });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^baton_shadow_comparisons_total\{result="MATCH"\} 1$/m);
    });
  });

  it('on the Temporal engine the reconciler fails a run terminated outside Baton (`temporal workflow terminate`) with WORKFLOW_CLOSED_EXTERNALLY', { timeout: 150_000 }, async () => {
    const workflow = {
      name: 'worker.reconciled',
      version: '1.0.0',
      steps: [{ id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: { $expr: 'input.key' } }],
    };
    const env = { BATON_TEMPORAL_RECONCILE_INTERVAL_MS: '300', BATON_TEMPORAL_RECONCILE_STALE_MS: '500' };
    await withTemporalWorker('reconcile', workflow, { env }, async ({ runtime: temporalRuntime, url }) => {
      const { runId } = await temporalRuntime.startRun(TENANT, { workflow: workflow.name, input: { key: randomUUID() }, engine: 'temporal' });
      await eventually('the run to wait', async () => ((await temporalRuntime.getRun(TENANT, runId)).status === 'WAITING' ? true : undefined), 60_000);
      await execFileAsync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['workflow', 'terminate', '--address', process.env.TEMPORAL_ADDRESS!, '--workflow-id', `baton:run:${runId}`, '--reason', 'operator cleanup']);
      const run = await eventually('the reconciler to fail the run', async () => {
        const view = await temporalRuntime.getRun(TENANT, runId);
        return view.status === 'FAILED' ? view : undefined;
      }, 30_000);
      expect(run.error).toMatchObject({ code: 'WORKFLOW_CLOSED_EXTERNALLY', details: { engineStatus: 'TERMINATED', reason: 'operator cleanup' } });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^baton_worker_runs_reconciled_total\{outcome="finished"\} 1$/m);
    });
  });
});
