// upgradeRun on the Postgres engine: the move and its audit row are one transaction under the run's
// row lock; the fencing token is bumped (a worker still holding the run cannot commit over it); a run
// no longer on `from` is skipped (and audited SKIPPED); the moved run goes on with v2's steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionRegistry, type RunUpgradeRequest } from '@baton/runtime-core';
import { createEngineHarness, runRows, workflow, type EngineHarness } from '../__fixtures__/engine-harness.js';

const paid = { id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.paid' };
const V1 = workflow('upgrade.db', [paid, { id: 'done', type: 'control.return', output: { $expr: 'vars' } }]);
const V2 = workflow(
  'upgrade.db',
  [{ id: 'pre', type: 'transform.assign', assign: { 'vars.pre': true } }, paid, { id: 'fee', type: 'transform.assign', assign: { 'vars.fee': 5 } }, { id: 'done', type: 'control.return', output: { $expr: 'vars' } }],
  '2.0.0',
);

let h: EngineHarness;
let request: RunUpgradeRequest;
beforeAll(async () => {
  h = await createEngineHarness('upgrade_run', createActionRegistry());
  const [v1, v2] = [await h.publish(V1), await h.publish(V2)];
  request = { from: { version: '1.0.0', hash: v1.hash, definition: V1 }, to: { version: '2.0.0', hash: v2.hash, definition: V2 }, audit: { actor: 'key-test', at: '2026-12-03T20:00:00.000Z' } };
});
afterAll(async () => h?.close());

async function waiting(runId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await h.stores.runs.get(h.tenant, runId))?.status === 'WAITING') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} never waited`);
}

describe('PostgresEngine.upgradeRun', () => {
  it('moves the run with its audit row in one transaction, bumps the fencing token, never moves it twice; the run then runs v2', async () => {
    const ref = await h.start(V1, { key: 'k-1' });
    await waiting(ref.runId);
    const before = await runRows(h.t, ref.runId);

    // an audit row that cannot be written rolls the move back
    await expect(h.engine.upgradeRun(ref, { ...request, audit: { actor: 'key-test', at: 'not a time' } })).rejects.toThrow();
    expect((await runRows(h.t, ref.runId)).run).toEqual(before.run);
    expect((await h.stores.upgradeAudits!.list(h.tenant, 'upgrade.db', { limit: 10 })).length).toBe(0);

    expect(await h.engine.upgradeRun(ref, request)).toEqual({ moved: true, audited: true });
    const after = await runRows(h.t, ref.runId);
    // The move clears the lease and wakes the run: the harness's live worker may claim it at once
    // (with a newer fencing token), so the lease itself is not asserted here.
    expect([after.run.workflow_version, after.run.definition_hash]).toEqual(['2.0.0', request.to.hash]);
    expect(BigInt(after.run.fencing_token)).toBeGreaterThan(BigInt(before.run.fencing_token));
    expect(after.waits).toEqual(before.waits);
    expect((after.run.state as { context: { version: string }; vars: unknown }).context.version).toBe('2.0.0');

    expect(await h.engine.upgradeRun(ref, request)).toEqual({ moved: false, audited: true, class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' });
    const audit = await h.stores.upgradeAudits!.list(h.tenant, 'upgrade.db', { limit: 10 });
    expect(audit.map(({ outcome, reason, actor, engine }) => ({ outcome, reason, actor, engine }))).toEqual([
      { outcome: 'SKIPPED', reason: 'NOT_ON_FROM_VERSION', actor: 'key-test', engine: 'db' },
      { outcome: 'MOVED', reason: undefined, actor: 'key-test', engine: 'db' },
    ]);

    await h.engine.deliverEvent(ref, { eventId: 'p-1', eventName: 'PAID', correlationKey: 'k-1', payload: 1 });
    const done = await h.engine.awaitRun(ref, { timeoutMs: 30_000 });
    expect([done.status, done.version, done.output]).toEqual(['SUCCEEDED', '2.0.0', { paid: { eventId: 'p-1', eventName: 'PAID', correlationKey: 'k-1', payload: 1 }, fee: 5 }]);
  });
});
