// A worker process SIGKILLed in the middle of an action: Temporal notices the lost attempt by its
// missing heartbeats (action heartbeat timeout, 10 s by default) instead of at the start-to-close
// timeout (5 min + 10 s), hands it to the other worker, and no step commits twice.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresStores } from '@baton/db-legacy-adapter';
import { createRuntime, validateDefinition } from '@baton/runtime-core';
import { createTemporalEngine } from '@baton/temporal-adapter';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from './migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from './__fixtures__/worker-process.js';

const TENANT = 'acme';
const ACTIONS = fileURLToPath(new URL('./__fixtures__/action-modules/journaled-actions.mjs', import.meta.url));
const WORKFLOW = {
  name: 'lost.activity',
  version: '1.0.0',
  steps: [
    { id: 'long', type: 'action.call', action: 'test.journaled', actionVersion: 1, input: { ms: 6000, n: 1 }, saveAs: 'vars.long' },
    { id: 'short', type: 'action.call', action: 'test.journaled', actionVersion: 1, input: { ms: 0, n: 2 }, saveAs: 'vars.short' },
    { id: 'done', type: 'control.return', output: { long: { $expr: 'vars.long.n' }, short: { $expr: 'vars.short.n' } } },
  ],
};

let database: FreshDatabase;
let pool: pg.Pool;
let connection: Connection;
let dir: string;
const workers: SpawnedWorker[] = [];

beforeAll(async () => {
  database = await createFreshDatabase('lost_activity');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  dir = mkdtempSync(join(tmpdir(), 'baton-lost-activity-'));
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await connection?.close();
  await pool?.end();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an action whose worker died', () => {
  it('is noticed within 30 s and finished by another worker, every step committed once', { timeout: 240_000 }, async () => {
    const journal = join(dir, 'journal.log');
    const taskQueue = `lost-activity-${randomUUID()}`;
    const env = {
      DATABASE_URL: database.url,
      BATON_WORKER_ENGINES: 'temporal',
      BATON_WORKER_PORT: '0',
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      BATON_TASK_QUEUE: taskQueue,
      BATON_DEPLOYMENT_NAME: taskQueue,
      BATON_DEPLOYMENT_SET_CURRENT: 'true',
      BATON_ACTIONS: ACTIONS,
      BATON_TEST_ACTION_JOURNAL: journal,
      BATON_TEMPORAL_RECONCILE_INTERVAL_MS: '0',
    };
    for (let i = 0; i < 2; i++) workers.push(spawnWorker(env));
    for (const worker of workers) await eventually('a worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined), 150_000);

    const runtime = createRuntime({
      engines: { temporal: createTemporalEngine({ client: new Client({ connection }), taskQueue }) },
      ...createPostgresStores({ pool, schema: 'baton' }),
      // The actions live in the worker processes (the live catalog); the test only checks the shape.
      validateDefinition: (json) => validateDefinition(json),
    });
    await runtime.publishDefinition(TENANT, WORKFLOW);
    const { runId } = await runtime.startRun(TENANT, { workflow: WORKFLOW.name, input: {}, engine: 'temporal' });

    const lines = (): string[][] => {
      try {
        return readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.split(' '));
      } catch {
        return [];
      }
    };
    // The worker that took the long step dies in the middle of it.
    const first = await eventually('the long step to start', async () => lines().find(([event, , run, step]) => event === 'start' && run === runId && step === 'long'), 60_000);
    const victim = workers.find((w) => String(w.child.pid) === first[1])!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = performance.now();

    const run = await eventually('the run to succeed', async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'SUCCEEDED' || view.status === 'FAILED' ? view : undefined;
    }, 120_000, 200);
    const seconds = (performance.now() - killedAt) / 1000;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ long: 1, short: 2 });
    // Noticed by the heartbeat timeout (10 s) + the 6 s action again, not the 310 s start-to-close timeout.
    expect(seconds).toBeLessThan(30);

    // The long step ran to its end exactly once (on the survivor), the short one started and ended once.
    const mine = lines().filter(([, , r]) => r === runId);
    expect(mine.filter(([e, , , s]) => e === 'end' && s === 'long').map(([, pid]) => pid)).toEqual([String(workers.find((w) => w !== victim)!.child.pid)]);
    expect(mine.filter(([, , , s]) => s === 'short').map(([e]) => e)).toEqual(['start', 'end']);
    // One step record each, first attempt: the hand-over is not a retry of the step.
    const steps = await pool.query<{ step_id: string; attempt: number; status: string }>('select step_id, attempt, status from baton.workflow_run_steps where run_id = $1 order by step_id, iteration', [runId]);
    expect(steps.rows).toEqual([
      { step_id: 'done', attempt: 1, status: 'SUCCEEDED' },
      { step_id: 'long', attempt: 1, status: 'SUCCEEDED' },
      { step_id: 'short', attempt: 1, status: 'SUCCEEDED' },
    ]);
    const invocations = await pool.query<{ step_id: string; n: string }>(
      'select step_id, count(*) as n from baton.workflow_action_invocations where run_id = $1 group by step_id order by step_id',
      [runId],
    );
    expect(invocations.rows.map((r) => [r.step_id, Number(r.n)])).toEqual([['long', 1], ['short', 1]]);
    console.info(`lost action attempt noticed and the run finished ${seconds.toFixed(1)} s after its worker was killed`);
  });
});
