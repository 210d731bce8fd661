import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepRecord } from '@baton/event-schemas';
import { settleShadowComparison, type ShadowComparisonDeps } from '@baton/runtime-core';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresRunStore } from './postgres-run-store.js';
import { createPostgresShadowComparisons } from './postgres-shadow-comparisons.js';
import { readShadowFigures } from './shadow-figures.js';

// The one writer of `shadow_comparisons` (settleShadowComparison over the Postgres store) and the
// reader the shadow report and the rollout gate use (readShadowFigures) agree on the same rows.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('shadow_comparisons', { awkward: true });
});
afterAll(async () => t?.drop());

const T0 = '2026-01-01T00:00:00.000Z';
const step = (path: string, status: StepRecord['status'], attempt = 1): StepRecord => ({
  key: `${path}@0`,
  stepId: path,
  stepType: 'action.call',
  path,
  iteration: '0',
  generation: 0,
  seq: path === 'charge' ? 0 : 1,
  status,
  attempt,
  startedAt: T0,
});

/** A primary on Postgres and its shadow on Temporal, both RUNNING, filed PENDING like `startRun` does. */
async function pair(name: string) {
  const runs = createPostgresRunStore(t.db);
  const comparisons = createPostgresShadowComparisons(t.db);
  const base = { workflow: 'billing.remind', version: '1.0.0', definitionHash: 'h', status: 'RUNNING' as const, input: {}, executionKey: null, createdAt: T0 };
  const primaryId = `${name}-p`;
  const shadowId = `${name}-s`;
  await runs.create('acme', { ...base, runId: primaryId, runKey: primaryId, engine: 'db', shadow: { role: 'primary', shadowRunId: shadowId, shadowEngine: 'temporal' } });
  await runs.create('acme', { ...base, runId: shadowId, runKey: primaryId, engine: 'temporal', shadow: { role: 'shadow', primaryRunId: primaryId, primaryEngine: 'db' } });
  await comparisons.open('acme', { workflow: 'billing.remind', primaryRunId: primaryId, shadowRunId: shadowId, primaryEngine: 'db', shadowEngine: 'temporal' });
  const finish = async (runId: string, steps: StepRecord[], completedAt: string, status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => {
    await runs.upsertSteps('acme', runId, steps);
    await runs.update('acme', runId, { status, output: { ok: true }, completedAt, updatedAt: completedAt });
  };
  const results: string[] = [];
  const deps: ShadowComparisonDeps = { runs, comparisons, onCompared: (r) => results.push(r), clock: () => new Date('2026-01-01T01:00:00.000Z') };
  return { primaryId, shadowId, finish, deps, results, comparisons };
}

describe('shadow comparisons filed in Postgres', () => {
  it('stays PENDING while a run of the pair runs, then the last one to finish files MATCH once, with both latencies', async () => {
    const p = await pair('match');
    expect(await readShadowFigures(t.db, 'acme', 'billing.remind')).toMatchObject({ compared: 0, pending: 1 });
    await p.finish(p.primaryId, [step('charge', 'SUCCEEDED', 2), step('notify', 'SUCCEEDED')], '2026-01-01T00:00:00.100Z');
    expect(await settleShadowComparison(p.deps, 'acme', p.primaryId)).toEqual({ comparison: 'PENDING' });
    expect(p.results).toEqual([]);

    await p.finish(p.shadowId, [step('charge', 'SUCCEEDED', 2), step('notify', 'SUCCEEDED')], '2026-01-01T00:00:00.300Z');
    // Either run of the pair settles it; the second settle finds it filed and counts nothing.
    expect(await settleShadowComparison(p.deps, 'acme', p.shadowId)).toEqual({ comparison: 'MATCH' });
    expect(await settleShadowComparison(p.deps, 'acme', p.primaryId)).toEqual({ comparison: 'MATCH' });
    expect(p.results).toEqual(['MATCH']);
    expect(await readShadowFigures(t.db, 'acme', 'billing.remind')).toEqual({
      compared: 1,
      matched: 1,
      different: 0,
      pending: 0,
      discrepancyRate: 0,
      latency: { primaryP50Ms: 100, shadowP50Ms: 300, ratio: 3 },
    });
    expect(await p.comparisons.get('other-tenant', p.primaryId)).toBeUndefined();
  });

  it('files the first difference, lists it in the differences, and a verdict once filed never changes', async () => {
    const p = await pair('diff');
    await p.finish(p.primaryId, [step('charge', 'SUCCEEDED', 2), step('notify', 'SUCCEEDED')], '2026-01-01T00:00:00.100Z');
    await p.finish(p.shadowId, [step('charge', 'SUCCEEDED', 3), step('notify', 'SUCCEEDED')], '2026-01-01T00:00:00.200Z');
    const difference = { path: 'charge', field: 'attempts', primary: 2, shadow: 3 };
    // Two settlers at once: one files, both answer the filed verdict, the metric hears it once.
    const settled = await Promise.all([settleShadowComparison(p.deps, 'acme', p.primaryId), settleShadowComparison(p.deps, 'acme', p.shadowId)]);
    expect(settled).toEqual([
      { comparison: 'DIFFERENT', firstDifference: difference },
      { comparison: 'DIFFERENT', firstDifference: difference },
    ]);
    expect(p.results).toEqual(['DIFFERENT']);
    expect(
      await p.comparisons.record('acme', {
        workflow: 'billing.remind',
        primaryRunId: p.primaryId,
        shadowRunId: p.shadowId,
        primaryEngine: 'db',
        shadowEngine: 'temporal',
        comparison: 'MATCH',
        primaryLatencyMs: 1,
        shadowLatencyMs: 1,
        comparedAt: T0,
      }),
    ).toBe(false);
    expect(await p.comparisons.get('acme', p.primaryId)).toEqual({ comparison: 'DIFFERENT', firstDifference: difference });
    expect(await p.comparisons.differences('acme', 'billing.remind', 10)).toEqual([{ runId: p.primaryId, shadowRunId: p.shadowId, ...difference }]);
    expect(await p.comparisons.differences('other-tenant', 'billing.remind', 10)).toEqual([]);
    expect(await readShadowFigures(t.db, 'acme', 'billing.remind', { shadowEngine: 'temporal' })).toMatchObject({ compared: 2, matched: 1, different: 1, discrepancyRate: 0.5 });
  });

  it('files a pair nobody opened (a child pair) and ignores a run without a shadow link', async () => {
    const p = await pair('child');
    await t.db.deleteFrom('shadow_comparisons').where('primary_run_id', '=', p.primaryId).execute();
    await p.finish(p.primaryId, [step('charge', 'SUCCEEDED')], '2026-01-01T00:00:00.100Z');
    await p.finish(p.shadowId, [step('charge', 'SUCCEEDED')], '2026-01-01T00:00:00.100Z', 'FAILED');
    expect(await settleShadowComparison(p.deps, 'acme', p.shadowId)).toEqual({
      comparison: 'DIFFERENT',
      firstDifference: { path: '$', field: 'status', primary: 'SUCCEEDED', shadow: 'FAILED' },
    });
    const runs = createPostgresRunStore(t.db);
    await runs.create('acme', { runId: 'plain', workflow: 'billing.remind', version: '1.0.0', definitionHash: 'h', status: 'SUCCEEDED', input: {}, executionKey: null, runKey: 'plain', engine: 'db', createdAt: T0 });
    expect(await settleShadowComparison(p.deps, 'acme', 'plain')).toBeUndefined();
  });
});
