// The shipped worker loads the action modules of BATON_ACTIONS at start and runs their actions.
import { fileURLToPath } from 'node:url';
import { createPostgresActionCatalog, createPostgresEngine, createPostgresStores, type PostgresActionCatalog } from '@baton/db-legacy-adapter';
import { ActionRegistry, createRuntime, validateDefinition, type Runtime } from '@baton/runtime-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { loadActionModules } from './actions/load-action-modules.js';
import { runMigrations } from './migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from './__fixtures__/worker-process.js';

const TENANT = 'acme';
const GREET = fileURLToPath(new URL('./__fixtures__/action-modules/greet-actions.mjs', import.meta.url));
const GREET_AGAIN = fileURLToPath(new URL('./__fixtures__/action-modules/greet-again-actions.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../examples/actions/shop-actions.mjs', import.meta.url));

const GREETING_WORKFLOW = {
  name: 'worker.user-actions',
  version: '1.0.0',
  steps: [
    { id: 'greet', type: 'action.call', action: 'test.greet', actionVersion: 1, input: { name: { $expr: 'input.name' } }, saveAs: 'vars.greet' },
    { id: 'shout', type: 'action.call', action: 'test.shout', actionVersion: 1, input: { $expr: 'vars.greet.greeting' }, saveAs: 'vars.shout' },
    { id: 'summary', type: 'action.call', action: 'shop.summarize-order', actionVersion: 1, input: { orderId: 'o-1', lines: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 3 }] }, saveAs: 'vars.summary' },
    { id: 'done', type: 'control.return', output: { shout: { $expr: 'vars.shout' }, units: { $expr: 'vars.summary.units' } } },
  ],
};

let database: FreshDatabase;
let pool: pg.Pool;
let runtime: Runtime;
let catalog: PostgresActionCatalog;
const workers: SpawnedWorker[] = [];

beforeAll(async () => {
  database = await createFreshDatabase('worker_actions_it');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  // The test plays the ingress (it only starts runs); the worker process runs them.
  const actions = new ActionRegistry((await loadActionModules([GREET, EXAMPLE])).map((l) => l.action));
  runtime = createRuntime({
    engines: { db: createPostgresEngine({ pool, schema: 'baton', actions }) },
    ...createPostgresStores({ pool, schema: 'baton' }),
    validateDefinition: (json) => validateDefinition(json, { actions }),
  });
  await runtime.publishDefinition(TENANT, GREETING_WORKFLOW);
  catalog = createPostgresActionCatalog({ pool, schema: 'baton' });
});

/** The live providers of `action@1`, as `engine:workers` strings. */
async function providersOf(action: string): Promise<string[]> {
  return ((await catalog.listLive()).find((a) => a.action === action && a.version === 1)?.providers ?? []).map((p) => `${p.engine}:${p.workers}`);
}

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await pool?.end();
  await database?.drop();
});

function start(actions: string, extra: Record<string, string> = {}): SpawnedWorker {
  const worker = spawnWorker({ DATABASE_URL: database.url, BATON_WORKER_ENGINES: 'db', BATON_WORKER_PORT: '0', BATON_ACTIONS: actions, ...extra });
  workers.push(worker);
  return worker;
}

describe('BATON_ACTIONS', () => {
  it('the worker loads the listed modules at start and runs their actions', async () => {
    const worker = start(`${GREET}, ${EXAMPLE}`);
    await eventually('the worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined));
    expect(worker.output()).toContain('"msg":"action modules loaded"');
    const { runId } = await runtime.startRun(TENANT, { workflow: GREETING_WORKFLOW.name, input: { name: 'Ada' } });
    const run = await eventually('the run to finish', async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'RUNNING' || view.status === 'WAITING' ? undefined : view;
    });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { shout: 'HELLO ADA', units: 5 } });
    // It registered what it provides in the live catalog, with JSON Schemas from the zod schemas.
    expect(await providersOf('test.greet')).toEqual(['db:1']);
    expect((await catalog.listLive()).find((a) => a.action === 'shop.summarize-order')).toMatchObject({
      description: 'Counts the units and distinct SKUs of an order',
      inputSchema: { type: 'object', required: ['orderId', 'lines'] },
    });
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    // A clean stop leaves the catalog at once.
    expect(await providersOf('test.greet')).toEqual([]);
  });

  it('a worker that dies without stopping drops out of the catalog when its heartbeat expires', async () => {
    const worker = start(GREET, { BATON_ACTION_CATALOG_TTL_MS: '1500' });
    await eventually('the worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined));
    // Heartbeats keep pushing its expiry past its first lifetime...
    await eventually('a heartbeat', async () => {
      const { rows } = await pool.query<{ extended: boolean }>(`select bool_and(expires_at > registered_at + interval '1600 milliseconds') as extended from baton.action_catalog`);
      return rows[0]?.extended ? true : undefined;
    });
    expect(await providersOf('test.shout')).toEqual(['db:1']);
    worker.child.kill('SIGKILL');
    await worker.exited;
    expect(await providersOf('test.shout')).toEqual(['db:1']);
    // ...and it is gone once the last one expires.
    await eventually('the dead worker to drop out', async () => ((await providersOf('test.shout')).length === 0 ? true : undefined), 10_000);
  });

  it('two modules providing the same action@version stop the start with an error naming both', async () => {
    const worker = start(`${GREET},${GREET_AGAIN}`);
    const exit = await worker.exited;
    expect(exit.code).toBe(1);
    expect(worker.output()).toContain(`action test.greet@1 is provided twice: by ${GREET} and by ${GREET_AGAIN}`);
    expect(worker.output()).not.toContain('worker ready');
  });
});
