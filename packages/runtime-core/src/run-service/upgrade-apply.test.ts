import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { createHarness, openEventWait } from './__fixtures__/runtime-harness.js';

const waitStep = (eventName: string) => ({ id: 'wait', type: 'event.wait', eventName, correlationKey: { $expr: 'input.key' } });
const V1 = { name: 'w', version: '1.0.0', steps: [waitStep('PAID'), { id: 'done', type: 'control.return' }] };
const V2 = { ...V1, version: '2.0.0', steps: [waitStep('PAID'), { id: 'fee', type: 'transform.assign', assign: { 'vars.fee': 1 } }, { id: 'done', type: 'control.return' }] };

async function setup() {
  const h = createHarness();
  await h.runtime.publishDefinition('acme', V1);
  await h.runtime.publishDefinition('acme', V2);
  const start = async (engine: 'db' | 'temporal') => (await h.runtime.startRun('acme', { workflow: 'w', version: '1.0.0', input: { key: 'k' }, engine })).runId;
  const waiting = await start('db');
  await openEventWait(h.stores, 'acme', waiting, 'db', 'PAID', 'k');
  const onTemporal = await start('temporal');
  await openEventWait(h.stores, 'acme', onTemporal, 'temporal', 'PAID', 'k');
  const running = await start('db');
  return { h, waiting, onTemporal, running };
}

describe('applyUpgrade', () => {
  it('hands each MOVES_NOW run to its own engine with both versions, reports the others skipped, and audits each handed run', async () => {
    const { h, waiting, onTemporal, running } = await setup();
    const result = await h.runtime.applyUpgrade('acme', 'w', { from: '1.0.0', to: '2.0.0' }, { actor: 'ops-key' });
    expect(result.moved.map((r) => r.runId).sort()).toEqual([waiting, onTemporal].sort());
    expect(result.skipped).toEqual([{ runId: running, engine: 'db', class: 'CANNOT_MOVE', reason: 'NOT_AT_A_WAIT' }]);
    const call = h.db.calls.find((c) => c.op === 'upgradeRun');
    expect(call).toMatchObject({ runId: waiting, arg: { from: { version: '1.0.0' }, to: { version: '2.0.0' }, audit: { actor: 'ops-key' } } });
    expect(h.temporal.calls.filter((c) => c.op === 'upgradeRun').map((c) => c.runId)).toEqual([onTemporal]);
    const audit = await h.runtime.listUpgrades('acme', 'w');
    expect(audit.items.map((r) => [r.runId, r.outcome, r.actor, r.from, r.to]).sort()).toEqual(
      [
        [waiting, 'MOVED', 'ops-key', '1.0.0', '2.0.0'],
        [onTemporal, 'MOVED', 'ops-key', '1.0.0', '2.0.0'],
      ].sort(),
    );
    expect((await h.runtime.listUpgrades('acme', 'w', { runId: waiting })).items).toHaveLength(1);
    // another tenant sees nothing
    await expect(h.runtime.listUpgrades('other', 'w')).rejects.toMatchObject({ code: 'WORKFLOW_NOT_FOUND' });
  });

  it('reports the engine\'s refusal under the lock (the run moved on) as skipped with its new class, audited SKIPPED', async () => {
    const { h, waiting } = await setup();
    h.db.upgradeOutcome = { moved: false, audited: false, class: 'CANNOT_MOVE', reason: 'NOT_AT_A_WAIT' };
    const result = await h.runtime.applyUpgrade('acme', 'w', { from: '1.0.0', to: '2.0.0', runIds: [waiting, 'nope'] }, { actor: 'ops-key' });
    expect(result).toEqual({
      from: '1.0.0',
      to: '2.0.0',
      dryRun: false,
      moved: [],
      skipped: [
        { runId: 'nope', class: 'CANNOT_MOVE', reason: 'RUN_NOT_FOUND' },
        { runId: waiting, engine: 'db', class: 'CANNOT_MOVE', reason: 'NOT_AT_A_WAIT' },
      ],
    });
    expect((await h.runtime.listUpgrades('acme', 'w')).items).toMatchObject([{ runId: waiting, outcome: 'SKIPPED', reason: 'NOT_AT_A_WAIT' }]);
  });

  it('a dry run reports what would move and calls no engine, writes no audit; an engine that audited itself is not audited twice', async () => {
    const { h, waiting, onTemporal } = await setup();
    const dry = await h.runtime.applyUpgrade('acme', 'w', { from: '1.0.0', to: '2.0.0', dryRun: true }, { actor: 'ops-key' });
    expect(dry.moved.map((r) => r.runId).sort()).toEqual([waiting, onTemporal].sort());
    expect([...h.db.calls, ...h.temporal.calls].filter((c) => c.op === 'upgradeRun')).toEqual([]);
    expect((await h.runtime.listUpgrades('acme', 'w')).items).toEqual([]);
    h.db.upgradeOutcome = { moved: true, audited: true };
    await h.runtime.applyUpgrade('acme', 'w', { from: '1.0.0', to: '2.0.0' }, { actor: 'ops-key' });
    expect((await h.runtime.listUpgrades('acme', 'w')).items.map((r) => r.runId)).toEqual([onTemporal]);
  });

  it('refuses an unpublished version and from = to', async () => {
    const { h } = await setup();
    for (const [body, code] of [
      [{ from: '1.0.0', to: '9.0.0' }, 'WORKFLOW_NOT_FOUND'],
      [{ from: '1.0.0', to: '1.0.0' }, 'VALIDATION_ERROR'],
    ] as const) {
      const error = await h.runtime.applyUpgrade('acme', 'w', body, { actor: 'k' }).catch((e: unknown) => e);
      expect(isBatonError(error) && error.code).toBe(code);
    }
  });
});
