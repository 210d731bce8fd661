import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestDatabase } from './test-database.js';

const WORKER_SCRIPT = path.join(import.meta.dirname, 'fault-worker.ts');

/** A spawned worker process. */
export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Spawns a worker as its own OS process (node + tsx loader, no npx wrapper, so kill -9 hits the worker itself). */
export async function spawnWorker(id: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    env: { ...process.env, ...env, FAULT_WORKER_ID: id },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker ${id} did not start: ${errors}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${id} exited with ${code}: ${errors}`));
    });
  });
  return { id, child, exited, stderr: () => errors };
}

/** Stops workers gracefully (SIGTERM), killing those that do not exit in time. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      if (w.child.exitCode !== null || w.child.signalCode !== null) return;
      w.child.kill('SIGTERM');
      const timer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
      await w.exited;
      clearTimeout(timer);
    }),
  );
}

/** A temp file the workers append their executions to. */
export function executionLog(): { file: string; read(): Array<{ runId: string; stepId: string; attempt: number; worker: string }>; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-faults-'));
  const file = path.join(dir, 'executions.log');
  fs.writeFileSync(file, '');
  return {
    file,
    read: () =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [runId, stepId, attempt, worker] = line.split(' ');
          return { runId: runId!, stepId: stepId!, attempt: Number(attempt), worker: worker! };
        }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Test-only audit of step commits: a trigger logs every write that leaves a step row SUCCEEDED,
 * so a step result committed twice (by two workers, or twice by one) shows up as two log rows.
 */
export async function installStepCommitLog(t: TestDatabase): Promise<void> {
  const log = sql.id(t.schema, 'test_step_commits');
  const fn = sql.id(t.schema, 'test_log_step_commit');
  await sql`create table ${log} (run_id text, step_id text, iteration text, fencing_token bigint, at timestamptz default clock_timestamp())`.execute(t.db);
  await sql`create function ${fn}() returns trigger language plpgsql as $$
    begin
      insert into ${sql.raw(`${quote(t.schema)}.test_step_commits`)} (run_id, step_id, iteration, fencing_token)
      values (new.run_id, new.step_id, new.iteration, new.fencing_token);
      return new;
    end $$`.execute(t.db);
  await sql`create trigger test_step_commit after insert or update on ${sql.id(t.schema, 'workflow_run_steps')}
    for each row when (new.status = 'SUCCEEDED') execute function ${fn}()`.execute(t.db);
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** (run, step, iteration) keys whose SUCCEEDED result was written more than once. */
export async function doubleCommittedSteps(t: TestDatabase): Promise<Array<{ run_id: string; step_id: string; n: number }>> {
  const r = await sql<{ run_id: string; step_id: string; n: number }>`
    select run_id, step_id, count(*)::int as n from ${sql.id(t.schema, 'test_step_commits')}
    group by run_id, step_id, iteration having count(*) > 1`.execute(t.db);
  return r.rows;
}

/** Polls until `probe` is true or the time is up. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
