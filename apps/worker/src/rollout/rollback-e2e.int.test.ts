// Automatic rollback end to end (issue 17, item 4): a Postgres-engine worker process and a
// Temporal-engine worker process run the same workflow at 50 % / 50 %; the Temporal workers run a
// broken build of its action, so only Temporal runs fail. The rollback loop sets Temporal's share of
// new runs to 0 on its own, records why, logs it and counts it; new runs then go to Postgres.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { createPostgresEngine, createPostgresStores } from '@baton/db-legacy-adapter';
import { ActionRegistry, createRuntime, validateDefinition, type Runtime } from '@baton/runtime-core';
import { createTemporalEngine } from '@baton/temporal-adapter';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { loadActionModules } from '../actions/load-action-modules.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from '../__fixtures__/worker-process.js';

const TENANT = 'acme';
const module = (name: string) => fileURLToPath(new URL(`../__fixtures__/action-modules/${name}`, import.meta.url));
const WORKFLOW = {
  name: 'orders.charge',
  version: '1.0.0',
  steps: [
    { id: 'charge', type: 'action.call', action: 'test.charge', actionVersion: 1, input: { orderId: { $expr: 'input.orderId' } }, saveAs: 'vars.charge' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.charge' } },
  ],
};
const ROLLBACK = { minRuns: 3, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 };

let database: FreshDatabase;
let pool: pg.Pool;
let connection: Connection;
let runtime: Runtime;
const workers: SpawnedWorker[] = [];
const taskQueue = `rollback-${randomUUID()}`;

function startWorker(engine: 'db' | 'temporal', actions: string): SpawnedWorker {
  const worker = spawnWorker({
    DATABASE_URL: database.url,
    BATON_WORKER_ENGINES: engine,
    BATON_WORKER_PORT: '0',
    BATON_ACTIONS: actions,
    BATON_ROLLBACK_INTERVAL_MS: '300',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    BATON_TASK_QUEUE: taskQueue,
    BATON_DEPLOYMENT_NAME: taskQueue,
    BATON_DEPLOYMENT_SET_CURRENT: 'true',
  });
  workers.push(worker);
  return worker;
}

async function finished(runId: string): Promise<string> {
  return eventually(`run ${runId} to finish`, async () => {
    const view = await runtime.getRun(TENANT, runId);
    return view.status === 'RUNNING' || view.status === 'WAITING' ? undefined : view.status;
  }, 60_000);
}

beforeAll(async () => {
  database = await createFreshDatabase('worker_rollback_it');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const actions = new ActionRegistry((await loadActionModules([module('charge-actions.mjs')])).map((l) => l.action));
  // The test plays the ingress (publishes, sets the policy, starts runs); only the worker processes run them.
  runtime = createRuntime({
    engines: { db: createPostgresEngine({ pool, schema: 'baton', actions }), temporal: createTemporalEngine({ client: new Client({ connection }), taskQueue }) },
    ...createPostgresStores({ pool, schema: 'baton' }),
    validateDefinition: (json) => validateDefinition(json, { actions }),
  });
  await runtime.publishDefinition(TENANT, WORKFLOW);
  await runtime.setPolicy(TENANT, WORKFLOW.name, { engine: { type: 'percent', temporalPercent: 50 }, rollback: ROLLBACK });
  const ready = (w: SpawnedWorker) => eventually('a worker to be ready', async () => (w.output().includes('"msg":"worker ready"') ? true : undefined), 90_000);
  await Promise.all([ready(startWorker('db', module('charge-actions.mjs'))), ready(startWorker('temporal', module('charge-broken-actions.mjs')))]);
}, 180_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await connection?.close();
  await pool?.end();
  await database?.drop();
});

describe('automatic rollback, end to end', () => {
  it("drops Temporal's share to 0 when only Temporal runs fail, and new runs go to Postgres", { timeout: 180_000 }, async () => {
    const started: { runId: string; engine: 'db' | 'temporal' }[] = [];
    for (let i = 0; i < ROLLBACK.minRuns; i++) {
      for (const engine of ['db', 'temporal'] as const) started.push({ engine, runId: (await runtime.startRun(TENANT, { workflow: WORKFLOW.name, input: { orderId: `o-${engine}-${i}` }, engine })).runId });
    }
    for (const run of started) expect([run.engine, await finished(run.runId)]).toEqual([run.engine, run.engine === 'db' ? 'SUCCEEDED' : 'FAILED']);

    const policy = await eventually('the rollback', async () => {
      const p = (await runtime.getWorkflow(TENANT, WORKFLOW.name)).policy;
      return p.engine?.type === 'percent' && p.engine.temporalPercent === 0 ? p : undefined;
    }, 30_000);
    expect(policy).toEqual({ versionPolicy: { type: 'latest' }, engine: { type: 'percent', temporalPercent: 0 }, rollback: ROLLBACK });
    const { history } = await runtime.getWorkflow(TENANT, WORKFLOW.name);
    expect(history[0]).toMatchObject({ actor: 'baton-rollback', forced: false, reason: 'automatic rollback: Temporal error rate 1 (3/3) exceeds 2x Postgres 0 (0/3)' });

    // exactly one of the two workers (the advisory lock's holder) rolled it back, logged it and counted it
    const logged = await eventually('the rollback log line', async () => {
      const lines = workers.flatMap((w) => w.output().split('\n').filter((l) => l.includes('rollout rollback: Temporal')));
      return lines.length ? lines : undefined;
    });
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: 40, tenant: TENANT, workflow: WORKFLOW.name, trigger: 'error_rate', fromTemporalPercent: 50 });
    const metrics = await Promise.all(
      workers.map(async (w) => {
        const url = /"url":"(http:\/\/[^"]+)","msg":"health and metrics endpoint"/.exec(w.output())![1];
        return (await fetch(`${url}/metrics`)).text();
      }),
    );
    expect(metrics.join('\n').match(/^baton_rollout_rollbacks_total\{workflow="[^"]+",trigger="error_rate"\} 1$/gm)).toHaveLength(1);

    // new runs go to Postgres and succeed
    const after = await runtime.startRun(TENANT, { workflow: WORKFLOW.name, input: { orderId: 'o-after' } });
    expect(after.engine).toBe('db');
    expect(await finished(after.runId)).toBe('SUCCEEDED');
  });
});
