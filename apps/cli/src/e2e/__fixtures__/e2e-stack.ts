import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient, type BatonApiClient } from '../../api/baton-api-client.js';
import { startDemoInventoryService, type DemoInventoryService } from '../../dev/demo-inventory-service.js';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
/** The built entry points the stack runs, as `baton dev` and a deployment do. */
export const MAIN = {
  worker: path.join(repo, 'apps/worker/dist/main.js'),
  ingress: path.join(repo, 'apps/ingress/dist/main.js'),
  cli: path.join(repo, 'apps/cli/dist/bin.js'),
  /** the `baton` executable npm links (`npx baton`), which runs `cli` */
  bin: path.join(repo, 'apps/cli/bin/baton.js'),
} as const;
export const EXAMPLES_DIR = path.join(repo, 'examples');

/** Asks the OS for a free port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface StackProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
  readonly exited: Promise<void>;
}

/** Worker and ingress as separate OS processes over a fresh database, plus the demo inventory service. */
export interface E2eStack {
  readonly apiUrl: string;
  readonly workerUrl: string;
  readonly apiKey: string;
  readonly tenant: string;
  readonly client: BatonApiClient;
  readonly inventory: DemoInventoryService;
  readonly databaseUrl: string;
  /** Runs the `baton` executable against this stack (`env` is added to its environment). */
  cli(args: readonly string[], options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** The last lines of a process's log, for failure messages. */
  logTail(name: 'worker' | 'ingress'): string;
  stop(): Promise<void>;
}

function startProcess(name: string, script: string, env: NodeJS.ProcessEnv, logDir: string): StackProcess {
  const log = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, log, exited };
}

async function waitHealthy(proc: StackProcess, url: string): Promise<void> {
  await eventually(`${proc.name} /healthz 200`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited ${proc.child.exitCode}:\n${fs.readFileSync(proc.log, 'utf8').slice(-3000)}`);
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
    return response.status === 200 ? true : undefined;
  }, 120_000, 200);
}

/**
 * Starts a full stack on the services of the test harness (`DATABASE_URL`, `REDIS_URL`,
 * `TEMPORAL_ADDRESS`): its own database, task queue, deployment name and event stream, so suites
 * and other projects' tests do not see each other's runs.
 */
export async function startE2eStack(options: { testActions?: boolean } = {}): Promise<E2eStack> {
  const { TEMPORAL_ADDRESS, REDIS_URL } = process.env;
  if (!TEMPORAL_ADDRESS || !REDIS_URL) throw new Error('TEMPORAL_ADDRESS and REDIS_URL must be set (the service harness sets them)');
  const suffix = crypto.randomBytes(4).toString('hex');
  const database: FreshDatabase = await createFreshDatabase('baton_e2e');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-e2e-'));
  const [ingressPort, workerPort] = [await freePort(), await freePort()];
  const tenant = 'e2e';
  const apiKey = `e2e-${crypto.randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: database.url,
    REDIS_URL,
    TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    BATON_TASK_QUEUE: `e2e-${suffix}`,
    BATON_DEPLOYMENT_NAME: `e2e-${suffix}`,
    BATON_DEPLOYMENT_SET_CURRENT: '1',
    BATON_EVENT_STREAM: `e2e:${suffix}`,
    BATON_API_KEYS: `${tenant}:${apiKey}`,
    BATON_INGRESS_PORT: String(ingressPort),
    BATON_WORKER_PORT: String(workerPort),
    BATON_WORKER_ENGINES: 'db,temporal',
    // the example action module the order-fulfilment example calls (what `baton dev` loads)
    BATON_ACTIONS: path.join(repo, 'examples/actions/shop-actions.mjs'),
    BATON_METRICS_SAMPLE_MS: '500',
    BATON_ENABLE_TEST_ACTIONS: options.testActions ? '1' : '0',
  };
  const apiUrl = `http://127.0.0.1:${ingressPort}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const processes: StackProcess[] = [];
  let inventory: DemoInventoryService | undefined;
  const stop = async (): Promise<void> => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(
      processes.map(async (p) => {
        const killer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
        await p.exited;
        clearTimeout(killer);
      }),
    );
    await inventory?.close();
    await database.drop();
  };
  try {
    // The ingress applies the migrations; the worker starts once they are there.
    processes.push(startProcess('ingress', MAIN.ingress, env, logDir));
    await waitHealthy(processes[0]!, apiUrl);
    inventory = await startDemoInventoryService({ port: 0 });
    // http.request denies loopback unless allowed: the worker may reach the demo inventory service, as under `baton dev`.
    processes.push(startProcess('worker', MAIN.worker, { ...env, BATON_HTTP_ALLOW: new URL(inventory.url).host }, logDir));
    await waitHealthy(processes[1]!, workerUrl);
  } catch (error) {
    await stop();
    throw error;
  }
  const logOf = (name: string) => processes.find((p) => p.name === name)?.log;
  return {
    apiUrl,
    workerUrl,
    apiKey,
    tenant,
    client: createApiClient({ url: apiUrl, key: apiKey }),
    inventory,
    databaseUrl: database.url,
    logTail: (name) => {
      const file = logOf(name);
      return file ? fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '';
    },
    cli: (args, cliOptions = {}) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [MAIN.bin, ...args], {
          cwd: repo,
          env: { PATH: process.env.PATH, BATON_URL: apiUrl, BATON_API_KEY: apiKey, BATON_HOME: logDir, ...cliOptions.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), cliOptions.timeoutMs ?? 60_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      }),
    stop,
  };
}
