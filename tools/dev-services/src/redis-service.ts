import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { readState, writeState } from './state-dir.js';
import { findFreePort, spawnDetached, stopPid, waitUntil, whichSync } from './process-tools.js';
import type { ServiceHandle, ServiceState } from './service-types.js';

async function canPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function stateFile(stateDir: string): string {
  return path.join(stateDir, 'services', 'redis.json');
}

/** Finds `redis-server`: `REDIS_SERVER_PATH`, PATH, then `/usr/bin`. */
export function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER_PATH && fs.existsSync(process.env.REDIS_SERVER_PATH)) return process.env.REDIS_SERVER_PATH;
  return whichSync('redis-server') ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
}

/**
 * Makes a Redis server answer: `REDIS_URL` if set; else the one started earlier
 * under `stateDir`; else `redis-server` on loopback on its own port (no persistence).
 */
export async function ensureRedis(stateDir: string): Promise<ServiceHandle> {
  if (process.env.REDIS_URL) {
    return { name: 'redis', source: 'external', env: { REDIS_URL: process.env.REDIS_URL }, provider: 'REDIS_URL' };
  }
  const previous = readState<ServiceState>(stateFile(stateDir));
  if (previous?.env.REDIS_URL && (await canPing(previous.env.REDIS_URL))) {
    return { name: 'redis', source: 'reused', env: previous.env, provider: previous.provider };
  }
  const binary = findRedisServer();
  if (!binary) throw new Error('No redis-server found (install redis-server, set REDIS_SERVER_PATH, or set REDIS_URL).');
  const dir = path.join(stateDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = previous?.port ?? (await findFreePort());
  const pid = spawnDetached(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
    path.join(dir, 'redis.log'),
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil('redis to answer PING', () => canPing(url), 20_000);
  const state: ServiceState = { pid, port, env: { REDIS_URL: url }, provider: `${binary} (pid ${pid})` };
  writeState(stateFile(stateDir), state);
  return { name: 'redis', source: 'started', env: state.env, provider: state.provider };
}

/** Stops the server this harness started under `stateDir`. */
export async function stopRedis(stateDir: string): Promise<boolean> {
  const state = readState<ServiceState>(stateFile(stateDir));
  if (!state) return false;
  if (state.pid) await stopPid(state.pid);
  fs.rmSync(stateFile(stateDir), { force: true });
  return true;
}
