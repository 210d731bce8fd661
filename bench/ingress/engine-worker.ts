/**
 * Benchmark helper process: the Postgres engine's claim loop and a Baton Temporal worker over the
 * benchmark schema (what the worker app deploys), so runs advance while the ingress is measured.
 * Env: DATABASE_URL, BATON_DB_SCHEMA, TEMPORAL_ADDRESS, BATON_TASK_QUEUE. Prints "ready" when both poll.
 */
import { NativeConnection } from '@temporalio/worker';
import pg from 'pg';
import { createPostgresEngine, createPostgresStores } from '@baton/db-legacy-adapter';
import { createActionRegistry } from '@baton/runtime-core';
import { createBatonWorker } from '@baton/temporal-adapter';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const schema = env('BATON_DB_SCHEMA');
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 8 });
pool.on('error', () => undefined);
const actions = createActionRegistry();
const stores = createPostgresStores({ pool, schema });
const engine = createPostgresEngine({ pool, schema, actions, concurrency: 8 });
await engine.startWorker();

const native = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const worker = await createBatonWorker({
  connection: native,
  taskQueue: env('BATON_TASK_QUEUE'),
  actions,
  store: stores,
  deployment: 'unversioned',
  tuning: { maxConcurrentActivityTaskExecutions: 16, maxConcurrentWorkflowTaskExecutions: 32 },
});
const running = worker.run();
process.stdout.write('ready\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  worker.shutdown();
  await running;
  await engine.stopWorker({ graceMs: 1_000 });
  await native.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
