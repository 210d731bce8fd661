// `{"$secret": name}` on both engines, run by the shipped worker process: the action receives the
// values, and no value is in the run state, step records, projections, invocations, Temporal
// history, the worker's logs or error messages (each place asserted on its own).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { createPostgresEngine, createPostgresSecretStore, createPostgresStores, parseSecretKey } from '@baton/db-legacy-adapter';
import type { RunView } from '@baton/event-schemas';
import { ActionRegistry, createRuntime, validateDefinition, type Runtime } from '@baton/runtime-core';
import { createTemporalEngine, workflowIdForRun } from '@baton/temporal-adapter';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import { loadActionModules } from './actions/load-action-modules.js';
import { runMigrations } from './migrations/run-migrations.js';
import { eventually, spawnWorker, type SpawnedWorker } from './__fixtures__/worker-process.js';

const TENANT = 'acme';
const SECRET_ACTIONS = fileURLToPath(new URL('./__fixtures__/action-modules/secret-actions.mjs', import.meta.url));
/** in the encrypted table */
const TABLE_VALUE = `tbl-${randomBytes(12).toString('hex')}`;
/** in BATON_SECRETS_FILE */
const FILE_VALUE = `file-${randomBytes(12).toString('hex')}`;
const VALUES = [TABLE_VALUE, FILE_VALUE];
const KEY = randomBytes(32).toString('base64');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const WORKFLOW = {
  name: 'worker.secrets',
  version: '1.0.0',
  steps: [
    { id: 'use', type: 'action.call', action: 'test.use-secret', actionVersion: 1, input: { token: { $secret: 'api-token' }, fileToken: { $secret: 'file-token' } }, saveAs: 'vars.used' },
    {
      id: 'refused',
      type: 'action.call',
      action: 'test.use-secret',
      actionVersion: 1,
      input: { token: { $secret: 'api-token' }, fileToken: { $secret: 'file-token' }, fail: true },
      retry: { maxAttempts: 2, backoffMs: 1, retryOn: ['ActionError'] },
      onError: 'continue',
    },
    { id: 'done', type: 'control.return', output: { used: { $expr: 'vars.used' } } },
  ],
};

let database: FreshDatabase;
let pool: pg.Pool;
let connection: Connection;
let runtime: Runtime;
let worker: SpawnedWorker;
let secretsDir: string;
const taskQueue = `secrets-${randomUUID()}`;
const runs: Record<'db' | 'temporal', RunView | undefined> = { db: undefined, temporal: undefined };

/** Every occurrence of any secret value in `text` (empty when none). */
const leaks = (text: string) => VALUES.filter((v) => text.includes(v) || text.includes(Buffer.from(v).toString('base64')));

async function rowsOf(table: string, where = 'true', params: unknown[] = []): Promise<string> {
  const { rows } = await pool.query(`select row_to_json(t)::text as j from baton.${table} t where ${where}`, params);
  return rows.map((r: { j: string }) => r.j).join('\n');
}

beforeAll(async () => {
  database = await createFreshDatabase('worker_secrets_it');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await runMigrations(pool, 'baton');
  await createPostgresSecretStore({ pool, schema: 'baton', key: parseSecretKey(KEY) }).set(TENANT, 'api-token', TABLE_VALUE);
  secretsDir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
  writeFileSync(join(secretsDir, 'secrets.json'), JSON.stringify({ [TENANT]: { 'file-token': FILE_VALUE } }));

  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const actions = new ActionRegistry((await loadActionModules([SECRET_ACTIONS])).map((l) => l.action));
  // The test plays the ingress (publishes, starts runs); only the worker process runs them.
  runtime = createRuntime({
    engines: { db: createPostgresEngine({ pool, schema: 'baton', actions }), temporal: createTemporalEngine({ client: new Client({ connection }), taskQueue }) },
    ...createPostgresStores({ pool, schema: 'baton' }),
    validateDefinition: (json) => validateDefinition(json, { actions }),
  });
  await runtime.publishDefinition(TENANT, WORKFLOW);
  await runtime.setPolicy(TENANT, WORKFLOW.name, { engine: { type: 'percent', temporalPercent: 50 } });

  worker = spawnWorker({
    DATABASE_URL: database.url,
    BATON_WORKER_ENGINES: 'db,temporal',
    BATON_WORKER_PORT: '0',
    BATON_LOG_LEVEL: 'debug',
    BATON_ACTIONS: SECRET_ACTIONS,
    BATON_SECRETS_KEY: KEY,
    BATON_SECRETS_FILE: join(secretsDir, 'secrets.json'),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    BATON_TASK_QUEUE: taskQueue,
    BATON_DEPLOYMENT_NAME: taskQueue,
    BATON_DEPLOYMENT_SET_CURRENT: 'true',
  });
  await eventually('the worker to be ready', async () => (worker.output().includes('"msg":"worker ready"') ? true : undefined), 60_000);

  for (const engine of ['db', 'temporal'] as const) {
    const { runId } = await runtime.startRun(TENANT, { workflow: WORKFLOW.name, input: {}, engine });
    runs[engine] = await eventually(`the ${engine} run to finish`, async () => {
      const view = await runtime.getRun(TENANT, runId);
      return view.status === 'RUNNING' || view.status === 'WAITING' ? undefined : view;
    }, 60_000);
  }
  worker.child.kill('SIGTERM');
  await worker.exited;
}, 180_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await connection?.close();
  await pool?.end();
  await database?.drop();
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
});

describe.each(['db', 'temporal'] as const)('secrets on the %s engine', (engine) => {
  const run = () => runs[engine]!;

  it('the action received both values (table and file) when it ran', () => {
    expect(run()).toMatchObject({ status: 'SUCCEEDED', output: { used: { tokenSha256: sha256(TABLE_VALUE), fileTokenSha256: sha256(FILE_VALUE) } } });
  });

  it('the run row (state, input, output, error) holds the references, never a value', async () => {
    const row = await rowsOf('workflow_runs', 'run_id = $1', [run().runId]);
    expect(row).not.toBe('');
    expect(leaks(row)).toEqual([]);
  });

  it('the step records hold the redacted error message, never a value', async () => {
    const steps = await rowsOf('workflow_run_steps', 'run_id = $1', [run().runId]);
    expect(steps).toContain('[REDACTED]');
    expect(leaks(steps)).toEqual([]);
    const { items } = await runtime.listSteps(TENANT, run().runId);
    const refused = items.find((s) => s.stepId === 'refused')!;
    expect(refused).toMatchObject({ status: 'FAILED', attempt: 2, error: { code: 'ACTION_FAILED', message: 'the API refused the token [REDACTED] (and [REDACTED])' } });
  });

  it('the action invocations (idempotency records) hold outputs and redacted errors, never a value', async () => {
    const invocations = await rowsOf('workflow_action_invocations', 'tenant_id = $1', [TENANT]);
    expect(invocations).not.toBe('');
    expect(leaks(invocations)).toEqual([]);
  });

  it('no table of the schema holds a value in plain text (projections, waits, events, the secrets table itself)', async () => {
    const { rows } = await pool.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'baton'");
    for (const { table_name } of rows) expect({ table: table_name, leaks: leaks(await rowsOf(table_name)) }).toEqual({ table: table_name, leaks: [] });
  });

  it('the worker logs show the action\'s log line redacted, and no value anywhere', () => {
    const lines = worker.output().split('\n').filter((l) => l.includes(run().runId) || l.includes('calling the API'));
    expect(lines.join('\n')).toContain('calling the API with [REDACTED]');
    expect(leaks(worker.output())).toEqual([]);
  });
});

describe('secrets and Temporal history', () => {
  it('the history carries the references in the activity input and only redacted failures, never a value', async () => {
    const history = await new Client({ connection }).workflow.getHandle(workflowIdForRun(runs.temporal!.runId)).fetchHistory();
    // Payload data is base64 (bytes): decode each to text so a value in any payload would show.
    const decode = (key: string, value: unknown): unknown =>
      value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value;
    const text = JSON.stringify(history, decode);
    expect(text).toContain('$secret');
    expect(text).toContain('[REDACTED]');
    expect(leaks(text)).toEqual([]);
  });
});
