import path from 'node:path';
import { downServices, findRedisServer, findTemporalCli, upServices, type ServiceHandle, type ServiceName } from '@baton/dev-services';
import type { EngineKind } from '@baton/event-schemas';
import { createApiClient, type BatonApiClient } from '../api/baton-api-client.js';
import { DEFAULT_INGRESS_PORT } from '../api/resolve-api-target.js';
import type { CliIo } from '../commands/cli-io.js';
import { devActionModules } from './dev-action-modules.js';
import { DEFAULT_DEMO_INVENTORY_PORT, startDemoInventoryService, type DemoInventoryService } from './demo-inventory-service.js';
import { clearDevState, ensureDevCredentials, ensureDevSecretsKey, writeDevState } from './dev-state.js';
import { startNodeChild, tailFile, type ManagedChild } from './managed-child.js';
import { resolveAppMain } from './resolve-app-main.js';
import { runMigrations } from './run-migrations.js';

/** Port of the worker's health and metrics endpoint under `baton dev` when `BATON_WORKER_PORT` does not say. */
export const DEFAULT_DEV_WORKER_PORT = 7301;

/** How long the worker and ingress may take to answer `/healthz` after they start. */
const READY_TIMEOUT_MS = 90_000;
/** How long each child may take to shut down gracefully before it is killed. */
const STOP_GRACE_MS = 20_000;

/** Options of {@link startDevStack}. */
export interface DevStackOptions {
  /** where services and dev credentials live (`resolveStateDir()`) */
  readonly stateDir: string;
  /** the environment the stack is configured from (SPEC-api configuration table) */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** try to run the Temporal engine (dev server when its CLI is found, or `TEMPORAL_ADDRESS`) @default true */
  readonly temporal?: boolean;
  /** write worker and ingress logs to `<stateDir>/logs/*.log` instead of the terminal @default true */
  readonly logToFiles?: boolean;
  /** action modules the worker loads besides the user's `BATON_ACTIONS` (`baton dev`: the example module the demo calls) @default none */
  readonly actionModules?: readonly string[];
  readonly io: CliIo;
}

/** A running dev stack. */
export interface DevStack {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly tenant: string;
  readonly workerUrl: string;
  readonly temporalUiUrl?: string;
  readonly engines: readonly EngineKind[];
  /** why Temporal is not part of this stack, when it is not */
  readonly temporalUnavailable?: string;
  /** why the event stream consumer is off, when it is */
  readonly redisUnavailable?: string;
  readonly services: readonly ServiceHandle[];
  readonly inventory: DemoInventoryService;
  readonly client: BatonApiClient;
  readonly logDir?: string;
  /** settles with a message when the worker or the ingress exits on its own */
  readonly childFailure: Promise<string>;
  /** Stops everything this stack started (children, demo service, services it started) and nothing else. */
  stop(): Promise<void>;
}

function intFrom(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

/** Decides from a `/healthz` answer whether a child is ready enough to go on. */
type Readiness = (status: number, body: unknown) => boolean;

const healthy: Readiness = (status) => status === 200;

/**
 * The worker is ready for the demo once its database and Postgres engine checks pass; its Temporal
 * engine may still be bundling the workflow code (its runs queue in Temporal until it polls).
 */
const postgresEngineReady: Readiness = (status, body) => {
  if (status === 200) return true;
  const checks = (body as { checks?: Record<string, { ok?: boolean }> } | undefined)?.checks;
  return checks?.database?.ok === true && checks.postgresEngine?.ok === true;
};

async function waitForHealthy(what: string, url: string, child: ManagedChild, timeoutMs: number, ready: Readiness = healthy): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (child.hasExited()) {
      const exit = await child.exited;
      throw new Error(`${what} exited (code ${exit.code ?? exit.signal}) before it was healthy${child.logFile ? `:\n${tailFile(child.logFile)}` : ''}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(4000) });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (ready(response.status, body)) return;
      last = `HTTP ${response.status}: ${text}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} was not healthy within ${timeoutMs} ms (${last})${child.logFile ? `:\n${tailFile(child.logFile)}` : ''}`);
}

/** Stops the services whose handles say this process started them. */
async function stopStartedServices(stateDir: string, services: readonly ServiceHandle[]): Promise<void> {
  const started = services.filter((s) => s.source === 'started').map((s) => s.name);
  if (started.length) await downServices({ only: started, stateDir });
}

/**
 * Starts Baton on embedded defaults: Postgres, Redis (when `redis-server` is found) and the
 * Temporal dev server (when its CLI is found) via `@baton/dev-services`, honouring
 * `DATABASE_URL`, `REDIS_URL` and `TEMPORAL_ADDRESS`; migrations; the worker and the ingress as
 * child processes; the demo inventory service. On any failure it stops what it started.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const { env, io, stateDir } = options;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        io.err(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    const ingressPort = intFrom(env, 'BATON_INGRESS_PORT', DEFAULT_INGRESS_PORT);
    const workerPort = intFrom(env, 'BATON_WORKER_PORT', DEFAULT_DEV_WORKER_PORT);
    const inventoryPort = intFrom(env, 'BATON_DEMO_INVENTORY_PORT', DEFAULT_DEMO_INVENTORY_PORT);

    let temporalUnavailable: string | undefined;
    if (options.temporal === false) temporalUnavailable = 'disabled with --no-temporal';
    else if (!env.TEMPORAL_ADDRESS && !findTemporalCli(stateDir, true)) {
      temporalUnavailable = 'no Temporal CLI found (set TEMPORAL_CLI_PATH, put `temporal` on PATH, or set TEMPORAL_ADDRESS)';
    }
    const redisUnavailable = env.REDIS_URL || findRedisServer() ? undefined : 'no redis-server found (install it or set REDIS_URL)';
    const only: ServiceName[] = ['postgres', ...(redisUnavailable ? [] : (['redis'] as const)), ...(temporalUnavailable ? [] : (['temporal'] as const))];
    io.err(`starting services: ${only.join(', ')}`);
    const up = await upServices({ only, stateDir, temporal: { ui: true, dbFile: path.join(stateDir, 'temporal', 'dev-history.sqlite') } });
    cleanups.push(() => stopStartedServices(stateDir, up.services));
    for (const s of up.services) io.err(`  ${s.name.padEnd(9)} ${s.source.padEnd(8)} ${s.provider}`);

    const databaseUrl = up.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('no DATABASE_URL from the Postgres service');
    const schema = env.BATON_DB_SCHEMA || 'baton';
    const migrated = await runMigrations(databaseUrl, schema);
    io.err(`migrations: ${migrated.applied.length ? `applied ${migrated.applied.join(', ')}` : 'up to date'} (schema ${schema})`);

    const inventory = await startDemoInventoryService({ port: inventoryPort }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      io.err(`port ${inventoryPort} is taken: the demo inventory service uses a free port instead`);
      return startDemoInventoryService({ port: 0 });
    });
    cleanups.push(() => inventory.close());

    const credentials = ensureDevCredentials(stateDir);
    const engines: EngineKind[] = temporalUnavailable ? ['db'] : ['db', 'temporal'];
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...env,
      ...up.env,
      BATON_DB_SCHEMA: schema,
      BATON_API_KEYS: [env.BATON_API_KEYS, `${credentials.tenant}:${credentials.key}`].filter(Boolean).join(','),
      BATON_INGRESS_PORT: String(ingressPort),
      BATON_INGRESS_HOST: env.BATON_INGRESS_HOST || '127.0.0.1',
      BATON_WORKER_PORT: String(workerPort),
      BATON_WORKER_HOST: env.BATON_WORKER_HOST || '127.0.0.1',
      BATON_WORKER_ENGINES: engines.join(','),
      // http.request denies loopback by default: the demo inventory service is allowed explicitly, by its address and port.
      BATON_HTTP_ALLOW: [env.BATON_HTTP_ALLOW, new URL(inventory.url).host].filter(Boolean).join(','),
      BATON_ACTIONS: devActionModules(env.BATON_ACTIONS, options.actionModules ?? [], process.cwd()),
      // `baton secrets set` works out of the box: a dev key kept in the state folder.
      BATON_SECRETS_KEY: env.BATON_SECRETS_KEY || ensureDevSecretsKey(stateDir),
      // One worker build at a time in development: it becomes the deployment's current version, so
      // new Temporal runs reach it (production rollouts set the version explicitly, see README).
      BATON_DEPLOYMENT_SET_CURRENT: env.BATON_DEPLOYMENT_SET_CURRENT || '1',
    };
    if (temporalUnavailable) {
      delete childEnv.TEMPORAL_ADDRESS;
      delete childEnv.TEMPORAL_NAMESPACE;
    }
    if (redisUnavailable) delete childEnv.REDIS_URL;

    const logDir = options.logToFiles === false ? undefined : path.join(stateDir, 'logs');
    const children: ManagedChild[] = [];
    cleanups.push(async () => void (await Promise.all(children.map((c) => c.stop(STOP_GRACE_MS)))));
    const start = (name: 'worker' | 'ingress'): ManagedChild => {
      const child = startNodeChild({ name, script: resolveAppMain(`@baton/${name}`), env: childEnv, ...(logDir ? { logFile: path.join(logDir, `${name}.log`) } : {}) });
      children.push(child);
      return child;
    };
    const worker = start('worker');
    const ingress = start('ingress');

    const host = (h: string): string => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h);
    const apiUrl = `http://${host(childEnv.BATON_INGRESS_HOST!)}:${ingressPort}`;
    const workerUrl = `http://${host(childEnv.BATON_WORKER_HOST!)}:${workerPort}`;
    await Promise.all([waitForHealthy('the ingress', apiUrl, ingress, READY_TIMEOUT_MS), waitForHealthy('the worker', workerUrl, worker, READY_TIMEOUT_MS, postgresEngineReady)]);

    let stopping = false;
    const childFailure = Promise.race(
      [worker, ingress].map(async (child) => {
        const exit = await child.exited;
        if (stopping) return new Promise<string>(() => undefined);
        return `${child.name} exited unexpectedly (code ${exit.code ?? exit.signal})${child.logFile ? `:\n${tailFile(child.logFile)}` : ''}`;
      }),
    );

    const temporalUiUrl = up.services.find((s) => s.name === 'temporal')?.urls?.temporalUi;
    writeDevState(stateDir, {
      pid: process.pid,
      apiUrl,
      apiKey: credentials.key,
      tenant: credentials.tenant,
      workerUrl,
      ...(temporalUiUrl ? { temporalUiUrl } : {}),
    });
    cleanups.push(async () => clearDevState(stateDir));

    return {
      apiUrl,
      apiKey: credentials.key,
      tenant: credentials.tenant,
      workerUrl,
      ...(temporalUiUrl ? { temporalUiUrl } : {}),
      engines,
      ...(temporalUnavailable ? { temporalUnavailable } : {}),
      ...(redisUnavailable ? { redisUnavailable } : {}),
      services: up.services,
      inventory,
      client: createApiClient({ url: apiUrl, key: credentials.key }),
      ...(logDir ? { logDir } : {}),
      childFailure,
      stop: async () => {
        stopping = true;
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
