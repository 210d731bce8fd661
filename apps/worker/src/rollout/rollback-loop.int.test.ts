// The automatic rollback against real Postgres: finished runs of both engines are seeded in the run
// table, then the loop's pass judges them (the end-to-end proof with real engines is rollback-e2e.int.test.ts).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createDatabase, createPostgresDefinitionStore } from '@baton/db-legacy-adapter';
import type { WorkflowPolicy } from '@baton/event-schemas';
import { createFreshDatabase, type FreshDatabase } from '@baton/dev-services';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics, type WorkerMetrics } from '../metrics/worker-metrics.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { startRollbackLoop, type RollbackLoop } from './rollback-loop.js';

const TENANT = 'acme';
let database: FreshDatabase;
let pool: pg.Pool;
let db: ReturnType<typeof createDatabase>;
const loops: RollbackLoop[] = [];

beforeAll(async () => {
  database = await createFreshDatabase('rollback_it');
  pool = new pg.Pool({ connectionString: database.url, max: 6 });
  await runMigrations(pool, 'baton');
  db = createDatabase(pool, 'baton');
});
afterAll(async () => {
  await Promise.all(loops.map((l) => l.stop()));
  await pool?.end();
  await database?.drop();
});

/** Inserts `count` finished runs of `workflow` on `engine`, `failed` of them FAILED, each taking `ms`, created `ageS` seconds ago. */
async function seedRuns(workflow: string, engine: 'db' | 'temporal', count: number, failed: number, ms = 100, ageS = 60): Promise<void> {
  for (let i = 0; i < count; i++) {
    await pool.query(
      `insert into baton.workflow_runs (run_id, tenant_id, workflow_name, workflow_version, engine, status, definition_hash, run_key, input, created_at, completed_at)
       values ($1, $2, $3, '1.0.0', $4, $5, 'h', $1, '{}', now() - make_interval(secs => $6), now() - make_interval(secs => $6) + make_interval(secs => $7::double precision / 1000))`,
      [randomUUID(), TENANT, workflow, engine, i < failed ? 'FAILED' : 'SUCCEEDED', ageS, ms],
    );
  }
}

const definitions = () => createPostgresDefinitionStore(db);
const rollback = { minRuns: 5, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 };
const percent = (temporalPercent: number) => ({ type: 'percent', temporalPercent }) as const;

/** Sets a policy the way the ingress does (with a history entry), `agoS` seconds ago. */
async function setPolicy(workflow: string, policy: WorkflowPolicy, agoS = 3600): Promise<void> {
  await definitions().setPolicy(TENANT, workflow, policy, { at: new Date(Date.now() - agoS * 1000).toISOString(), actor: 'key-test', forced: false, reason: null });
}

function loop(): { loop: RollbackLoop; metrics: WorkerMetrics; logs: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  const metrics = createWorkerMetrics();
  // a long interval: the test drives the passes
  const l = startRollbackLoop({ db, pool, schema: 'baton', intervalMs: 3_600_000, windowRuns: 500, defaultEngine: 'db', metrics, logger });
  loops.push(l);
  return { loop: l, metrics, logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('automatic rollback loop', () => {
  it("sets Temporal's share to 0 when its error rate exceeds 2x Postgres's, with the reason in the history, a log line and the metric", async () => {
    const policy: WorkflowPolicy = { versionPolicy: { type: 'latest' }, engine: percent(30), shadow: { percent: 10 }, rollback };
    await setPolicy('rb.errors', policy);
    await seedRuns('rb.errors', 'db', 10, 1);
    await seedRuns('rb.errors', 'temporal', 5, 2);
    // a RUNNING Temporal run is not judged and not moved
    const running = randomUUID();
    await pool.query(`insert into baton.workflow_runs (run_id, tenant_id, workflow_name, workflow_version, engine, status, definition_hash, run_key, input) values ($1, $2, 'rb.errors', '1.0.0', 'temporal', 'RUNNING', 'h', $1, '{}')`, [running, TENANT]);

    const { loop: l, metrics, logs } = loop();
    const report = await l.pass();
    const reason = 'automatic rollback: Temporal error rate 0.4 (2/5) exceeds 2x Postgres 0.1 (1/10)';
    expect(report?.rolledBack).toEqual([expect.objectContaining({ tenant: TENANT, workflow: 'rb.errors', trigger: 'error_rate', reason, fromTemporalPercent: 30 })]);
    const after = { ...policy, engine: percent(0) };
    expect(await definitions().getPolicy(TENANT, 'rb.errors')).toEqual(after);
    const [latest] = await definitions().listPolicyHistory(TENANT, 'rb.errors', 10);
    expect(latest).toEqual({ at: expect.any(String), actor: 'baton-rollback', from: policy, to: after, forced: false, reason });
    expect(logs()).toContainEqual(expect.objectContaining({ level: 40, workflow: 'rb.errors', trigger: 'error_rate', reason, msg: expect.stringContaining('rollout rollback') }));
    expect(await metrics.registry.metrics()).toMatch(/^baton_rollout_rollbacks_total\{workflow="[^"]+",trigger="error_rate"\} 1$/m);
    expect((await pool.query('select engine, status from baton.workflow_runs where run_id = $1', [running])).rows).toEqual([{ engine: 'temporal', status: 'RUNNING' }]);

    // the workflow is no longer watched: a second pass changes nothing
    expect((await l.pass())?.rolledBack.filter((r) => r.workflow === 'rb.errors')).toEqual([]);
    expect(await definitions().listPolicyHistory(TENANT, 'rb.errors', 10)).toHaveLength(2);
  });

  it('rolls back on a p99 latency above 5x Postgres; leaves alone workflows within bounds, without enough runs, at 0 %, or without a rule', async () => {
    await setPolicy('rb.slow', { versionPolicy: { type: 'latest' }, engine: { type: 'temporal' }, rollback });
    await seedRuns('rb.slow', 'db', 5, 0, 100);
    await seedRuns('rb.slow', 'temporal', 5, 0, 600);
    await setPolicy('rb.fine', { versionPolicy: { type: 'latest' }, engine: percent(50), rollback });
    await seedRuns('rb.fine', 'db', 5, 1, 100);
    await seedRuns('rb.fine', 'temporal', 5, 2, 450);
    await setPolicy('rb.few', { versionPolicy: { type: 'latest' }, engine: percent(50), rollback });
    await seedRuns('rb.few', 'db', 5, 0);
    await seedRuns('rb.few', 'temporal', 4, 4);
    await setPolicy('rb.zero', { versionPolicy: { type: 'latest' }, engine: percent(0), rollback });
    await seedRuns('rb.zero', 'db', 5, 0);
    await seedRuns('rb.zero', 'temporal', 5, 5);
    await setPolicy('rb.norule', { versionPolicy: { type: 'latest' }, engine: percent(50) });
    await seedRuns('rb.norule', 'db', 5, 0);
    await seedRuns('rb.norule', 'temporal', 5, 5);

    const { loop: l, metrics } = loop();
    const report = await l.pass();
    expect(report?.rolledBack.map((r) => [r.workflow, r.trigger])).toEqual([['rb.slow', 'p99_latency']]);
    expect(report?.rolledBack[0]?.reason).toBe('automatic rollback: Temporal p99 600 ms exceeds 5x Postgres p99 100 ms');
    expect((await definitions().getPolicy(TENANT, 'rb.slow'))?.engine).toEqual(percent(0));
    for (const name of ['rb.fine', 'rb.few', 'rb.norule']) expect((await definitions().getPolicy(TENANT, name))?.engine).toEqual(percent(50));
    expect(await metrics.registry.metrics()).toMatch(/^baton_rollout_rollbacks_total\{workflow="[^"]+",trigger="p99_latency"\} 1$/m);
  });

  it('after a rollback, raising the share again starts a new Temporal window: the failures that caused it do not roll it back again', async () => {
    await setPolicy('rb.again', { versionPolicy: { type: 'latest' }, engine: percent(20), rollback }, 7200);
    await seedRuns('rb.again', 'db', 5, 0, 100, 3600);
    await seedRuns('rb.again', 'temporal', 5, 5, 100, 3600);
    const { loop: l } = loop();
    expect((await l.pass())?.rolledBack.map((r) => r.workflow)).toEqual(['rb.again']);
    // the operator fixes the cause and raises the share again (just now)
    await setPolicy('rb.again', { versionPolicy: { type: 'latest' }, engine: percent(20), rollback }, 0);
    expect((await l.pass())?.rolledBack).toEqual([]);
    // new Temporal runs, all failing, roll it back again
    await seedRuns('rb.again', 'temporal', 5, 5, 100, -1);
    expect((await l.pass())?.rolledBack.map((r) => r.workflow)).toEqual(['rb.again']);
  });

  it('one worker evaluates at a time: a pass skips while another session holds the advisory lock', async () => {
    await setPolicy('rb.locked', { versionPolicy: { type: 'latest' }, engine: percent(10), rollback });
    await seedRuns('rb.locked', 'db', 5, 0);
    await seedRuns('rb.locked', 'temporal', 5, 5);
    const holder = await pool.connect();
    try {
      await holder.query("select pg_advisory_lock(hashtextextended('baton:rollout-rollback:baton', 0))");
      const { loop: l } = loop();
      expect(await l.pass()).toBeUndefined();
      expect((await definitions().getPolicy(TENANT, 'rb.locked'))?.engine).toEqual(percent(10));
      await holder.query("select pg_advisory_unlock(hashtextextended('baton:rollout-rollback:baton', 0))");
      expect((await l.pass())?.rolledBack.map((r) => r.workflow)).toEqual(['rb.locked']);
    } finally {
      holder.release();
    }
  });
});
