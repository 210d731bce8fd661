import { describe, expect, it } from 'vitest';
import { at, command, feed, flow, start } from './__fixtures__/drive.js';

// SPEC-dsl: "Anywhere a value is expected, write a literal, or {"$expr"}" — timeouts included.
describe('timeouts given as expressions', () => {
  it('event.wait: the timeout is evaluated when the wait opens and fails the step with TimeoutError', async () => {
    const def = flow([{ id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: 'k', timeoutMs: { $expr: 'input.graceMs * 2' } }]);
    const started = await start(def, { graceMs: 150 });
    expect(command(started, 'AwaitEvent').timeoutAt).toBe(at(300));
    expect(command(started, 'StartTimer')).toMatchObject({ fireAt: at(300), reason: 'timeout' });
    const timedOut = await feed(def, started, { type: 'TimerFired', now: at(300), timerId: command(started, 'StartTimer').timerId });
    expect(command(timedOut, 'Fail').error).toMatchObject({ category: 'TimeoutError', message: 'no PAID event within 300 ms' });
  });

  it('human.task: an expression timeout sets the task deadline', async () => {
    const def = flow([{ id: 'ask', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: { $expr: 'input.slaMs' } }]);
    const started = await start(def, { slaMs: 2500 });
    expect(command(started, 'AwaitHumanTask').timeoutAt).toBe(at(2500));
    const timedOut = await feed(def, started, { type: 'TimerFired', now: at(2500), timerId: command(started, 'StartTimer').timerId });
    expect(command(timedOut, 'Fail').error).toMatchObject({ category: 'TimeoutError', message: 'task approval not completed within 2500 ms' });
  });

  it('action.call: an expression timeout is carried by every attempt, retries included', async () => {
    const def = flow([
      {
        id: 'charge',
        type: 'action.call',
        action: 'core.echo',
        actionVersion: 1,
        timeoutMs: { $expr: 'input.limitMs' },
        retry: { maxAttempts: 2, backoffMs: 0 },
      },
    ]);
    const started = await start(def, { limitMs: 750 });
    const first = command(started, 'RunAction');
    expect(first.timeoutMs).toBe(750);
    const retried = await feed(def, started, {
      type: 'ActionFailed',
      now: at(10),
      commandId: first.commandId,
      error: { category: 'TransientError', code: 'X', message: 'try again' },
    });
    expect(command(retried, 'RunAction')).toMatchObject({ attempt: 2, timeoutMs: 750 });
  });

  it('a timeout expression that is not a positive number fails the step with EXPRESSION_TYPE', async () => {
    const wait = await start(flow([{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: 'k', timeoutMs: { $expr: "'soon'" } }]));
    expect(command(wait, 'Fail').error).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_TYPE' });
    const action = await start(flow([{ id: 'a', type: 'action.call', action: 'core.echo', actionVersion: 1, timeoutMs: { $expr: '0' } }]));
    expect(command(action, 'Fail').error).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_TYPE' });
  });
});
