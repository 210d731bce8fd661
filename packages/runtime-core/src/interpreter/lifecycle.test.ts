import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { at, command, CONTEXT, feed, flow, start, trace, types } from './__fixtures__/drive.js';
import { InterpreterError } from './interpreter-error.js';
import { executedStepCount, pendingCommands, runOutcome, runStatus } from './queries.js';

const flaky = flow([
  { id: 'prep', type: 'transform.assign', assign: { 'vars.prep': true } },
  { id: 'loop', type: 'control.forEach', items: [1], body: [{ id: 'call', type: 'action.call', action: 'test.flaky', actionVersion: 1, retry: { maxAttempts: 2, backoffMs: 10 } }] },
]);
const transient = { category: 'TransientError' as const, code: 'X', message: 'x' };

describe('Start', () => {
  it('refuses a second Start and needs a state for anything else', async () => {
    const started = await start(flaky);
    const again = await advance(flaky, started.state, { type: 'Start', now: at(1), context: CONTEXT, input: null });
    expect(again).toMatchObject({ accepted: false, rejection: { code: 'RUN_ALREADY_STARTED' } });
    await expect(advance(flaky, undefined, { type: 'Cancel', now: at(1), reason: 'x' })).rejects.toBeInstanceOf(InterpreterError);
  });

  it('fails the run on an input over the size limit or not matching inputSchema (no step runs)', async () => {
    const big = await start(flaky, 'x'.repeat(100), { limits: { maxInputBytes: 50 } });
    expect(runOutcome(big.state)).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: 'INPUT_TOO_LARGE' } });
    const schema = flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.a': 1 } }], { inputSchema: { type: 'object', required: ['id'] } });
    const mismatch = await start(schema, {});
    expect(mismatch.commands).toEqual([
      { type: 'Fail', error: expect.objectContaining({ category: 'ValidationError', code: 'INPUT_SCHEMA_MISMATCH', details: { issues: [expect.objectContaining({ code: 'required' })] } }) },
    ]);
    expect(mismatch.steps).toEqual([]);
    const retry = await feed(schema, mismatch, { type: 'RetryFailed', now: at(1) });
    expect(retry.rejection?.code).toBe('NOTHING_TO_RETRY');
  });

  it('throws InterpreterError (not a workflow error) for driver mistakes', async () => {
    const started = await start(flaky);
    await expect(advance(flow([], { name: 'other.flow' }), started.state, { type: 'Cancel', now: at(1), reason: 'x' })).rejects.toMatchObject({ code: 'DEFINITION_MISMATCH' });
    await expect(advance(flaky, started.state, { type: 'Cancel', now: 'yesterday', reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'input.now' });
    await expect(advance(flaky, { ...started.state, format: 'v0' } as never, { type: 'Cancel', now: at(1), reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(advance(flaky, started.state, { type: 'Nope', now: at(1) } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(advance(flaky, started.state, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:call:0.0:1' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'input.output' });
  });
});

describe('Cancel', () => {
  it('closes the open wait and timeout timer, records CANCELED, and is never caught', async () => {
    const def = flow([
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: 'k', timeoutMs: 100 }],
        catch: [{ id: 'c', type: 'transform.assign', assign: { 'vars.c': 1 } }],
      },
    ]);
    const started = await start(def);
    const canceled = await feed(def, started, { type: 'Cancel', now: at(5), reason: 'user' });
    expect(canceled.commands).toEqual([
      { type: 'CancelWait', waitId: 'run-1:w:0:1:event', waitType: 'EVENT', reason: 'canceled' },
      { type: 'CancelTimer', timerId: 'run-1:w:0:1:timeout' },
      { type: 'Canceled', reason: 'user' },
    ]);
    expect(trace(canceled)).toEqual(['guard:CANCELED', 'guard/w:CANCELED']);
    expect(runOutcome(canceled.state)).toEqual({ status: 'CANCELED', error: { category: 'Canceled', code: 'RUN_CANCELED', message: 'user' } });
    expect(pendingCommands(canceled.state)).toEqual([]);
    const twice = await feed(def, canceled, { type: 'Cancel', now: at(6), reason: 'again' });
    expect(twice.rejection?.code).toBe('RUN_ALREADY_FINISHED');
  });

  it('cancels a running child and ignores the late result of a running action', async () => {
    const child = flow([{ id: 'c', type: 'control.callWorkflow', workflow: 'x.y' }]);
    const withChild = await start(child);
    const canceled = await feed(child, withChild, { type: 'Cancel', now: at(1), reason: 'stop' });
    expect(canceled.commands[0]).toEqual({ type: 'CancelChild', childRunId: command(withChild, 'StartChild').childRunId, reason: 'stop' });
    const started = await start(flaky);
    const stopped = await feed(flaky, started, { type: 'Cancel', now: at(1), reason: 'stop' });
    expect(types(stopped)).toEqual(['Canceled']);
    const late = await feed(flaky, stopped, { type: 'ActionCompleted', now: at(2), commandId: 'run-1:call:0.0:1', output: null });
    expect(late.accepted).toBe(false);
  });
});

describe('RetryFailed (operator retry from the failed step)', () => {
  it('re-runs the failed step inside its loop with the attempt count continued, keeping earlier steps', async () => {
    const started = await start(flaky);
    const retry1 = await feed(flaky, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0.0:1', error: transient });
    const attempt2 = await feed(flaky, retry1, { type: 'TimerFired', now: at(11), timerId: 'run-1:call:0.0:1:retry' });
    const failed = await feed(flaky, attempt2, { type: 'ActionFailed', now: at(12), commandId: 'run-1:call:0.0:2', error: transient });
    expect(runStatus(failed.state)).toBe('FAILED');
    expect(trace(failed)).toEqual(['loop:FAILED', 'loop[0]/call:FAILED']);

    const retried = await feed(flaky, failed, { type: 'RetryFailed', now: at(100), reason: 'fixed upstream' });
    expect(retried.accepted).toBe(true);
    expect(command(retried, 'RunAction')).toMatchObject({ commandId: 'run-1:call:0.0:3', attempt: 3, idempotencyKey: 'acme:run-1:call:0.0' });
    expect(retried.steps).toMatchObject([
      { key: 'loop@0', status: 'RUNNING', seq: 1 },
      { key: 'call@0.0', status: 'RUNNING', attempt: 3, seq: 2, startedAt: at(0) },
    ]);
    expect(retried.steps[1]!.error).toBeUndefined();
    expect(runStatus(retried.state)).toBe('RUNNING');

    const done = await feed(flaky, retried, { type: 'ActionCompleted', now: at(101), commandId: 'run-1:call:0.0:3', output: { attempts: 3 } });
    expect(done.commands).toEqual([{ type: 'Complete', output: { prep: true } }]);
    expect(trace(done)).toEqual(['loop:SUCCEEDED', 'loop[0]/call:SUCCEEDED']);
  });

  it('is refused for a run that has not failed', async () => {
    const started = await start(flaky);
    const refused = await feed(flaky, started, { type: 'RetryFailed', now: at(1) });
    expect(refused.rejection?.code).toBe('RUN_NOT_FAILED');
  });
});

describe('limits and counters', () => {
  it('counts executed steps per generation and stops a runaway run with STEP_LIMIT_EXCEEDED (not catchable)', async () => {
    const def = flow([
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'loop', type: 'control.forEach', items: [1, 2, 3, 4, 5], body: [{ id: 'a', type: 'transform.assign', assign: { 'vars.n': { $expr: 'item' } } }] }],
        catch: [{ id: 'c', type: 'transform.assign', assign: { 'vars.caught': true } }],
      },
    ]);
    const ok = await start(def);
    expect(executedStepCount(ok.state)).toBe(7);
    const limited = await start(def, null, { limits: { maxExecutedSteps: 4 } });
    expect(command(limited, 'Fail').error).toMatchObject({ category: 'ValidationError', code: 'STEP_LIMIT_EXCEEDED' });
  });
});
