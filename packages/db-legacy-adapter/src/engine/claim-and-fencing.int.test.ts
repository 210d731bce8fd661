import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionRegistry, defineAction, type RunRef } from '@baton/runtime-core';
import { z } from 'zod';
import { createEngineHarness, echoSteps, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { buildRunCommit } from './build-run-commit.js';
import { claimRunsAndNextDue, claimStatement } from './claim-runs.js';
import { buildCommitStatements, writeCommits } from './commit-writer.js';
import { createPostgresEngine } from './postgres-engine.js';
import { tableNames, wakeChannel } from './sql-names.js';
import { sqlStatement } from './sql-statement.js';

let executions = 0;
const slowCount = defineAction({
  id: 'test.slow-count',
  version: 1,
  input: z.object({ ms: z.number() }),
  output: z.object({ n: z.number() }),
  handler: async ({ ms }) => {
    executions += 1;
    await new Promise((r) => setTimeout(r, ms));
    return { n: executions };
  },
});
const actions = createActionRegistry({ actions: [slowCount] });

let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('fencing', actions, { worker: false });
});
afterAll(async () => h?.close());

const names = () => tableNames(h.t.schema);

describe('claiming', () => {
  it('gives concurrent claimers disjoint runs (FOR UPDATE SKIP LOCKED), each claim bumping the token', async () => {
    const def = workflow('flow.claim', echoSteps(1));
    const refs: RunRef<'db'>[] = [];
    for (let i = 0; i < 40; i++) refs.push(await h.start(def, i));
    const statement = sqlStatement('claim', claimStatement(names()), true);
    const claimers = ['w1', 'w2', 'w3', 'w4'];
    const batches = await Promise.all(
      claimers.map(async (owner) => {
        const client = await h.t.pool.connect();
        try {
          return { owner, runs: (await claimRunsAndNextDue(client, statement, owner, 15, 60_000, [], [])).runs };
        } finally {
          client.release();
        }
      }),
    );
    const all = batches.flatMap((b) => b.runs.map((r) => r.runId));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const b of batches) for (const r of b.runs) expect(r.fencingToken).toBe('1');
    const rows = await h.t.db.selectFrom('workflow_runs').select(['run_id', 'lease_owner']).where('run_id', 'in', all).execute();
    const ownerOf = new Map(batches.flatMap((b) => b.runs.map((r) => [r.runId, b.owner] as const)));
    for (const row of rows) expect(row.lease_owner).toBe(ownerOf.get(row.run_id));
    // a live lease is not claimable by anyone else
    const client = await h.t.pool.connect();
    try {
      const again = (await claimRunsAndNextDue(client, statement, 'w5', 100, 60_000, [], [])).runs;
      expect(again.map((r) => r.runId).filter((id) => ownerOf.has(id))).toEqual([]);
    } finally {
      client.release();
    }
  });
});

describe('claiming and the next due time in one statement', () => {
  it('answers how long until the next run is due with the runs it claimed, and alone when it claimed none', async () => {
    const own = await createEngineHarness('next-due', actions, { worker: false });
    try {
      const def = workflow('flow.next-due', echoSteps(1));
      const [now, later] = [await own.start(def, 1), await own.start(def, 2)];
      await own.t.db.updateTable('workflow_runs').set({ wake_at: new Date(Date.now() + 60_000) }).where('run_id', '=', later.runId).execute();
      const statement = sqlStatement('claim', claimStatement(tableNames(own.t.schema)), true);
      const claim = async () => {
        const client = await own.t.pool.connect();
        try {
          return await claimRunsAndNextDue(client, statement, 'w-due', 10, 60_000, [], []);
        } finally {
          client.release();
        }
      };
      const first = await claim();
      expect(first.runs.map((r) => r.runId)).toEqual([now.runId]);
      expect(first.nextDueMs).toBeGreaterThan(50_000);
      expect(first.nextDueMs).toBeLessThanOrEqual(60_000);
      const second = await claim();
      expect(second.runs).toEqual([]);
      expect(second.nextDueMs).toBeGreaterThan(50_000);
      // nothing scheduled: null
      await own.t.db.updateTable('workflow_runs').set({ wake_at: null }).where('run_id', '=', later.runId).execute();
      expect(await claim()).toEqual({ runs: [], nextDueMs: null });
    } finally {
      await own.close();
    }
  });
});

describe('fencing', () => {
  it('refuses the commit of a worker whose lease expired and was taken over; keeps its action result', async () => {
    const def = workflow('flow.fence', echoSteps(1));
    const ref = await h.start(def, 'x');
    const statement = sqlStatement('claim', claimStatement(names()), false);
    const client = await h.t.pool.connect();
    try {
      await client.query(`UPDATE ${names().runs} SET wake_at = now() - interval '1 hour' WHERE run_id = $1`, [ref.runId]);
      const [a] = (await claimRunsAndNextDue(client, statement, 'worker-a', 1, 1, [], [])).runs;
      expect(a?.runId).toBe(ref.runId);
      await new Promise((r) => setTimeout(r, 20));
      const [b] = (await claimRunsAndNextDue(client, statement, 'worker-b', 1, 60_000, [], [])).runs;
      expect(b).toMatchObject({ runId: ref.runId, fencingToken: '2' });

      const { advance } = await import('@baton/runtime-core');
      const started = await advance(def, undefined, {
        type: 'Start',
        now: new Date().toISOString(),
        context: { runId: ref.runId, tenant: h.tenant, workflow: def.name, version: def.version, engine: 'db', startedAt: new Date().toISOString() },
        input: 'x',
      });
      const commitOf = (owner: string, token: string) => ({
        ctx: { names: names(), channel: wakeChannel(h.t.schema), owner, leaseMs: 60_000 },
        commit: buildRunCommit({
          tenant: h.tenant,
          runId: ref.runId,
          fencingToken: token,
          mode: 'lease',
          before: null,
          after: started.state,
          workflowVersion: def.version,
          definitionHash: 'h',
          steps: started.steps,
          commands: started.commands,
          invocations: [{ idempotencyKey: `${h.tenant}:stale-result`, stepId: 's1', action: 'core.echo', actionVersion: 1, attempt: 1, status: 'COMPLETED', output: 'kept' }],
          startChildren: [],
          parentRunId: null,
          release: false,
          now: new Date().toISOString(),
        }),
      });
      const statements = buildCommitStatements(names());
      const stale = commitOf('worker-a', a!.fencingToken);
      expect(await writeCommits(client, stale.ctx, statements, [stale.commit])).toEqual(new Set());
      expect(await h.t.db.selectFrom('workflow_run_steps').select('step_id').where('run_id', '=', ref.runId).execute()).toEqual([]);
      const kept = await h.t.db.selectFrom('workflow_action_invocations').select('output').where('idempotency_key', '=', `${h.tenant}:stale-result`).executeTakeFirst();
      expect(kept?.output).toBe('kept');
      // the right token but the wrong owner is refused too
      const impostor = commitOf('worker-a', b!.fencingToken);
      expect(await writeCommits(client, impostor.ctx, statements, [impostor.commit])).toEqual(new Set());

      const current = commitOf('worker-b', b!.fencingToken);
      expect(await writeCommits(client, current.ctx, statements, [current.commit])).toEqual(new Set([ref.runId]));
      const steps = await h.t.db.selectFrom('workflow_run_steps').select(['step_id', 'fencing_token']).where('run_id', '=', ref.runId).execute();
      expect(steps).toEqual([{ step_id: 's1', fencing_token: '2' }]);
    } finally {
      client.release();
    }
  });

  it('renews the lease while a long action runs, so a second worker never takes the run over', async () => {
    executions = 0;
    const other = createPostgresEngine({ pool: h.t.pool, schema: h.t.schema, actions, leaseMs: 400, pollIntervalMs: 30, workerId: 'other' });
    await other.startWorker();
    const mine = createPostgresEngine({ pool: h.t.pool, schema: h.t.schema, actions, leaseMs: 400, pollIntervalMs: 30, workerId: 'mine' });
    await mine.startWorker();
    try {
      const def = workflow('flow.long', [{ id: 'long', type: 'action.call', action: 'test.slow-count', actionVersion: 1, input: { ms: 1500 }, saveAs: 'vars.r' }]);
      const { hash } = await h.publish(def);
      const ref = await mine.start({ tenant: h.tenant, runId: crypto.randomUUID(), workflow: { name: def.name, version: def.version, hash }, definition: def, input: null, executionKey: null, runKey: 'k', startedAt: new Date().toISOString() });
      const done = await mine.awaitRun(ref, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: { r: { n: 1 } } });
      expect(executions).toBe(1);
      const step = await h.t.db.selectFrom('workflow_run_steps').select('fencing_token').where('run_id', '=', ref.runId).executeTakeFirstOrThrow();
      expect(step.fencing_token).toBe('1');
    } finally {
      await other.stopWorker();
      await mine.stopWorker();
    }
  });
});

describe('a run this worker was just handed', () => {
  it('is not claimed a second time by the same worker while its fresh lease stands (a local start adopting it races the claim); an old own lease is reclaimed', async () => {
    const def = workflow('flow.adopt-race', echoSteps(1));
    const fresh = await h.start(def, 'fresh');
    const stale = await h.start(def, 'stale');
    const statement = sqlStatement('claim', claimStatement(names()), false);
    const leaseMs = 30_000;
    const client = await h.t.pool.connect();
    try {
      // What a local start's statement leaves: due, leased to this worker for the whole lease, not yet
      // in the loop's active list (the claim's list was taken before the start's statement committed).
      await client.query(`UPDATE ${names().runs} SET wake_at = now(), lease_owner = 'w-local', lease_expires_at = now() + $2::int * interval '1 millisecond', fencing_token = fencing_token + 1 WHERE run_id = $1`, [fresh.runId, leaseMs]);
      // A run this worker leased long ago and no longer processes (its processing stopped on a lost connection).
      await client.query(`UPDATE ${names().runs} SET wake_at = now(), lease_owner = 'w-local', lease_expires_at = now() + interval '1 second', fencing_token = fencing_token + 1 WHERE run_id = $1`, [stale.runId]);
      const claimed = (await claimRunsAndNextDue(client, statement, 'w-local', 10, leaseMs, [], [])).runs;
      const ids = claimed.map((r) => r.runId);
      expect(ids).not.toContain(fresh.runId);
      expect(ids).toContain(stale.runId);
    } finally {
      client.release();
    }
  });
});
