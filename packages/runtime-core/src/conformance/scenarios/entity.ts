import type { JsonObject, Step } from '@baton/event-schemas';
import type { ConformanceScenario, ScriptAction, ScriptTiming } from '../scenario.js';
import { expr, workflow } from './define.js';

/**
 * An entity trigger on `eventName`: one live run per entity key (the event's correlation key, which
 * the runner scopes per scenario execution); the run's input carries the start event's `n` and its
 * per-entity sequence number. With `close: true` in its payload the start event ends the run at once.
 */
const entityTrigger = (eventName: string) => ({
  type: 'event' as const,
  eventName,
  entityKey: expr('event.correlationKey'),
  input: { n: expr('event.payload.n'), seq: expr('event.sequence'), close: expr('event.payload.close = true') },
});

/** Takes the entity's next event into `vars.ev` and appends its `n` and sequence number. */
const takeNext = (eventName: string): Step[] => [
  { id: 'next', type: 'event.wait', eventName, correlationKey: expr('run.entityKey'), saveAs: 'vars.ev' },
  { id: 'take', type: 'transform.assign', assign: { 'vars.ns': expr('$append(vars.ns, vars.ev.payload.n)'), 'vars.seqs': expr('$append(vars.seqs, vars.ev.sequence)') } },
];

/** What the entity's run took: the `n` of each event and its sequence number. */
const taken = { ns: expr('vars.ns'), seqs: expr('vars.seqs') };

/** An event of the scenario's entity (`acct`), sent when `when` says (by default once the run waits at `next`). */
const entityEvent = (
  eventName: string,
  eventId: string,
  payload: JsonObject,
  when: ScriptTiming & { readonly expectDuplicate?: boolean; readonly expectStarted?: boolean } = { whenWaitingOn: 'next' },
): ScriptAction => ({ kind: 'sendEvent', eventId, eventName, correlationKey: 'acct', payload, ...when });

const init: Step = { id: 'init', type: 'transform.assign', assign: { 'vars.ns': expr('[input.n]'), 'vars.seqs': expr('[input.seq]') } };
const closeAtOnce: Step = { id: 'closed', type: 'control.if', condition: expr('input.close'), then: [{ id: 'close', type: 'control.return', output: 'closed' }] };

/**
 * SPEC-dsl "Entity workflows": the scenario's run is started by an event sent through the event
 * ingress (`startEvent`); later events of the same entity reach that run, in arrival order, each with
 * the next per-entity sequence number. They need a harness whose `sendEvent` admits entity events
 * (the run service with an entity store) and answers the runs it started: the Postgres and Temporal
 * drivers. The in-memory reference driver has no entity store (see the runtime-core README).
 */
export const entityScenarios: ConformanceScenario[] = [
  {
    name: 'entity-events-in-arrival-order',
    description: 'Three events sent to the entity while its run waits are taken in arrival order (not event id order), with sequence numbers 2, 3, 4 after the start event\'s 1.',
    covers: ['event.wait', 'control.forEach', 'transform.assign', 'inbox', 'entity'],
    definition: workflow(
      'entity-events-in-arrival-order',
      [init, { id: 'loop', type: 'control.forEach', items: expr('[1..3]'), body: takeNext('ACCT_IN_ORDER') }, { id: 'done', type: 'control.return', output: taken }],
      { trigger: entityTrigger('ACCT_IN_ORDER') },
    ),
    input: null,
    startEvent: { eventId: 'e9', eventName: 'ACCT_IN_ORDER', correlationKey: 'acct', payload: { n: 1 } },
    script: [
      entityEvent('ACCT_IN_ORDER', 'e8', { n: 2 }),
      entityEvent('ACCT_IN_ORDER', 'e7', { n: 3 }),
      entityEvent('ACCT_IN_ORDER', 'e6', { n: 4 }),
    ],
    expected: { status: 'SUCCEEDED', output: { ns: [1, 2, 3, 4], seqs: [1, 2, 3, 4] } },
  },
  {
    name: 'entity-duplicate-event-taken-once',
    description: 'An event id sent twice to the entity is a duplicate: taken once, no sequence number of its own.',
    covers: ['event.wait', 'control.forEach', 'control.if', 'inbox', 'entity'],
    definition: workflow(
      'entity-duplicate-event-taken-once',
      [
        init,
        { id: 'loop', type: 'control.forEach', items: expr('[1..3]'), body: [...takeNext('ACCT_DUP'), { id: 'last', type: 'control.if', condition: expr('vars.ev.payload.close = true'), then: [{ id: 'stop', type: 'control.return', output: taken }] }] },
        { id: 'done', type: 'control.return', output: 'too many events' },
      ],
      { trigger: entityTrigger('ACCT_DUP') },
    ),
    input: null,
    startEvent: { eventId: 'start', eventName: 'ACCT_DUP', correlationKey: 'acct', payload: { n: 1 } },
    script: [
      entityEvent('ACCT_DUP', 'a', { n: 2 }),
      entityEvent('ACCT_DUP', 'a', { n: 99 }, { whenWaitingOn: 'next', expectDuplicate: true }),
      entityEvent('ACCT_DUP', 'b', { n: 3, close: true }),
    ],
    expected: { status: 'SUCCEEDED', output: { ns: [1, 2, 3], seqs: [1, 2, 3] } },
  },
  {
    name: 'entity-next-event-starts-new-run',
    description: 'Once the entity\'s run finished, the next event of the entity starts a new run (with the next sequence number) instead of being lost.',
    covers: ['event.wait', 'control.if', 'entity'],
    definition: workflow(
      'entity-next-event-starts-new-run',
      [closeAtOnce, init, ...takeNext('ACCT_NEXT_RUN'), { id: 'done', type: 'control.return', output: taken }],
      { trigger: entityTrigger('ACCT_NEXT_RUN') },
    ),
    input: null,
    startEvent: { eventId: 'e1', eventName: 'ACCT_NEXT_RUN', correlationKey: 'acct', payload: { n: 1 } },
    script: [
      entityEvent('ACCT_NEXT_RUN', 'e2', { n: 2 }),
      // the new run takes `close` and ends at once
      entityEvent('ACCT_NEXT_RUN', 'e3', { n: 3, close: true }, { whenFinished: 'done', expectStarted: true }),
    ],
    expected: { status: 'SUCCEEDED', output: { ns: [1, 2], seqs: [1, 2] } },
  },
  {
    name: 'entity-continue-as-new-carries-untaken-events',
    description: 'Events queued for the entity while a generation takes one are taken by the next generations after control.continueAsNew, in order.',
    covers: ['event.wait', 'control.continueAsNew', 'control.if', 'entity'],
    definition: workflow(
      'entity-continue-as-new-carries-untaken-events',
      [
        { id: 'init', type: 'transform.assign', assign: { 'vars.ns': expr('$exists(input.ns) ? input.ns : [input.n]'), 'vars.seqs': expr('$exists(input.seqs) ? input.seqs : [input.seq]') } },
        ...takeNext('ACCT_CAN'),
        { id: 'enough', type: 'control.if', condition: expr('$count(vars.seqs) >= 4'), then: [{ id: 'done', type: 'control.return', output: taken }] },
        { id: 'again', type: 'control.continueAsNew', input: { ns: expr('vars.ns'), seqs: expr('vars.seqs') } },
      ],
      { trigger: entityTrigger('ACCT_CAN') },
    ),
    input: null,
    startEvent: { eventId: 'e1', eventName: 'ACCT_CAN', correlationKey: 'acct', payload: { n: 1 } },
    script: [
      entityEvent('ACCT_CAN', 'e2', { n: 2 }),
      entityEvent('ACCT_CAN', 'e3', { n: 3 }),
      entityEvent('ACCT_CAN', 'e4', { n: 4 }),
    ],
    expected: { status: 'SUCCEEDED', output: { ns: [1, 2, 3, 4], seqs: [1, 2, 3, 4] } },
  },
];
