import { describe, expect, it } from 'vitest';
import { at, feed, flow, start } from './__fixtures__/drive.js';
import { decideTaskCompletion, TASK_ALREADY_CLOSED } from './task-completion.js';

describe('decideTaskCompletion (a completion racing the task timeout)', () => {
  const def = flow([{ id: 'ask', type: 'human.task', taskType: 'approval', title: 'ok?', timeoutMs: 500, saveAs: 'vars.answer' }]);
  const taskId = 'run-1:ask:0:1:task';

  it('applies a completion of an open task', async () => {
    const open = await start(def);
    expect(decideTaskCompletion(open.state, taskId, undefined)).toEqual({ kind: 'apply' });
    // A closure the driver still remembers does not matter while the interpreter keeps the task open.
    expect(decideTaskCompletion(open.state, taskId, 'TIMED_OUT')).toEqual({ kind: 'apply' });
  });

  it('the timeout fired first: the completion is refused with TASK_ALREADY_CLOSED, saying the task timed out', async () => {
    const open = await start(def);
    const timedOut = await feed(def, open, { type: 'TimerFired', now: at(500), timerId: 'run-1:ask:0:1:timeout' });
    expect(timedOut.accepted).toBe(true);
    expect(decideTaskCompletion(timedOut.state, taskId, 'TIMED_OUT')).toEqual({
      kind: 'closed',
      reason: 'TIMED_OUT',
      error: { category: 'ValidationError', code: TASK_ALREADY_CLOSED, message: expect.stringContaining('timed out'), details: { taskId, status: 'CANCELED', closeReason: 'TIMED_OUT' } },
    });
    // The interpreter agrees: the completion changes nothing once the task closed.
    const late = await feed(def, timedOut, { type: 'HumanTaskCompleted', now: at(501), taskId, response: { ok: true } });
    expect(late.accepted).toBe(false);
  });

  it('the run was cancelled first: refused with closeReason CANCELED', async () => {
    const open = await start(def);
    const canceled = await feed(def, open, { type: 'Cancel', now: at(10), reason: 'stop' });
    expect(decideTaskCompletion(canceled.state, taskId, 'CANCELED')).toMatchObject({ kind: 'closed', reason: 'CANCELED', error: { details: { closeReason: 'CANCELED' } } });
  });

  it('the completion was taken already: the same success; an unknown task: unknown', async () => {
    const open = await start(def);
    const done = await feed(def, open, { type: 'HumanTaskCompleted', now: at(10), taskId, response: { ok: true } });
    expect(decideTaskCompletion(done.state, taskId, 'RESOLVED')).toEqual({ kind: 'taken' });
    expect(decideTaskCompletion(done.state, 'other', undefined)).toEqual({ kind: 'unknown' });
    expect(decideTaskCompletion(undefined, taskId, undefined)).toEqual({ kind: 'unknown' });
  });
});
