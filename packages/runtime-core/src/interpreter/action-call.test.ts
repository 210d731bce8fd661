import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { at, command, CONTEXT, feed, flow, start, trace, types } from './__fixtures__/drive.js';
import { pendingCommands, runStatus } from './queries.js';

const echo = (extra: Record<string, unknown> = {}) =>
  flow([{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { v: { $expr: 'input.v' } }, saveAs: 'vars.out', ...extra }]);

describe('action.call', () => {
  it('emits RunAction with the resolved input, a deterministic command id and the tenant-prefixed default key', async () => {
    const result = await start(echo({ timeoutMs: 500 }), { v: 7 });
    expect(result.commands).toEqual([
      {
        type: 'RunAction',
        commandId: 'run-1:call:0:1',
        stepId: 'call',
        path: 'call',
        action: 'core.echo',
        actionVersion: 1,
        input: { v: 7 },
        attempt: 1,
        idempotencyKey: 'acme:run-1:call:0',
        timeoutMs: 500,
      },
    ]);
    expect(runStatus(result.state)).toBe('RUNNING');
    expect(pendingCommands(result.state)).toEqual(result.commands);
    expect(trace(result)).toEqual(['call:RUNNING']);
  });

  it('evaluates an explicit idempotencyKey and prefixes the tenant', async () => {
    const result = await start(echo({ idempotencyKey: { $expr: "'pay-' & $string(input.v)" } }), { v: 3 });
    expect(command(result, 'RunAction').idempotencyKey).toBe('acme:pay-3');
  });

  it('saves the output and completes the run with vars', async () => {
    const def = echo();
    const started = await start(def, { v: 1 });
    const done = await feed(def, started, { type: 'ActionCompleted', now: at(10), commandId: 'run-1:call:0:1', output: { v: 1 } });
    expect(done.accepted).toBe(true);
    expect(done.commands).toEqual([{ type: 'Complete', output: { out: { v: 1 } } }]);
    expect(done.steps).toMatchObject([{ key: 'call@0', status: 'SUCCEEDED', output: { v: 1 }, startedAt: at(0), completedAt: at(10) }]);
    expect(runStatus(done.state)).toBe('SUCCEEDED');
  });

  it('rejects a result for another command id and leaves the state as it was', async () => {
    const def = echo();
    const started = await start(def, { v: 1 });
    const stale = await advance(def, started.state, { type: 'ActionCompleted', now: at(5), commandId: 'run-1:call:0:9', output: 1 });
    expect(stale).toEqual({ state: started.state, commands: [], steps: [], accepted: false, rejection: expect.objectContaining({ code: 'STALE_INPUT' }) });
    expect(stale.state).toBe(started.state);
  });

  it('retries a TransientError after the backoff, reusing the idempotency key and counting attempts', async () => {
    const def = echo({ retry: { maxAttempts: 3, backoffMs: 100, backoffMultiplier: 3 } });
    const started = await start(def, { v: 1 });
    const failed = await feed(def, started, {
      type: 'ActionFailed',
      now: at(20),
      commandId: 'run-1:call:0:1',
      error: { category: 'TransientError', code: 'UPSTREAM', message: 'try later' },
    });
    expect(failed.commands).toEqual([{ type: 'StartTimer', timerId: 'run-1:call:0:1:retry', stepId: 'call', fireAt: at(120), reason: 'retry' }]);
    expect(failed.steps).toMatchObject([{ status: 'RUNNING', attempt: 1, error: { code: 'UPSTREAM', stepId: 'call' } }]);
    expect(runStatus(failed.state)).toBe('RUNNING');

    const retried = await feed(def, failed, { type: 'TimerFired', now: at(120), timerId: 'run-1:call:0:1:retry' });
    expect(command(retried, 'RunAction')).toMatchObject({ commandId: 'run-1:call:0:2', attempt: 2, idempotencyKey: 'acme:run-1:call:0', input: { v: 1 } });

    const failedAgain = await feed(def, retried, {
      type: 'ActionFailed',
      now: at(130),
      commandId: 'run-1:call:0:2',
      error: { category: 'TransientError', code: 'UPSTREAM', message: 'again' },
    });
    expect(command(failedAgain, 'StartTimer').fireAt).toBe(at(430));
  });

  it('retries at once (no timer) when the backoff is 0', async () => {
    const def = echo({ retry: { maxAttempts: 2, backoffMs: 0 } });
    const started = await start(def, { v: 1 });
    const failed = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'TransientError', code: 'X', message: 'x' } });
    expect(types(failed)).toEqual(['RunAction']);
    expect(command(failed, 'RunAction').attempt).toBe(2);
  });

  it('does not retry categories outside retryOn, and never retries Canceled', async () => {
    const def = echo({ retry: { maxAttempts: 5, backoffMs: 10, retryOn: ['TimeoutError'] } });
    const started = await start(def, { v: 1 });
    const transient = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'TransientError', code: 'X', message: 'x' } });
    expect(types(transient)).toEqual(['Fail']);
    const timeout = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'TimeoutError', code: 'T', message: 't' } });
    expect(types(timeout)).toEqual(['StartTimer']);
  });

  it('onError "continue" records the step FAILED without saving and runs the next step', async () => {
    const def = flow([
      { id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1, saveAs: 'vars.out', onError: 'continue' },
      { id: 'next', type: 'transform.assign', assign: { 'vars.next': true } },
    ]);
    const started = await start(def);
    const done = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'ActionError', code: 'NO', message: 'no' } });
    expect(trace(done)).toEqual(['call:FAILED', 'next:SUCCEEDED']);
    expect(done.commands).toEqual([{ type: 'Complete', output: { next: true } }]);
  });

  it('an input expression error honours onError "continue" and is not retried', async () => {
    const def = flow([
      { id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: "'a' + 1" }, onError: 'continue', retry: { maxAttempts: 3, backoffMs: 1, retryOn: ['ExpressionError'] } },
    ]);
    const started = await start(def);
    expect(trace(started)).toEqual(['call:FAILED']);
    expect(started.steps[0]!.error).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_EVALUATION', stepId: 'call' });
    expect(types(started)).toEqual(['Complete']);
  });

  it('an output over the limit is a ValidationError OUTPUT_TOO_LARGE', async () => {
    const def = echo();
    const started = await start(def, { v: 1 }, { limits: { maxOutputBytes: 64 } });
    const done = await feed(def, started, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:call:0:1', output: 'x'.repeat(100) });
    expect(command(done, 'Fail').error).toMatchObject({ category: 'ValidationError', code: 'OUTPUT_TOO_LARGE', stepId: 'call' });
  });

  it('jitter is derived from the run id and attempt: same run, same delay; in [50%, 100%]', async () => {
    const def = echo({ retry: { maxAttempts: 2, backoffMs: 1000, jitter: true } });
    const delays = new Set<string>();
    for (const runId of ['run-a', 'run-b', 'run-c', 'run-a']) {
      const started = await advance(def, undefined, { type: 'Start', now: at(0), context: { ...CONTEXT, runId }, input: { v: 1 } });
      const failed = await feed(def, started, { type: 'ActionFailed', now: at(0), commandId: `${runId}:call:0:1`, error: { category: 'TransientError', code: 'X', message: 'x' } });
      const delay = Date.parse(command(failed, 'StartTimer').fireAt) - Date.parse(at(0));
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1000);
      delays.add(`${runId}=${delay}`);
    }
    expect(delays.size).toBe(3);
  });

  it('an operator Resume fires a pending retry timer now', async () => {
    const def = echo({ retry: { maxAttempts: 2, backoffMs: 60_000 } });
    const started = await start(def, { v: 1 });
    const failed = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'TransientError', code: 'X', message: 'x' } });
    const resumed = await feed(def, failed, { type: 'Resume', now: at(2), reason: 'ops' });
    expect(types(resumed)).toEqual(['CancelTimer', 'RunAction']);
    const running = await feed(def, resumed, { type: 'Resume', now: at(3), reason: 'ops' });
    expect(running.rejection?.code).toBe('NOTHING_TO_RESUME');
  });
});
