// Rolling upgrades never fail a run for a missing action: two worker processes with different
// action sets; the one lacking the action leaves the run to the one that has it.
import { fileURLToPath } from 'node:url';
import { createPostgresEngine, createPostgresStores } from '@baton/db-legacy-adapter';
import { ActionRegistry, createRuntime, validateDefinition, type Runtime } from '@baton/runtime-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { loadActionModules } from './actions/load-action-modules.js';
import { runMigrations } from './migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from './__fixtures__/worker-process.js';

const TENANT = 'acme';
/** provides test.greet@1 and test.greet@2: the "new build" */
const NEW_ACTIONS = fileURLToPath(new URL('./__fixtures__/action-modules/greet-again-actions.mjs', import.meta.url));

/** The new definition calls test.greet@2, which only the upgraded workers provide. */
const UPGRADED_WORKFLOW = {
  name: 'worker.upgraded',
  version: '1.0.0',
  steps: [
    { id: 'before', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input.name' }, saveAs: 'vars.before' },
    { id: 'greet', type: 'action.call', action: 'test.greet', actionVersion: 2, input: { name: { $expr: 'vars.before' } }, saveAs: 'vars.greet' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.greet.greeting' } },
  ],
};

let database: FreshDatabase;
let pool: pg.Pool;
let runtime: Runtime;
const workers: SpawnedWorker[] = [];

beforeAll(async () => {
  database = await createFreshDatabase('worker_upgrade_it');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  const actions = new ActionRegistry((await loadActionModules([NEW_ACTIONS])).map((l) => l.action));
  // The test plays the ingress (it starts runs); only the worker processes run them.
  runtime = createRuntime({
    engines: { db: createPostgresEngine({ pool, schema: 'baton', actions }) },
    ...createPostgresStores({ pool, schema: 'baton' }),
    validateDefinition: (json) => validateDefinition(json, { actions }),
  });
  await runtime.publishDefinition(TENANT, UPGRADED_WORKFLOW);
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await pool?.end();
  await database?.drop();
});

function start(env: Record<string, string>): SpawnedWorker {
  const worker = spawnWorker({ DATABASE_URL: database.url, BATON_WORKER_ENGINES: 'db', BATON_WORKER_PORT: '0', BATON_METRICS_SAMPLE_MS: '200', ...env });
  workers.push(worker);
  return worker;
}

async function ready(worker: SpawnedWorker): Promise<string> {
  const url = await eventually('the health endpoint', async () => /"url":"(http:\/\/[^"]+)","msg":"health and metrics endpoint"/.exec(worker.output())?.[1]);
  await eventually('the worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined));
  return url;
}

async function statuses(runIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>('select status, count(*)::int as n from baton.workflow_runs where run_id = any($1) group by status', [runIds]);
  return new Map(rows.map((r) => [r.status, r.n]));
}

describe('Postgres engine: a worker lacking the next action', () => {
  it('leaves the run waiting (step WAITING, metric) for a worker that provides it; upgrading mid-load fails no run', async () => {
    const old = start({});
    const oldUrl = await ready(old);
    const runIds: string[] = [];
    for (let i = 0; i < 10; i += 1) runIds.push((await runtime.startRun(TENANT, { workflow: UPGRADED_WORKFLOW.name, input: { name: `n${i}` } })).runId);

    // Every run gets past `before` and waits for test.greet@2: none fails, the step says WAITING.
    await eventually('the old worker to leave every run', async () => {
      const { rows } = await pool.query<{ n: number }>("select count(*)::int as n from baton.workflow_runs where run_id = any($1) and needs_action = 'test.greet@2'", [runIds]);
      return rows[0]!.n === runIds.length ? true : undefined;
    });
    expect((await statuses(runIds)).get('FAILED')).toBeUndefined();
    const steps = await runtime.listSteps(TENANT, runIds[0]!);
    expect(steps.items.map((s) => `${s.stepId}:${s.status}`)).toEqual(['before:SUCCEEDED', 'greet:WAITING']);
    const metrics = await eventually('the waiting gauge', async () => {
      const text = await (await fetch(`${oldUrl}/metrics`)).text();
      return text.includes(`baton_runs_waiting_for_action{action="test.greet@2"} ${runIds.length}`) ? text : undefined;
    });
    expect(metrics).toMatch(/^baton_worker_runs_left_for_action_total\{action="test.greet@2"\} 10$/m);
    // It does not claim them again (no busy loop): the counter stays put while it keeps polling.
    await eventually('a few more claim polls', async () => ((await (await fetch(`${oldUrl}/metrics`)).text()).length > 0 ? true : undefined));
    expect(old.output().match(/lacks the next action/g)).toHaveLength(runIds.length);

    // The rolling upgrade: a new worker comes up while runs keep arriving, then the old one stops.
    const upgraded = start({ BATON_ACTIONS: NEW_ACTIONS });
    const starting = ready(upgraded);
    for (let i = 10; i < 20; i += 1) runIds.push((await runtime.startRun(TENANT, { workflow: UPGRADED_WORKFLOW.name, input: { name: `n${i}` } })).runId);
    await starting;
    for (let i = 20; i < 30; i += 1) runIds.push((await runtime.startRun(TENANT, { workflow: UPGRADED_WORKFLOW.name, input: { name: `n${i}` } })).runId);
    old.child.kill('SIGTERM');
    expect((await old.exited).code).toBe(0);

    const done = await eventually('every run to finish', async () => {
      const s = await statuses(runIds);
      return (s.get('SUCCEEDED') ?? 0) + (s.get('FAILED') ?? 0) === runIds.length ? s : undefined;
    }, 60_000);
    expect(done.get('FAILED')).toBeUndefined();
    expect(done.get('SUCCEEDED')).toBe(30);
    expect((await runtime.getRun(TENANT, runIds[0]!)).output).toBe('hello there, n0');
    expect((await runtime.listSteps(TENANT, runIds[0]!)).items.map((s) => `${s.stepId}:${s.status}`)).toEqual(['before:SUCCEEDED', 'greet:SUCCEEDED', 'done:SUCCEEDED']);
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from baton.workflow_runs where run_id = any($1) and needs_action is not null', [runIds]);
    expect(rows[0]!.n).toBe(0);
    upgraded.child.kill('SIGTERM');
    await upgraded.exited;
  });

  it('a run waiting past BATON_ACTION_WAIT_TIMEOUT_MS with no live provider fails ACTION_UNAVAILABLE', async () => {
    const old = start({ BATON_ACTION_WAIT_TIMEOUT_MS: '1500' });
    await ready(old);
    const { runId } = await runtime.startRun(TENANT, { workflow: UPGRADED_WORKFLOW.name, input: { name: 'late' } });
    const run = await eventually('the run to fail', async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'FAILED' ? view : undefined;
    }, 30_000);
    expect(run.error).toMatchObject({ category: 'ActionError', code: 'ACTION_UNAVAILABLE', stepId: 'greet' });
    expect(run.error?.message).toMatch(/^no live worker provides test\.greet@2/);
    old.child.kill('SIGTERM');
    await old.exited;
  });
});
