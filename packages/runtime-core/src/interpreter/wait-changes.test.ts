import { describe, expect, it } from 'vitest';
import { at, feed, flow, start } from './__fixtures__/drive.js';
import { memoizedWaitQueries, waitChanges } from './wait-changes.js';

describe('waitChanges (one diff of waits and tasks for every driver)', () => {
  const def = flow([
    { id: 'ask', type: 'human.task', taskType: 'approval', title: 'ok?', timeoutMs: 500, saveAs: 'vars.answer' },
    { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: 'k', timeoutMs: 500 },
  ]);
  const taskId = 'run-1:ask:0:1:task';

  it('opens the task wait and the task on start', async () => {
    const started = await start(def);
    const changes = waitChanges(undefined, started.state, started.commands);
    expect(changes.opened.map((w) => [w.waitId, w.type])).toEqual([[taskId, 'HUMAN_TASK']]);
    expect(changes.openedTasks).toEqual([expect.objectContaining({ type: 'AwaitHumanTask', taskId, title: 'ok?' })]);
    expect(changes.closed).toEqual([]);
  });

  it('a completion resolves the task and opens the next wait', async () => {
    const started = await start(def);
    const done = await feed(def, started, { type: 'HumanTaskCompleted', now: at(10), taskId, response: { ok: true } });
    const changes = waitChanges(started.state, done.state, done.commands);
    expect(changes.closed.map((c) => [c.wait.waitId, c.closure])).toEqual([[taskId, 'RESOLVED']]);
    expect(changes.opened.map((w) => w.type)).toEqual(['EVENT']);
    expect(changes.openedTasks).toEqual([]);
  });

  it('the timeout closes it TIMED_OUT; a cancel closes every open wait CANCELED', async () => {
    const started = await start(def);
    const timedOut = await feed(def, started, { type: 'TimerFired', now: at(500), timerId: 'run-1:ask:0:1:timeout' });
    expect(waitChanges(started.state, timedOut.state, timedOut.commands).closed.map((c) => c.closure)).toEqual(['TIMED_OUT']);
    const canceled = await feed(def, started, { type: 'Cancel', now: at(5), reason: 'stop' });
    expect(waitChanges(started.state, canceled.state, canceled.commands).closed.map((c) => [c.wait.waitId, c.closure])).toEqual([[taskId, 'CANCELED']]);
  });

  it('a sleep closes RESOLVED when it fires or an operator resumes it, CANCELED when the run is cancelled', async () => {
    const nap = flow([{ id: 'nap', type: 'time.wait', durationMs: 1000 }]);
    const timerId = 'run-1:nap:0:1:sleep';
    const started = await start(nap);
    expect(waitChanges(undefined, started.state, started.commands).opened.map((w) => [w.waitId, w.type])).toEqual([[timerId, 'TIMER']]);
    const closures = async (input: Parameters<typeof feed>[2]) => {
      const next = await feed(nap, started, input);
      return waitChanges(started.state, next.state, next.commands).closed.map((c) => [c.wait.waitId, c.closure]);
    };
    expect(await closures({ type: 'TimerFired', now: at(1000), timerId })).toEqual([[timerId, 'RESOLVED']]);
    // the resume cancels the timer effect, but the wait was taken, not cancelled
    expect(await closures({ type: 'Resume', now: at(10), reason: 'skip' })).toEqual([[timerId, 'RESOLVED']]);
    expect(await closures({ type: 'Cancel', now: at(10), reason: 'stop' })).toEqual([[timerId, 'CANCELED']]);
  });

  it('nothing changes between a state and itself', async () => {
    const started = await start(def);
    expect(waitChanges(started.state, started.state, [])).toEqual({ opened: [], closed: [], openedTasks: [] });
  });

  it('memoized queries answer once per state and give the same diff', async () => {
    const started = await start(def);
    const done = await feed(def, started, { type: 'HumanTaskCompleted', now: at(10), taskId, response: { ok: true } });
    const queries = memoizedWaitQueries();
    expect(queries.openWaits(done.state)).toBe(queries.openWaits(done.state));
    expect(queries.pendingCommands(started.state)).toBe(queries.pendingCommands(started.state));
    expect(queries.openWaits(started.state)).not.toBe(queries.openWaits(done.state));
    expect(waitChanges(started.state, done.state, done.commands, queries)).toEqual(waitChanges(started.state, done.state, done.commands));
  });
});
