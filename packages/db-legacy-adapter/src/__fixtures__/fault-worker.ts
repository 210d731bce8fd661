// A worker process for the fault tests: one Postgres engine worker over the schema given in the
// environment. Every execution of `fault.step` appends a line to FAULT_LOG (a synchronous write:
// it survives kill -9), so the parent can count executions across processes.
import fs from 'node:fs';
import pg from 'pg';
import { z } from 'zod';
import { createActionRegistry, defineAction } from '@baton/runtime-core';
import { createPostgresEngine } from '../engine/postgres-engine.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const workerId = env('FAULT_WORKER_ID');
const logFile = env('FAULT_LOG');

const step = defineAction({
  id: 'fault.step',
  version: 1,
  input: z.object({ ms: z.number(), n: z.number() }),
  output: z.object({ n: z.number() }),
  handler: async (input, ctx) => {
    fs.appendFileSync(logFile, `${ctx.runId} ${ctx.stepId} ${ctx.attempt} ${workerId}\n`);
    if (input.ms > 0) await new Promise((r) => setTimeout(r, input.ms));
    return { n: input.n + 1 };
  },
});

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(process.env.FAULT_POOL_MAX ?? 6), connectionTimeoutMillis: 2000 });
// An idle client broken by a server restart emits 'error' on the pool; without a listener node would crash.
pool.on('error', () => undefined);

const engine = createPostgresEngine({
  pool,
  schema: env('FAULT_SCHEMA'),
  actions: createActionRegistry({ actions: [step] }),
  workerId,
  concurrency: Number(process.env.FAULT_CONCURRENCY ?? 8),
  leaseMs: Number(process.env.FAULT_LEASE_MS ?? 2000),
  pollIntervalMs: Number(process.env.FAULT_POLL_MS ?? 250),
  onWorkerError: (error) => {
    if (process.env.FAULT_VERBOSE) process.stderr.write(`[${workerId}] ${error.message}\n`);
  },
});

await engine.startWorker();
process.stdout.write('ready\n');

const stop = async () => {
  await engine.stopWorker({ graceMs: 5000 });
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
