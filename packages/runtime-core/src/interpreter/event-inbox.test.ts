import { describe, expect, it } from 'vitest';
import { at, command, feed, flow, start } from './__fixtures__/drive.js';
import { eventInboxRequests, inboxEventMatches, orderInboxEvents } from './event-inbox.js';

// SPEC-dsl "Event inbox": which events an opening event.wait may take, decided once for every driver.
describe('event inbox window', () => {
  const napThenWait = (since?: 'runStart' | 'waitStart') =>
    flow([
      { id: 'nap', type: 'time.wait', durationMs: 50 },
      { id: 'pay', type: 'event.wait', eventName: 'PAID', correlationKey: 'k', saveAs: 'vars.paid', ...(since ? { since } : {}) },
    ]);
  const received = (receivedAt: string, eventId = 'e1') => ({
    type: 'EventReceived' as const,
    now: at(70),
    waitId: 'run-1:pay:0:1:event',
    event: { eventId, eventName: 'PAID', correlationKey: 'k', payload: null, receivedAt },
  });

  async function waiting(since?: 'runStart' | 'waitStart') {
    const def = napThenWait(since);
    const napping = await start(def);
    const timer = command(napping, 'StartTimer');
    return { def, result: await feed(def, napping, { type: 'TimerFired', now: at(50), timerId: timer.timerId }) };
  }

  it('a wait takes events received since the run started by default', async () => {
    const { def, result } = await waiting();
    expect(command(result, 'AwaitEvent').since).toBe(at(0));
    expect(eventInboxRequests(result.state)).toEqual([{ waitId: 'run-1:pay:0:1:event', eventName: 'PAID', correlationKey: 'k', since: at(0) }]);
    // received before the wait opened, after the run started: taken
    expect((await feed(def, result, received(at(10)))).accepted).toBe(true);
  });

  it('since: "waitStart" refuses an event received before the wait opened and takes a later one', async () => {
    const { def, result } = await waiting('waitStart');
    expect(command(result, 'AwaitEvent').since).toBe(at(50));
    const early = await feed(def, result, received(at(40)));
    expect(early).toMatchObject({ accepted: false, rejection: { code: 'EVENT_BEFORE_SINCE', stepId: 'pay' } });
    expect(early.state).toEqual(result.state);
    expect((await feed(def, result, received(at(60), 'e2'))).accepted).toBe(true);
  });

  it('an event without a receive time (an operator or a direct delivery) is not held to the window', async () => {
    const { def, result } = await waiting('waitStart');
    const { receivedAt: _, ...bare } = received(at(0)).event;
    expect((await feed(def, result, { ...received(at(0)), event: bare })).accepted).toBe(true);
  });

  it('a state written before the inbox (no since on its wait) opens its window at the run start', async () => {
    const { result } = await waiting('waitStart');
    const legacy = structuredClone(result.state);
    for (const c of legacy.outstanding) if (c.type === 'AwaitEvent') delete (c as { since?: string }).since;
    expect(eventInboxRequests(legacy)[0]?.since).toBe(at(0));
  });

  it('matches by name, key and window, and orders candidates earliest first, then by event id', () => {
    const request = { waitId: 'w', eventName: 'PAID', correlationKey: 'k', since: at(10) };
    const e = (eventId: string, ms: number, key = 'k') => ({ eventId, eventName: 'PAID', correlationKey: key, payload: null, receivedAt: at(ms) });
    expect(inboxEventMatches(request, e('a', 10))).toBe(true);
    expect(inboxEventMatches(request, e('a', 9))).toBe(false);
    expect(inboxEventMatches(request, e('a', 20, 'other'))).toBe(false);
    expect(orderInboxEvents([e('c', 30), e('b', 20), e('a', 20)]).map((x) => x.eventId)).toEqual(['a', 'b', 'c']);
  });
});
