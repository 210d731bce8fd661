import path from 'node:path';
import { withFileLock } from './file-lock.js';
import { ensurePostgres, stopPostgres } from './postgres-service.js';
import { ensureRedis, stopRedis } from './redis-service.js';
import { ensureTemporal, stopTemporal, type TemporalServiceOptions } from './temporal-service.js';
import { resolveStateDir } from './state-dir.js';
import type { ServiceHandle, ServiceName } from './service-types.js';

/** Every service, in start order. */
export const ALL_SERVICES: readonly ServiceName[] = ['postgres', 'redis', 'temporal'];

/** Options of {@link upServices}. */
export interface UpOptions {
  /** Which services. @default all */
  readonly only?: readonly ServiceName[];
  /** State folder. @default {@link resolveStateDir} */
  readonly stateDir?: string;
  readonly temporal?: TemporalServiceOptions;
}

/** Result of {@link upServices}: every handle, and the merged environment that reaches them. */
export interface UpResult {
  readonly services: readonly ServiceHandle[];
  readonly env: Readonly<Record<string, string>>;
}

/** Starts (or reuses) the requested services; idempotent and safe across parallel processes. */
export async function upServices(options: UpOptions = {}): Promise<UpResult> {
  const stateDir = options.stateDir ?? resolveStateDir();
  const only = options.only ?? ALL_SERVICES;
  return withFileLock(path.join(stateDir, 'services', '.lock'), async () => {
    const services: ServiceHandle[] = [];
    for (const name of ALL_SERVICES.filter((s) => only.includes(s))) {
      if (name === 'postgres') services.push(await ensurePostgres(stateDir));
      if (name === 'redis') services.push(await ensureRedis(stateDir));
      if (name === 'temporal') services.push(await ensureTemporal(stateDir, options.temporal));
    }
    return { services, env: Object.assign({}, ...services.map((s) => s.env)) as Record<string, string> };
  });
}

/** Stops the requested services that this harness started under the state folder. */
export async function downServices(options: { only?: readonly ServiceName[]; stateDir?: string } = {}): Promise<ServiceName[]> {
  const stateDir = options.stateDir ?? resolveStateDir();
  const only = options.only ?? ALL_SERVICES;
  return withFileLock(path.join(stateDir, 'services', '.lock'), async () => {
    const stopped: ServiceName[] = [];
    for (const name of [...ALL_SERVICES].reverse().filter((s) => only.includes(s))) {
      const did = name === 'postgres' ? await stopPostgres(stateDir) : name === 'redis' ? await stopRedis(stateDir) : await stopTemporal(stateDir);
      if (did) stopped.push(name);
    }
    return stopped;
  });
}

/** Formats the environment of running services as `KEY=value` lines (for `eval`/`.env`). */
export function formatEnv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}
