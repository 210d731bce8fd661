import { createActionRegistry, executeAction, type RunActionCommand } from '@baton/runtime-core';
import { describe, expect, it } from 'vitest';
import { instrumentActions, type ActionOutcome } from './instrument-actions.js';

function command(action: string, input: unknown, attempt = 1): RunActionCommand {
  return {
    type: 'RunAction',
    commandId: `r1:s1:0:${attempt}`,
    stepId: 's1',
    path: 's1',
    action,
    actionVersion: 1,
    input: input as RunActionCommand['input'],
    attempt,
    idempotencyKey: 't:r1:s1:0',
  };
}

describe('instrumentActions', () => {
  it('reports each attempt with its outcome and leaves results and error classification unchanged', async () => {
    const seen: { action: string; outcome: ActionOutcome; seconds: number }[] = [];
    const registry = instrumentActions(createActionRegistry({ enableTestActions: true }), (action, outcome, seconds) =>
      seen.push({ action: `${action.id}@${action.version}`, outcome, seconds }),
    );
    const context = { runId: 'r1', tenant: 't' };
    await expect(executeAction(registry, command('core.echo', { a: 1 }), context)).resolves.toEqual({ ok: true, output: { a: 1 } });
    const flaky = await executeAction(registry, command('test.flaky', { failTimes: 1 }), context);
    expect(flaky).toMatchObject({ ok: false, error: { category: 'TransientError', code: 'TEST_FLAKY' } });
    const failed = await executeAction(registry, command('test.fail', { message: 'no', retryable: false }), context);
    expect(failed).toMatchObject({ ok: false, error: { category: 'ActionError', message: 'no' } });
    expect(seen.map(({ action, outcome }) => [action, outcome])).toEqual([
      ['core.echo@1', 'ok'],
      ['test.flaky@1', 'error'],
      ['test.fail@1', 'error'],
    ]);
    expect(seen.every((s) => s.seconds >= 0 && s.seconds < 5)).toBe(true);
  });

  it('does not observe attempts refused before the handler runs (invalid input)', async () => {
    let calls = 0;
    const registry = instrumentActions(createActionRegistry(), () => (calls += 1));
    const result = await executeAction(registry, command('core.log', { nope: true }), { runId: 'r1', tenant: 't' });
    expect(result).toMatchObject({ ok: false, error: { category: 'ValidationError' } });
    expect(calls).toBe(0);
  });

  it('keeps every action id and version of the registry', () => {
    const base = createActionRegistry({ enableTestActions: true });
    expect(instrumentActions(base, () => undefined).list().map((a) => `${a.id}@${a.version}`)).toEqual(base.list().map((a) => `${a.id}@${a.version}`));
  });
});
