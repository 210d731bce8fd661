// `pgbench -N` against a scratch database: the machine's commit ceiling, measured in the same run.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** What `pgbench -N` measured. */
export interface PgbenchResult {
  readonly clients: number;
  readonly seconds: number;
  readonly tps: number;
  readonly latencyMs: number;
  readonly output: string;
}

/** Runs `pgbench -i -s 8` then `pgbench -N -c <clients> -j 2 -T <seconds>` on a scratch database of the server at `adminUrl`, then drops it. */
export async function pgbench(adminUrl: string, options: { seconds: number; clients?: number }): Promise<PgbenchResult> {
  const clients = options.clients ?? 8;
  const bin = ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'].find((b) => b === 'pgbench' || existsSync(b))!;
  const database = `baton_pgbench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  try {
    await execFileAsync(bin, ['-i', '-q', '-s', '8', url.toString()]);
    const { stdout } = await execFileAsync(bin, ['-N', '-c', String(clients), '-j', '2', '-T', String(options.seconds), url.toString()]);
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    return { clients, seconds: options.seconds, tps, latencyMs, output: stdout };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
