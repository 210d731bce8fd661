import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { at, command, feed, flow, start, trace, types } from './__fixtures__/drive.js';
import { openWaits, pendingCommands, runStatus, validateTaskResponse } from './queries.js';

describe('event.wait', () => {
  const def = flow([
    {
      id: 'paid',
      type: 'event.wait',
      eventName: 'PAID',
      correlationKey: { $expr: 'input.invoice' },
      filter: { $expr: 'event.payload.amount > 0' },
      timeoutMs: 1000,
      saveAs: 'vars.paid',
    },
  ]);
  const event = (payload: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'EventReceived' as const,
    now: at(100),
    waitId: 'run-1:paid:0:1:event',
    event: { eventId: 'e1', eventName: 'PAID', correlationKey: 'inv-1', payload: payload as null, ...extra },
  });

  it('opens an event wait with a timeout timer; the run is WAITING', async () => {
    const result = await start(def, { invoice: 'inv-1' });
    expect(result.commands).toEqual([
      { type: 'AwaitEvent', waitId: 'run-1:paid:0:1:event', stepId: 'paid', eventName: 'PAID', correlationKey: 'inv-1', since: at(0), timeoutAt: at(1000) },
      { type: 'StartTimer', timerId: 'run-1:paid:0:1:timeout', stepId: 'paid', fireAt: at(1000), reason: 'timeout' },
    ]);
    expect(runStatus(result.state)).toBe('WAITING');
    expect(openWaits(result.state)).toEqual([
      { waitId: 'run-1:paid:0:1:event', type: 'EVENT', stepId: 'paid', eventName: 'PAID', correlationKey: 'inv-1', createdAt: at(0), timeoutAt: at(1000) },
    ]);
    expect(trace(result)).toEqual(['paid:WAITING']);
  });

  it('accepts a matching event: saves only the four event fields and cancels the timeout', async () => {
    const started = await start(def, { invoice: 'inv-1' });
    const done = await feed(def, started, event({ amount: 5 }, { receivedAt: at(99), waitIds: ['x'] }));
    expect(done.commands).toEqual([
      { type: 'CancelTimer', timerId: 'run-1:paid:0:1:timeout' },
      { type: 'Complete', output: { paid: { eventId: 'e1', eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 5 } } } },
    ]);
  });

  it('does not apply an event whose filter is false, fails, or is not a boolean', async () => {
    const started = await start(def, { invoice: 'inv-1' });
    const filtered = await advance(def, started.state, event({ amount: 0 }));
    expect(filtered).toMatchObject({ accepted: false, commands: [], rejection: { code: 'EVENT_FILTER_REJECTED' } });
    expect(filtered.state).toBe(started.state);
    const broken = await advance(def, started.state, event('not an object'));
    expect(broken.accepted).toBe(false);
    const wrongKey = await advance(def, started.state, event({ amount: 5 }, { correlationKey: 'inv-2' }));
    expect(wrongKey.rejection?.code).toBe('EVENT_MISMATCH');
  });

  it('a filter that does not return a boolean is refused with EXPRESSION_TYPE', async () => {
    const bad = flow([{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: 'k', filter: { $expr: 'event.payload' } }]);
    const started = await start(bad);
    const refused = await advance(bad, started.state, { type: 'EventReceived', now: at(1), waitId: 'run-1:w:0:1:event', event: { eventId: 'e', eventName: 'E', correlationKey: 'k', payload: 3 } });
    expect(refused.rejection).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_TYPE', stepId: 'w' });
  });

  it('times out: closes the wait (CancelWait) and raises TimeoutError', async () => {
    const started = await start(def, { invoice: 'inv-1' });
    const timedOut = await feed(def, started, { type: 'TimerFired', now: at(1000), timerId: 'run-1:paid:0:1:timeout' });
    expect(types(timedOut)).toEqual(['CancelWait', 'Fail']);
    expect(timedOut.commands[0]).toEqual({ type: 'CancelWait', waitId: 'run-1:paid:0:1:event', waitType: 'EVENT', reason: 'timeout' });
    expect(command(timedOut, 'Fail').error).toMatchObject({ category: 'TimeoutError', code: 'WAIT_TIMEOUT', stepId: 'paid' });
    const late = await advance(def, timedOut.state, event({ amount: 5 }));
    expect(late.rejection?.code).toBe('RUN_ALREADY_FINISHED');
  });

  it('a duplicate delivery after the wait resolved is stale', async () => {
    const twoWaits = flow([
      { id: 'a', type: 'event.wait', eventName: 'E', correlationKey: 'k' },
      { id: 'b', type: 'event.wait', eventName: 'E', correlationKey: 'k' },
    ]);
    const started = await start(twoWaits);
    const first = { type: 'EventReceived' as const, now: at(1), waitId: 'run-1:a:0:1:event', event: { eventId: 'e1', eventName: 'E', correlationKey: 'k', payload: null } };
    const afterFirst = await feed(twoWaits, started, first);
    expect(afterFirst.accepted).toBe(true);
    const again = await advance(twoWaits, afterFirst.state, first);
    expect(again.rejection?.code).toBe('STALE_INPUT');
  });

  it('an empty correlation key is EXPRESSION_TYPE', async () => {
    const result = await start(flow([{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: { $expr: "''" } }]));
    expect(command(result, 'Fail').error).toMatchObject({ code: 'EXPRESSION_TYPE', stepId: 'w' });
  });
});

describe('human.task', () => {
  const form = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } };
  const def = flow([
    { id: 'ask', type: 'human.task', taskType: 'approval', title: { $expr: "'Approve ' & input.id" }, assignee: { $expr: 'input.who' }, formSchema: form, timeoutMs: 500, saveAs: 'vars.answer' },
  ]);

  it('opens the task with evaluated title and assignee', async () => {
    const result = await start(def, { id: 'x1', who: 'bob' });
    expect(result.commands[0]).toEqual({
      type: 'AwaitHumanTask',
      taskId: 'run-1:ask:0:1:task',
      stepId: 'ask',
      taskType: 'approval',
      title: 'Approve x1',
      formSchema: form,
      assignee: 'bob',
      timeoutAt: at(500),
    });
    expect(openWaits(result.state)[0]).toMatchObject({ waitId: 'run-1:ask:0:1:task', type: 'HUMAN_TASK', title: 'Approve x1', assignee: 'bob' });
  });

  it('refuses a response failing the form schema with VALIDATION_ERROR and issues; validateTaskResponse agrees', async () => {
    const started = await start(def, { id: 'x1', who: 'bob' });
    const input = { type: 'HumanTaskCompleted' as const, now: at(10), taskId: 'run-1:ask:0:1:task', response: { ok: 'yes' } };
    const refused = await advance(def, started.state, input);
    expect(refused).toMatchObject({ accepted: false, rejection: { category: 'ValidationError', code: 'VALIDATION_ERROR', details: { issues: [{ path: '/ok', code: 'type' }] } } });
    expect(validateTaskResponse(started.state, input.taskId, input.response)).toEqual({ ok: false, error: refused.rejection });
    expect(validateTaskResponse(started.state, input.taskId, { ok: true })).toEqual({ ok: true });
    expect(validateTaskResponse(started.state, 'other', { ok: true })).toMatchObject({ ok: false, error: { code: 'STALE_INPUT' } });
  });

  it('saves a valid response and cancels the timeout', async () => {
    const started = await start(def, { id: 'x1', who: 'bob' });
    const done = await feed(def, started, { type: 'HumanTaskCompleted', now: at(10), taskId: 'run-1:ask:0:1:task', response: { ok: true }, completedBy: 'bob' });
    expect(done.commands).toEqual([
      { type: 'CancelTimer', timerId: 'run-1:ask:0:1:timeout' },
      { type: 'Complete', output: { answer: { ok: true } } },
    ]);
  });

  it('times out with TASK_TIMEOUT and closes the task', async () => {
    const started = await start(def, { id: 'x1', who: 'bob' });
    const done = await feed(def, started, { type: 'TimerFired', now: at(500), timerId: 'run-1:ask:0:1:timeout' });
    expect(done.commands[0]).toEqual({ type: 'CancelWait', waitId: 'run-1:ask:0:1:task', waitType: 'HUMAN_TASK', reason: 'timeout' });
    expect(command(done, 'Fail').error).toMatchObject({ category: 'TimeoutError', code: 'TASK_TIMEOUT' });
  });

  it('an operator Resume completes the task with the given response, without the form check', async () => {
    const started = await start(def, { id: 'x1', who: 'bob' });
    const done = await feed(def, started, { type: 'Resume', now: at(10), reason: 'phone call', response: { ok: 'by phone' } });
    expect(command(done, 'Complete').output).toEqual({ answer: { ok: 'by phone' } });
  });
});

describe('time.wait', () => {
  it('starts a sleep timer and completes when it fires', async () => {
    const def = flow([{ id: 'nap', type: 'time.wait', durationMs: { $expr: '2 * 1000' } }]);
    const started = await start(def);
    expect(started.commands).toEqual([{ type: 'StartTimer', timerId: 'run-1:nap:0:1:sleep', stepId: 'nap', fireAt: at(2000), reason: 'sleep' }]);
    expect(openWaits(started.state)).toEqual([{ waitId: 'run-1:nap:0:1:sleep', type: 'TIMER', stepId: 'nap', createdAt: at(0), timeoutAt: at(2000) }]);
    expect(runStatus(started.state)).toBe('WAITING');
    const early = await advance(def, started.state, { type: 'TimerFired', now: at(5), timerId: 'other' });
    expect(early.rejection?.code).toBe('STALE_INPUT');
    const done = await feed(def, started, { type: 'TimerFired', now: at(2000), timerId: 'run-1:nap:0:1:sleep' });
    expect(types(done)).toEqual(['Complete']);
  });

  it('until: a future time sleeps until then, a bad value is EXPRESSION_TYPE', async () => {
    const until = await start(flow([{ id: 'nap', type: 'time.wait', until: { $expr: 'input.at' } }]), { at: at(60_000) });
    expect(command(until, 'StartTimer').fireAt).toBe(at(60_000));
    const bad = await start(flow([{ id: 'nap', type: 'time.wait', until: { $expr: 'input.at' } }]), { at: 'tomorrow' });
    expect(command(bad, 'Fail').error.code).toBe('EXPRESSION_TYPE');
    const negative = await start(flow([{ id: 'nap', type: 'time.wait', durationMs: { $expr: '-5' } }]));
    expect(command(negative, 'Fail').error.code).toBe('EXPRESSION_TYPE');
  });
});

describe('control.callWorkflow', () => {
  const def = flow([{ id: 'child', type: 'control.callWorkflow', workflow: 'billing.mail', version: '^1', input: { to: { $expr: 'input.to' } }, saveAs: 'vars.mail' }]);

  it('starts a child with a deterministic UUID run id', async () => {
    const first = await start(def, { to: 'a@b.c' });
    const again = await start(def, { to: 'a@b.c' });
    const child = command(first, 'StartChild');
    expect(child).toMatchObject({ stepId: 'child', workflow: 'billing.mail', versionRange: '^1', input: { to: 'a@b.c' } });
    expect(child.childRunId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(command(again, 'StartChild').childRunId).toBe(child.childRunId);
    expect(openWaits(first.state)).toMatchObject([{ waitId: child.childRunId, type: 'CHILD_WORKFLOW', childWorkflow: 'billing.mail' }]);
    expect(pendingCommands(first.state)).toEqual([child]);
  });

  it('saves the child output, or raises ChildWorkflowError with the cause', async () => {
    const started = await start(def, { to: 'x' });
    const { childRunId } = command(started, 'StartChild');
    const done = await feed(def, started, { type: 'ChildCompleted', now: at(1), childRunId, output: { sent: true } });
    expect(command(done, 'Complete').output).toEqual({ mail: { sent: true } });
    const cause = { category: 'ActionError' as const, code: 'SMTP', message: 'refused' };
    const failed = await feed(def, started, { type: 'ChildFailed', now: at(1), childRunId, error: cause });
    expect(command(failed, 'Fail').error).toEqual({
      category: 'ChildWorkflowError',
      code: 'CHILD_WORKFLOW_FAILED',
      message: 'child run of billing.mail failed: refused',
      stepId: 'child',
      details: { childRunId, cause },
    });
  });
});
