// A Temporal dev server of one test's own (own port, persistent SQLite file), which the test may
// SIGKILL and start again on the same port and database: the shared dev server is never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, TEMPORAL_DEV_DYNAMIC_CONFIG } from '@baton/dev-services';

const run = promisify(execFile);

/** A dedicated dev server. */
export interface DedicatedTemporal {
  readonly address: string;
  /** Starts the server (again) on the same port and database file; resolves once it serves. */
  start(): Promise<void>;
  /** SIGKILLs the server and waits for it to be gone. */
  kill(): Promise<void>;
}

/** A dev server whose state lives in `dir` (`temporal.db`, `temporal.log`); not started yet. */
export async function dedicatedTemporal(dir: string): Promise<DedicatedTemporal> {
  const cli = process.env.TEMPORAL_CLI_PATH ?? 'temporal';
  const port = await findFreePort();
  const httpPort = await findFreePort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--headless', '--log-level', 'error', '--db-filename', join(dir, 'temporal.db')];
  for (const [key, value] of Object.entries(TEMPORAL_DEV_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${value}`);

  async function serving(): Promise<boolean> {
    try {
      const { stdout } = await run(cli, ['operator', 'cluster', 'health', '--address', address], { timeout: 5000 });
      return /SERVING/.test(stdout);
    } catch {
      return false;
    }
  }

  return {
    address,
    async start() {
      const log = openSync(join(dir, 'temporal.log'), 'a');
      const started = spawn(cli, args, { stdio: ['ignore', log, log] });
      child = started;
      const deadline = Date.now() + 90_000;
      while (!(await serving())) {
        if (started.exitCode !== null) throw new Error(`the dedicated Temporal dev server exited (${started.exitCode}); see ${join(dir, 'temporal.log')}`);
        if (Date.now() > deadline) throw new Error('the dedicated Temporal dev server did not serve within 90 s');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      await exited;
    },
  };
}
