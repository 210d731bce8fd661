import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { createIngressProcess, loadIngressConfig, type IngressProcess } from '@baton/ingress';
import { loadWorkerConfig, startWorker, type BatonWorker } from '@baton/worker';

export const TENANT_A = { tenant: 'tenant-a', key: 'console-key-a' } as const;
export const TENANT_B = { tenant: 'tenant-b', key: 'console-key-b' } as const;

/** The built console the ingress serves. */
export const CONSOLE_DIST = path.resolve(import.meta.dirname, '../../dist');

/** A real ingress (serving the built console) and a Postgres-engine worker on a fresh schema of the harness services. */
export interface ConsoleStack {
  readonly url: string;
  /** true when the harness runs Temporal: Temporal runs can be started (no Temporal worker runs them) */
  readonly temporal: boolean;
  api<T>(tenant: { readonly key: string }, method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Runs SQL in the stack's schema (seeding bulk data the API would take minutes to create). */
  sql(text: string, params?: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run the tests through vitest (the harness starts the services)');
  const temporalAddress = process.env['TEMPORAL_ADDRESS'];
  const schema = `t_console_${randomUUID().slice(0, 8)}`;
  const env = {
    DATABASE_URL: databaseUrl,
    BATON_DB_SCHEMA: schema,
    BATON_API_KEYS: `${TENANT_A.tenant}:${TENANT_A.key},${TENANT_B.tenant}:${TENANT_B.key}`,
    BATON_INGRESS_PORT: '0',
    BATON_DB_POOL_SIZE: '4',
    BATON_CONSOLE_DIR: CONSOLE_DIST,
    // A task queue no Temporal worker polls: Temporal runs only need to exist for the refusal case.
    BATON_TASK_QUEUE: `console-e2e-${randomUUID().slice(0, 8)}`,
    ...(temporalAddress ? { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'] ?? 'default' } : {}),
  };
  const logger = pino({ level: 'warn' });
  const ingress: IngressProcess = await createIngressProcess(loadIngressConfig(env), { logger });
  const url = await ingress.start();
  let worker: BatonWorker | undefined;
  try {
    worker = await startWorker(
      loadWorkerConfig({ ...env, BATON_WORKER_ENGINES: 'db', BATON_WORKER_PORT: '0', BATON_WORKER_CONCURRENCY: '2', BATON_SHUTDOWN_TIMEOUT_MS: '1000' }),
      { logger },
    );
  } catch (err) {
    await ingress.stop();
    throw err;
  }
  return {
    url,
    temporal: temporalAddress !== undefined,
    async api<T>(tenant: { readonly key: string }, method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { authorization: `Bearer ${tenant.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async sql(text: string, params: readonly unknown[] = []) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, options: `-c search_path=${schema}` });
      await pool.query(text, [...params]).finally(() => pool.end());
    },
    async close() {
      await worker?.shutdown();
      await ingress.stop();
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      await pool.query(`drop schema if exists "${schema}" cascade`).finally(() => pool.end());
    },
  };
}
