// Fault tests with real processes and a real Postgres: several worker processes on one schema,
// a worker killed with SIGKILL mid-load, and the Postgres server restarted mid-load.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash, createActionRegistry, type RunRef } from '@baton/runtime-core';
import { findPostgresBinaries, startPrivatePostgres } from '@baton/dev-services';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import {
  doubleCommittedSteps,
  executionLog,
  installStepCommitLog,
  spawnWorker,
  stopWorkers,
  until,
  type WorkerProcess,
} from '../__fixtures__/fault-harness.js';
import { workflow } from '../__fixtures__/engine-harness.js';
import { createPostgresStores } from '../stores/create-postgres-stores.js';
import { createPostgresEngine } from './postgres-engine.js';

const STEPS = 5;
const TENANT = 'faults';

function faultWorkflow(ms: number) {
  return workflow(
    'fault.chain',
    Array.from({ length: STEPS }, (_, i) => ({
      id: `s${i + 1}`,
      type: 'action.call',
      action: 'fault.step',
      actionVersion: 1,
      input: { ms, n: i === 0 ? 0 : { $expr: `vars.s${i}.n` } },
      saveAs: `vars.s${i + 1}`,
    })).concat([{ id: 'out', type: 'control.return', output: { $expr: `vars.s${STEPS}.n` } } as never]),
  );
}

/** Publishes the workflow and starts `count` runs from this (worker-less) process. */
async function startRuns(t: TestDatabase, count: number, ms: number): Promise<RunRef<'db'>[]> {
  const stores = createPostgresStores({ pool: t.pool, schema: t.schema });
  const def = faultWorkflow(ms);
  const hash = contentHash(def);
  await stores.definitions.publish(TENANT, { name: def.name, version: def.version, hash, definition: def, triggerEventName: null, publishedAt: new Date().toISOString() });
  const starter = createPostgresEngine({ pool: t.pool, schema: t.schema, actions: createActionRegistry() });
  const refs: RunRef<'db'>[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, () => {
      const runId = randomUUID();
      return starter.start({ tenant: TENANT, runId, workflow: { name: def.name, version: def.version, hash }, definition: def, input: null, executionKey: null, runKey: runId, startedAt: new Date().toISOString() });
    });
    refs.push(...(await Promise.all(batch)));
  }
  return refs;
}

async function statusCounts(t: TestDatabase): Promise<Record<string, number>> {
  const rows = await t.db.selectFrom('workflow_runs').select(['status', t.db.fn.countAll<string>().as('n')]).where('tenant_id', '=', TENANT).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function expectAllSucceeded(t: TestDatabase, refs: readonly RunRef<'db'>[]): Promise<void> {
  const rows = await t.db.selectFrom('workflow_runs').select(['run_id', 'status', 'output']).where('tenant_id', '=', TENANT).execute();
  expect(rows).toHaveLength(refs.length);
  expect(rows.filter((r) => r.status !== 'SUCCEEDED' || r.output !== STEPS)).toEqual([]);
}

function workerEnv(t: TestDatabase, log: string, extra: Record<string, string> = {}, url?: string): Record<string, string> {
  return { DATABASE_URL: url ?? process.env.DATABASE_URL!, FAULT_SCHEMA: t.schema, FAULT_LOG: log, ...extra };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('fault tolerance with worker processes', () => {
  it('(a) 4 worker processes on 500 runs: all complete, no step committed twice, no action run twice', async () => {
    const t = await createTestDatabase('fault_a', { max: 30 });
    cleanups.push(() => t.drop());
    await installStepCommitLog(t);
    const log = executionLog();
    cleanups.push(() => log.remove());
    const workers: WorkerProcess[] = await Promise.all(['a1', 'a2', 'a3', 'a4'].map((id) => spawnWorker(id, workerEnv(t, log.file))));
    cleanups.push(() => stopWorkers(workers));

    const refs = await startRuns(t, 500, 1);
    await until('500 runs to finish', async () => (await statusCounts(t)).SUCCEEDED === 500, 120_000);
    await stopWorkers(workers);

    await expectAllSucceeded(t, refs);
    expect(await doubleCommittedSteps(t)).toEqual([]);
    const executions = log.read();
    expect(executions).toHaveLength(500 * STEPS);
    const perStep = new Map<string, number>();
    for (const e of executions) perStep.set(`${e.runId}/${e.stepId}`, (perStep.get(`${e.runId}/${e.stepId}`) ?? 0) + 1);
    expect([...perStep.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(executions.map((e) => e.worker)).size).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('(b) kill -9 of a worker mid-load: all runs complete after its lease expires, none lost, no step committed twice', async () => {
    const t = await createTestDatabase('fault_b', { max: 30 });
    cleanups.push(() => t.drop());
    await installStepCommitLog(t);
    const log = executionLog();
    cleanups.push(() => log.remove());
    const env = workerEnv(t, log.file, { FAULT_LEASE_MS: '1500' });
    const workers = await Promise.all(['b1', 'b2', 'b3'].map((id) => spawnWorker(id, env)));
    cleanups.push(() => stopWorkers(workers));

    const refs = await startRuns(t, 200, 25);
    await until('a third of the runs to finish', async () => ((await statusCounts(t)).SUCCEEDED ?? 0) >= 60, 60_000, 50);
    const leases = await t.db.selectFrom('workflow_runs').select(['lease_owner', 'run_id']).where('lease_owner', 'is not', null).execute();
    const victim = workers.find((w) => leases.some((l) => l.lease_owner === w.id)) ?? workers[0]!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    expect(victim.child.signalCode).toBe('SIGKILL');
    // the leases the dead worker left behind: these runs must be taken over after expiry
    const orphaned = await t.db.selectFrom('workflow_runs').select(['run_id', 'fencing_token']).where('lease_owner', '=', victim.id).execute();
    expect(orphaned.length).toBeGreaterThan(0);
    const heldByVictim = orphaned.map((o) => o.run_id);

    await until('all 200 runs to finish', async () => (await statusCounts(t)).SUCCEEDED === 200, 90_000);
    await stopWorkers(workers);

    await expectAllSucceeded(t, refs);
    expect(await doubleCommittedSteps(t)).toEqual([]);
    // An action ran twice only where the killed worker had started it and died before committing.
    const byStep = new Map<string, string[]>();
    for (const e of log.read()) byStep.set(`${e.runId}/${e.stepId}`, [...(byStep.get(`${e.runId}/${e.stepId}`) ?? []), e.worker]);
    const repeated = [...byStep.entries()].filter(([, ws]) => ws.length > 1);
    for (const [key, ws] of repeated) {
      expect({ key, first: ws.slice(0, -1).every((w) => w === victim.id) }).toEqual({ key, first: true });
    }
    expect(byStep.size).toBe(200 * STEPS);
    // the victim's runs were finished by the survivors after a later claim (higher fencing token)
    const finishedBy = await t.db
      .selectFrom('workflow_run_steps')
      .select(['run_id', t.db.fn.max('fencing_token').as('token')])
      .where('run_id', 'in', heldByVictim)
      .groupBy('run_id')
      .execute();
    const victimToken = new Map(orphaned.map((o) => [o.run_id, BigInt(o.fencing_token)]));
    expect(finishedBy).toHaveLength(orphaned.length);
    expect(finishedBy.filter((r) => BigInt(r.token) <= victimToken.get(r.run_id)!)).toEqual([]);
  }, 180_000);
});

describe('Postgres restarted during a load', () => {
  const binaries = findPostgresBinaries();
  // A private server (own data dir and port) is restarted, not the shared one other suites use.
  it.skipIf(!binaries)('(c) workers reconnect and finish every run' + (binaries ? '' : ' [skipped: no PostgreSQL binaries to run a private server]'), async () => {
    const server = await startPrivatePostgres('db-legacy-restart');
    cleanups.push(() => server.remove());
    const url = server.url;
    const t = await createTestDatabase('fault_c', { max: 10, url });
    t.pool.on('error', () => undefined);
    await installStepCommitLog(t);
    const log = executionLog();
    cleanups.push(() => log.remove());
    const workers = await Promise.all(['c1', 'c2'].map((id) => spawnWorker(id, workerEnv(t, log.file, { FAULT_LEASE_MS: '2000' }, url))));
    cleanups.push(() => stopWorkers(workers));

    const refs = await startRuns(t, 200, 15);
    await until('some runs to finish', async () => ((await statusCounts(t)).SUCCEEDED ?? 0) >= 30, 60_000, 50);
    const before = (await statusCounts(t)).SUCCEEDED ?? 0;
    await server.restart();
    expect(before).toBeLessThan(200);

    await until(
      'all 200 runs to finish after the restart',
      async () => {
        try {
          return (await statusCounts(t)).SUCCEEDED === 200;
        } catch {
          return false;
        }
      },
      120_000,
    );
    expect(workers.map((w) => ({ id: w.id, exitCode: w.child.exitCode, stderr: w.child.exitCode === null ? '' : w.stderr() }))).toEqual(
      workers.map((w) => ({ id: w.id, exitCode: null, stderr: '' })),
    );
    await stopWorkers(workers);
    await expectAllSucceeded(t, refs);
    expect(await doubleCommittedSteps(t)).toEqual([]);
    const stillLeased = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(t.schema, 'workflow_runs')} where lease_owner is not null`.execute(t.db);
    expect(stillLeased.rows[0]!.n).toBe(0);
  }, 240_000);
});
