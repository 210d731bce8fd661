import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowPolicy } from '@baton/event-schemas';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import type { WorkflowRunsTable } from '../database/database-types.js';
import { createPostgresDefinitionStore } from './postgres-definition-store.js';
import { applyRollback, listRollbackCandidates, readRollbackWindow } from './rollback-window.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('rollback_window', { awkward: true });
});
afterAll(async () => t?.drop());

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

/** A finished run of `workflow` created at T0 + `at` s that took `ms`. */
function run(workflow: string, engine: 'db' | 'temporal', status: 'SUCCEEDED' | 'FAILED' | 'CANCELED', ms: number, at = 0, extra: Partial<Insertable<WorkflowRunsTable>> = {}): Insertable<WorkflowRunsTable> {
  return {
    run_id: randomUUID(),
    tenant_id: 'acme',
    workflow_name: workflow,
    workflow_version: '1.0.0',
    engine,
    status,
    definition_hash: 'h',
    execution_key: null,
    run_key: randomUUID(),
    input: '{}',
    output: null,
    error: null,
    parent_run_id: null,
    parent_step_id: null,
    trigger_event_id: null,
    current_step_id: null,
    state: null,
    wake_at: null,
    lease_owner: null,
    lease_expires_at: null,
    cancel_reason: null,
    created_at: new Date(T0 + at * 1000),
    completed_at: new Date(T0 + at * 1000 + ms),
    ...extra,
  };
}

const latest = { type: 'latest' } as const;
const rollback = { minRuns: 3, maxErrorRateRatio: 2, maxP99LatencyRatio: 5 };

describe('readRollbackWindow', () => {
  it('counts finished (not cancelled, not shadow, not other tenants) runs per engine with their failures and p99', async () => {
    await t.db
      .insertInto('workflow_runs')
      .values([
        ...[100, 200, 300, 400].map((ms) => run('w.window', 'db', 'SUCCEEDED', ms)),
        run('w.window', 'db', 'FAILED', 500),
        run('w.window', 'db', 'CANCELED', 90_000),
        run('w.window', 'temporal', 'FAILED', 1000),
        run('w.window', 'temporal', 'SUCCEEDED', 1000),
        run('w.window', 'temporal', 'FAILED', 50_000, 0, { shadow_of: 'some-primary' }),
        run('w.window', 'temporal', 'FAILED', 50_000, 0, { tenant_id: 'globex' }),
        run('w.window', 'temporal', 'SUCCEEDED', 0, 0, { status: 'RUNNING', completed_at: null }),
      ])
      .execute();
    const window = await readRollbackWindow(t.db, 'acme', 'w.window', { windowRuns: 100 });
    expect(window.db).toEqual({ finished: 5, failed: 1, p99Ms: expect.closeTo(496, 0) });
    expect(window.temporal).toEqual({ finished: 2, failed: 1, p99Ms: 1000 });
  });

  it('keeps the most recently completed windowRuns per engine, and Temporal runs from temporalSince on', async () => {
    await t.db
      .insertInto('workflow_runs')
      .values([
        // old Temporal failures, then recent successes
        ...[0, 1, 2].map((i) => run('w.slide', 'temporal', 'FAILED', 100, i)),
        ...[10, 11, 12].map((i) => run('w.slide', 'temporal', 'SUCCEEDED', 100, i)),
        ...[0, 1, 2].map((i) => run('w.slide', 'db', 'FAILED', 100, i)),
        ...[10, 11].map((i) => run('w.slide', 'db', 'SUCCEEDED', 100, i)),
      ])
      .execute();
    expect(await readRollbackWindow(t.db, 'acme', 'w.slide', { windowRuns: 3 })).toEqual({
      db: { finished: 3, failed: 1, p99Ms: 100 },
      temporal: { finished: 3, failed: 0, p99Ms: 100 },
    });
    const since = new Date(T0 + 5000).toISOString();
    expect(await readRollbackWindow(t.db, 'acme', 'w.slide', { windowRuns: 100, temporalSince: since })).toEqual({
      db: { finished: 5, failed: 3, p99Ms: 100 },
      temporal: { finished: 3, failed: 0, p99Ms: 100 },
    });
  });

  it('answers empty sides for a workflow without runs', async () => {
    expect(await readRollbackWindow(t.db, 'acme', 'nothing', { windowRuns: 10 })).toEqual({
      db: { finished: 0, failed: 0, p99Ms: null },
      temporal: { finished: 0, failed: 0, p99Ms: null },
    });
  });
});

describe('listRollbackCandidates and applyRollback', () => {
  it('lists policies with a rollback rule and when their engine policy last changed', async () => {
    const store = createPostgresDefinitionStore(t.db);
    const policy: WorkflowPolicy = { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 20 }, rollback };
    await store.setPolicy('acme', 'w.cand', { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 10 } }, { at: '2026-12-01T09:00:00.000Z', actor: 'k', forced: false, reason: null });
    await store.setPolicy('acme', 'w.cand', policy, { at: '2026-12-01T09:30:00.000Z', actor: 'k', forced: false, reason: null });
    // a change of another field does not move the window start
    await store.setPolicy('acme', 'w.cand', { ...policy, rollback: { ...rollback, minRuns: 4 } }, { at: '2026-12-01T09:45:00.000Z', actor: 'k', forced: false, reason: null });
    await store.setPolicy('acme', 'w.none', { versionPolicy: latest, engine: { type: 'temporal' } });
    const candidates = (await listRollbackCandidates(t.db)).filter((c) => c.workflow.startsWith('w.'));
    expect(candidates).toEqual([
      { tenant: 'acme', workflow: 'w.cand', policy: { ...policy, rollback: { ...rollback, minRuns: 4 } }, engineChangedAt: '2026-12-01T09:30:00.000Z' },
    ]);
  });

  it('sets the new policy and records the history entry, only while the engine policy is the one judged', async () => {
    const store = createPostgresDefinitionStore(t.db);
    const policy: WorkflowPolicy = { versionPolicy: latest, engine: { type: 'percent', temporalPercent: 30 }, shadow: { percent: 5 }, rollback };
    await store.setPolicy('acme', 'w.apply', policy);
    const next = (current: WorkflowPolicy): WorkflowPolicy => ({ ...current, engine: { type: 'percent', temporalPercent: 0 } });
    const write = { tenant: 'acme', workflow: 'w.apply', at: '2026-12-01T11:00:00.000Z', actor: 'baton-rollback', reason: 'Temporal error rate 1 (3/3) exceeds 2x Postgres 0 (0/3)', next };
    // judged under another engine policy (an operator changed it meanwhile): nothing written
    expect(await applyRollback(t.db, { ...write, judgedEngine: { type: 'percent', temporalPercent: 10 } })).toBe(false);
    expect(await store.getPolicy('acme', 'w.apply')).toEqual(policy);
    expect(await store.listPolicyHistory('acme', 'w.apply', 10)).toEqual([]);

    expect(await applyRollback(t.db, { ...write, judgedEngine: { temporalPercent: 30, type: 'percent' } })).toBe(true);
    const after = { ...policy, engine: { type: 'percent', temporalPercent: 0 } };
    expect(await store.getPolicy('acme', 'w.apply')).toEqual(after);
    expect(await store.listPolicyHistory('acme', 'w.apply', 10)).toEqual([
      { at: '2026-12-01T11:00:00.000Z', actor: 'baton-rollback', from: policy, to: after, forced: false, reason: write.reason },
    ]);
    // a second pass on the same evidence changes nothing
    expect(await applyRollback(t.db, { ...write, judgedEngine: { type: 'percent', temporalPercent: 30 } })).toBe(false);
    expect(await applyRollback(t.db, { ...write, workflow: 'w.unknown', judgedEngine: undefined })).toBe(false);
  });
});
