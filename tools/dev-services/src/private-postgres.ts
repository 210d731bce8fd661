import fs from 'node:fs';
import path from 'node:path';
import { ensurePostgres, restartPostgres, stopPostgres, type RestartPostgresOptions } from './postgres-service.js';
import { resolveStateDir } from './state-dir.js';

/** A Postgres server of its own (data directory and port under `<state>/private/`), for fault tests that stop or crash it. */
export interface PrivatePostgres {
  readonly url: string;
  readonly stateDir: string;
  /** Stops the server (as `restartPostgres` does in the given mode) and starts it again on the same port and data. */
  restart(options?: RestartPostgresOptions): Promise<void>;
  /** Stops the server and removes its data directory. */
  remove(): Promise<void>;
}

/**
 * Starts a private server named `<name>-<pid>`: never the shared server other suites use, and
 * whatever `DATABASE_URL` says is ignored while it starts (the variable is left as it was).
 */
export async function startPrivatePostgres(name: string): Promise<PrivatePostgres> {
  const stateDir = path.join(resolveStateDir(), 'private', `${name}-${process.pid}`);
  fs.mkdirSync(stateDir, { recursive: true });
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  let url: string;
  try {
    url = (await ensurePostgres(stateDir)).env.DATABASE_URL!;
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
  return {
    url,
    stateDir,
    restart: (options) => restartPostgres(stateDir, options),
    async remove() {
      await stopPostgres(stateDir);
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
