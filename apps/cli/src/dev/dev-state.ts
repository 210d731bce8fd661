import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What a running `baton dev` publishes for the other `baton` commands (in `<state dir>/dev.json`). */
export interface DevState {
  readonly pid: number;
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly tenant: string;
  readonly workerUrl?: string;
  readonly temporalUiUrl?: string;
}

/** The dev tenant's credentials, generated once per state folder and kept across restarts. */
export interface DevCredentials {
  readonly tenant: string;
  readonly key: string;
}

/** Tenant of the key `baton dev` adds. */
export const DEV_TENANT = 'dev';

const devStateFile = (stateDir: string): string => path.join(stateDir, 'dev.json');

/** Reads the dev key of this state folder, creating it (random, file mode 0600) on first use. */
export function ensureDevCredentials(stateDir: string): DevCredentials {
  const file = path.join(stateDir, 'dev-credentials.json');
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DevCredentials>;
    if (typeof stored.tenant === 'string' && typeof stored.key === 'string' && stored.key.length >= 16) return { tenant: stored.tenant, key: stored.key };
  } catch {
    // missing or unreadable: create a new key below
  }
  const credentials: DevCredentials = { tenant: DEV_TENANT, key: `dev_${crypto.randomBytes(18).toString('base64url')}` };
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

/**
 * The dev stack's `BATON_SECRETS_KEY` (base64 of 32 random bytes), kept in the state folder so
 * secrets written with `baton secrets set` stay readable across `baton dev` restarts.
 */
export function ensureDevSecretsKey(stateDir: string): string {
  const file = path.join(stateDir, 'dev-secrets-key');
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (Buffer.from(stored, 'base64').length === 32) return stored;
  } catch {
    // missing or unreadable: create a new key below
  }
  const key = crypto.randomBytes(32).toString('base64');
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Records the running dev stack so `baton run`, `baton runs`, ... find it without flags. */
export function writeDevState(stateDir: string, state: DevState): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(devStateFile(stateDir), JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** Removes the record, if it is this process's. */
export function clearDevState(stateDir: string, pid: number = process.pid): void {
  const state = readDevState(stateDir, { requireAlive: false });
  if (state?.pid === pid) fs.rmSync(devStateFile(stateDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The record of a running `baton dev` (ignored when its process is gone, unless `requireAlive` is false). */
export function readDevState(stateDir: string, options: { requireAlive?: boolean } = {}): DevState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(devStateFile(stateDir), 'utf8')) as DevState;
    if (options.requireAlive !== false && !isAlive(state.pid)) return undefined;
    return state;
  } catch {
    return undefined;
  }
}
