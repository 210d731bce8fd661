import { describe, expect, it } from 'vitest';
import type { EventTrigger, WorkflowDefinition } from '@baton/event-schemas';
import { advance } from './advance.js';
import { at, command, CONTEXT, feed, flow } from './__fixtures__/drive.js';
import { eventInboxRequests, inboxEventMatches, orderInboxEvents } from './event-inbox.js';
import { nextGenerationStart } from './next-generation.js';
import { runVariables } from './queries.js';

// SPEC-dsl "Entity workflows": which waits of an entity run take the entity's events, decided once for every driver.
const trigger: EventTrigger = { type: 'event', eventName: 'ORDER', entityKey: { $expr: 'event.payload.customerId' } };
const entityFlow = (correlationKey: string | { $expr: string }, eventName = 'ORDER', withTrigger = true): WorkflowDefinition =>
  flow(
    [
      { id: 'nap', type: 'time.wait', durationMs: 50 },
      { id: 'next', type: 'event.wait', eventName, correlationKey, saveAs: 'vars.ev' },
    ],
    withTrigger ? { trigger } : {},
  );

async function waitingAt(definition: WorkflowDefinition, entityKey: string | null = 'cust-1') {
  const context = entityKey === null ? CONTEXT : { ...CONTEXT, entityKey };
  const napping = await advance(definition, undefined, { type: 'Start', now: at(0), context, input: null });
  const timer = command(napping, 'StartTimer');
  return feed(definition, napping, { type: 'TimerFired', now: at(50), timerId: timer.timerId });
}

const entityEvent = (eventId: string, sequence: number | undefined, receivedMs = 10) => ({
  eventId,
  eventName: 'ORDER',
  correlationKey: 'cust-1',
  payload: { n: sequence ?? 0 },
  receivedAt: at(receivedMs),
  ...(sequence === undefined ? {} : { sequence }),
});

describe('entity waits', () => {
  it('a wait on the trigger event with correlationKey run.entityKey is an entity wait and asks the entity queue', async () => {
    const result = await waitingAt(entityFlow({ $expr: 'run.entityKey' }));
    expect(command(result, 'AwaitEvent')).toMatchObject({ eventName: 'ORDER', correlationKey: 'cust-1', entity: true });
    expect(eventInboxRequests(result.state)).toEqual([{ waitId: expect.any(String), eventName: 'ORDER', correlationKey: 'cust-1', since: at(0), entity: true }]);
  });

  it('another event name, another key, a run without an entity key or a workflow without an entity trigger: a plain wait', async () => {
    for (const [definition, key] of [
      [entityFlow({ $expr: 'run.entityKey' }, 'OTHER'), 'cust-1'],
      [entityFlow('cust-2'), 'cust-1'],
      [entityFlow('cust-1'), null],
      [entityFlow('cust-1', 'ORDER', false), 'cust-1'],
    ] as const) {
      const result = await waitingAt(definition, key);
      expect(command(result, 'AwaitEvent').entity, JSON.stringify({ key, definition: definition.steps[1] })).toBeUndefined();
    }
  });

  it('takes an entity event whatever its receive time and saves its sequence; refuses one without a sequence', async () => {
    const definition = entityFlow({ $expr: 'run.entityKey' });
    const result = await waitingAt(definition);
    const waitId = command(result, 'AwaitEvent').waitId;
    // A plain routed event (the same name and key, no sequence) is not one of the entity's queue.
    const plain = await feed(definition, result, { type: 'EventReceived', now: at(60), waitId, event: entityEvent('plain', undefined) });
    expect(plain).toMatchObject({ accepted: false, rejection: { code: 'EVENT_NOT_OF_ENTITY', stepId: 'next' } });
    // Received before the run started: an entity wait has no window; its queue decides.
    const taken = await feed(definition, result, { type: 'EventReceived', now: at(60), waitId, event: { ...entityEvent('e7', 7), receivedAt: '2024-12-31T23:59:59.000Z' } });
    expect(taken.accepted).toBe(true);
    expect(runVariables(taken.state)).toEqual({ ev: { eventId: 'e7', eventName: 'ORDER', correlationKey: 'cust-1', payload: { n: 7 }, sequence: 7 } });
  });

  it('run.entityKey is in expressions and stays across continue-as-new', async () => {
    const definition = flow([{ id: 'who', type: 'transform.assign', assign: { 'vars.key': { $expr: 'run.entityKey' } } }], { trigger });
    const result = await advance(definition, undefined, { type: 'Start', now: at(0), context: { ...CONTEXT, entityKey: 'cust-9' }, input: null });
    expect(result.state.context.entityKey).toBe('cust-9');
    expect(runVariables(result.state)).toEqual({ key: 'cust-9' });
    const next = nextGenerationStart(result.state, { type: 'ContinueAsNew', commandId: 'c', input: null, generation: 1 } as never, '1.0.1', at(5));
    expect(next.context.entityKey).toBe('cust-9');
  });

  it('an entity request matches only sequenced events and orders them by sequence, not receive time', () => {
    const request = { waitId: 'w', eventName: 'ORDER', correlationKey: 'cust-1', since: at(100), entity: true as const };
    expect(inboxEventMatches(request, entityEvent('a', 1, 5))).toBe(true);
    expect(inboxEventMatches(request, entityEvent('b', undefined, 200))).toBe(false);
    expect(orderInboxEvents([entityEvent('x', 3, 1), entityEvent('y', 1, 30), entityEvent('z', 2, 20)]).map((e) => e.sequence)).toEqual([1, 2, 3]);
  });
});
