import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBatonError, type RunRef } from '@baton/runtime-core';
import { createEngineHarness, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';
import { createTestActions } from '../__fixtures__/test-actions.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await createEngineHarness('commit-isolation', createTestActions().registry, { engine: { concurrency: 8 } });
});
afterAll(async () => h?.close());

const echo = (id: string) => ({ id, type: 'action.call', action: 'core.echo', actionVersion: 1, input: { step: id }, saveAs: `vars.${id}` });

async function tokenOf(runId: string): Promise<number> {
  const row = await h.t.db.selectFrom('workflow_runs').select('fencing_token').where('run_id', '=', runId).executeTakeFirstOrThrow();
  return Number(row.fencing_token);
}

async function expectHealthy(runs: readonly RunRef<'db'>[]): Promise<void> {
  for (const run of runs) expect(await h.engine.awaitRun(run)).toMatchObject({ status: 'SUCCEEDED', output: { s1: { step: 's1' }, fine: true, s2: { step: 's2' } } });
}

describe('a run whose state cannot be stored never hurts the others', () => {
  it('the issue: transform.assign producing input.prefix & "\\u0000" fails with ExpressionError UNSTORABLE_VALUE, next to healthy runs', async () => {
    const poisoned = workflow('iso.nul', [echo('s1'), { id: 'bad', type: 'transform.assign', assign: { 'vars.bad': { $expr: 'input.prefix & "\\u0000"' } } }, echo('s2')]);
    const healthy = workflow('iso.healthy', [echo('s1'), { id: 'ok', type: 'transform.assign', assign: { 'vars.fine': true } }, echo('s2')]);
    const runs = await Promise.all([h.start(poisoned, { prefix: 'p' }), ...Array.from({ length: 7 }, () => h.start(healthy, null))]);
    const [bad, ...good] = runs;
    expect(await h.engine.awaitRun(bad!)).toMatchObject({
      status: 'FAILED',
      error: { category: 'ExpressionError', code: 'UNSTORABLE_VALUE', stepId: 'bad', details: { path: '$', reason: 'NUL' } },
    });
    await expectHealthy(good);
    expect(await tokenOf(bad!.runId)).toBe(1);
  });

  it('a commit Postgres refuses fails only its own run, once: the batch is redone one by one, the run is FAILED, cancel answers it finished', async () => {
    // A trigger stands in for a refusal the interpreter cannot foresee (class 22, data exception):
    // it refuses any unfinished state holding vars.poison.
    const fn = sql.id(h.t.schema, 'refuse_poison');
    await sql`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status <> 'FAILED' AND NEW.state IS NOT NULL AND (NEW.state -> 'vars') ? 'poison' THEN
          RAISE EXCEPTION 'value refused by the store' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$`.execute(h.t.db);
    await sql`CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON ${sql.id(h.t.schema, 'workflow_runs')} FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(h.t.db);

    const poisoned = workflow('iso.refused', [echo('s1'), { id: 'bad', type: 'transform.assign', assign: { 'vars.poison': true } }, echo('s2')]);
    const healthy = workflow('iso.healthy', [echo('s1'), { id: 'ok', type: 'transform.assign', assign: { 'vars.fine': true } }, echo('s2')]);
    const fallbacksBefore = h.engine.commitStats.fallbacks;
    // Runs advancing together share group commits; rounds until a refused commit shared one.
    for (let round = 0; round < 10 && h.engine.commitStats.fallbacks === fallbacksBefore; round++) {
      const runs = await Promise.all([h.start(poisoned, round), ...Array.from({ length: 7 }, () => h.start(healthy, null))]);
      const [bad, ...good] = runs;
      const failed = await h.engine.awaitRun(bad!);
      expect(failed).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: 'UNSTORABLE_VALUE', details: { sqlState: '22023' } } });
      expect(failed.error?.message).toContain('value refused by the store');
      await expectHealthy(good);
      // claimed once (or never, when the starting worker adopted it), never re-claimed in a loop
      expect(await tokenOf(bad!.runId)).toBeLessThanOrEqual(1);
      const steps = await h.stores.runs.listSteps(h.tenant, bad!.runId);
      expect(steps.map((s) => s.stepId)).toContain('s1');
      await expect(h.engine.cancel(bad!, 'stop')).rejects.toSatisfy((e) => isBatonError(e, 'RUN_ALREADY_FINISHED'));
      expect((await h.stores.runs.get(h.tenant, bad!.runId))?.status).toBe('FAILED');
    }
    expect(h.engine.commitStats.fallbacks).toBeGreaterThan(fallbacksBefore);
  });
});
