import type { Step } from '@baton/event-schemas';
import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

/** How long the action before a wait runs: the window in which the script sends an early event. */
const PREP_MS = 600;
/**
 * A short action, then `prep`, which runs PREP_MS: the script acts while `prep` is RUNNING. (The
 * Postgres engine makes an action's RUNNING record visible before it runs only once an earlier
 * action's result is committed with it, hence `warm`.)
 */
const prep = (): Step[] => [call('warm', 'kit.echo', 'warm'), call('prep', 'kit.sleep', { ms: PREP_MS })];

/**
 * SPEC-dsl "Event inbox": events sent through the ingress before their wait opens (during an earlier
 * action, or at a continue-as-new) are kept and taken when the wait opens, within its `since` window,
 * at most once per run.
 */
export const eventInboxScenarios: ConformanceScenario[] = [
  {
    name: 'inbox-early-event-since-run-start',
    description: 'An event sent before its wait opened (routed nowhere) is taken from the inbox when the wait opens (default since: "runStart").',
    covers: ['event.wait', 'inbox', 'timing'],
    definition: workflow('inbox-early-event-since-run-start', [
      ...prep(),
      { id: 'paid', type: 'event.wait', eventName: 'INVOICE_PAID', correlationKey: expr('input.invoiceId'), saveAs: 'vars.payment' },
      { id: 'ret', type: 'control.return', output: expr('vars.payment.payload') },
    ]),
    input: { invoiceId: 'inv-early' },
    script: [{ kind: 'sendEvent', whenRunning: 'prep', eventId: 'e1', eventName: 'INVOICE_PAID', correlationKey: 'inv-early', payload: { amount: 70 }, expectRouted: 0 }],
    expected: { status: 'SUCCEEDED', output: { amount: 70 }, stepTrace: ['warm:SUCCEEDED', 'prep:SUCCEEDED', 'paid:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'inbox-early-event-since-wait-start',
    description:
      'since: "waitStart" leaves an event received before the wait opened (it times out); a later wait with the default since takes that same event.',
    covers: ['event.wait', 'inbox', 'timing', 'timeout', 'control.tryCatch'],
    definition: workflow('inbox-early-event-since-wait-start', [
      ...prep(),
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'fresh', type: 'event.wait', eventName: 'PING', correlationKey: 'k-since', since: 'waitStart', timeoutMs: 300, saveAs: 'vars.fresh' }],
        catch: [{ id: 'missed', type: 'transform.assign', assign: { 'vars.freshError': expr('error.code') } }],
      },
      { id: 'any', type: 'event.wait', eventName: 'PING', correlationKey: 'k-since', saveAs: 'vars.any' },
      { id: 'ret', type: 'control.return', output: { freshError: expr('vars.freshError'), any: expr('vars.any.payload') } },
    ]),
    input: null,
    script: [{ kind: 'sendEvent', whenRunning: 'prep', eventId: 'early', eventName: 'PING', correlationKey: 'k-since', payload: 'early', expectRouted: 0 }],
    expected: {
      status: 'SUCCEEDED',
      output: { freshError: 'WAIT_TIMEOUT', any: 'early' },
      stepTrace: ['warm:SUCCEEDED', 'prep:SUCCEEDED', 'guard:SUCCEEDED', 'guard/fresh:FAILED', 'guard/missed:SUCCEEDED', 'any:SUCCEEDED', 'ret:SUCCEEDED'],
    },
  },
  {
    name: 'inbox-wait-start-takes-later-event',
    description: 'since: "waitStart" takes an event sent while the wait is open, and not the one sent before it opened.',
    covers: ['event.wait', 'inbox', 'timing'],
    definition: workflow('inbox-wait-start-takes-later-event', [
      ...prep(),
      { id: 'fresh', type: 'event.wait', eventName: 'PING', correlationKey: 'k-fresh', since: 'waitStart', saveAs: 'vars.fresh' },
      { id: 'ret', type: 'control.return', output: expr('vars.fresh.payload') },
    ]),
    input: null,
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'old', eventName: 'PING', correlationKey: 'k-fresh', payload: 'old', expectRouted: 0 },
      { kind: 'sendEvent', whenWaitingOn: 'fresh', eventId: 'new', eventName: 'PING', correlationKey: 'k-fresh', payload: 'new', expectRouted: 1 },
    ],
    expected: { status: 'SUCCEEDED', output: 'new', stepTrace: ['warm:SUCCEEDED', 'prep:SUCCEEDED', 'fresh:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'inbox-duplicate-event-id',
    description:
      'An event id sent again before its wait opened and again while the next wait is open is a duplicate: the run takes the event once; the next wait takes the next event.',
    covers: ['event.wait', 'inbox', 'timing', 'idempotency'],
    definition: workflow('inbox-duplicate-event-id', [
      ...prep(),
      { id: 'first', type: 'event.wait', eventName: 'TICK', correlationKey: 'k-dup', saveAs: 'vars.first' },
      { id: 'second', type: 'event.wait', eventName: 'TICK', correlationKey: 'k-dup', saveAs: 'vars.second' },
      { id: 'ret', type: 'control.return', output: [expr('vars.first.payload'), expr('vars.second.payload')] },
    ]),
    input: null,
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'e1', eventName: 'TICK', correlationKey: 'k-dup', payload: { n: 1 }, expectRouted: 0 },
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'e1', eventName: 'TICK', correlationKey: 'k-dup', payload: { n: 91 }, expectDuplicate: true },
      { kind: 'sendEvent', whenWaitingOn: 'second', eventId: 'e1', eventName: 'TICK', correlationKey: 'k-dup', payload: { n: 92 }, expectDuplicate: true },
      { kind: 'deliverEvent', whenWaitingOn: 'second', eventId: 'e1', eventName: 'TICK', payload: { n: 93 }, expectIgnored: true },
      { kind: 'sendEvent', whenWaitingOn: 'second', eventId: 'e2', eventName: 'TICK', correlationKey: 'k-dup', payload: { n: 2 }, expectRouted: 1 },
    ],
    expected: { status: 'SUCCEEDED', output: [{ n: 1 }, { n: 2 }], stepTrace: ['warm:SUCCEEDED', 'prep:SUCCEEDED', 'first:SUCCEEDED', 'second:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'inbox-earliest-first',
    description: 'Two early events: each wait takes the earliest one the run has not taken.',
    covers: ['event.wait', 'inbox', 'timing'],
    definition: workflow('inbox-earliest-first', [
      ...prep(),
      { id: 'a', type: 'event.wait', eventName: 'STEP', correlationKey: 'k-order', saveAs: 'vars.a' },
      { id: 'b', type: 'event.wait', eventName: 'STEP', correlationKey: 'k-order', saveAs: 'vars.b' },
      { id: 'ret', type: 'control.return', output: [expr('vars.a.payload'), expr('vars.b.payload')] },
    ]),
    input: null,
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'one', eventName: 'STEP', correlationKey: 'k-order', payload: 'one', expectRouted: 0 },
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'two', eventName: 'STEP', correlationKey: 'k-order', payload: 'two', expectRouted: 0 },
    ],
    expected: { status: 'SUCCEEDED', output: ['one', 'two'] },
  },
  {
    name: 'inbox-filter-skips-early-event',
    description: 'The wait takes the earliest inbox event its filter accepts; the refused earlier one stays for a later wait without a filter.',
    covers: ['event.wait', 'inbox', 'timing', 'filter'],
    definition: workflow('inbox-filter-skips-early-event', [
      ...prep(),
      { id: 'big', type: 'event.wait', eventName: 'PAYMENT', correlationKey: 'acct-f', filter: expr('event.payload.amount >= 100'), saveAs: 'vars.big' },
      { id: 'any', type: 'event.wait', eventName: 'PAYMENT', correlationKey: 'acct-f', saveAs: 'vars.any' },
      { id: 'ret', type: 'control.return', output: { big: expr('vars.big.payload.amount'), any: expr('vars.any.payload.amount') } },
    ]),
    input: null,
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'small', eventName: 'PAYMENT', correlationKey: 'acct-f', payload: { amount: 5 }, expectRouted: 0 },
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'large', eventName: 'PAYMENT', correlationKey: 'acct-f', payload: { amount: 500 }, expectRouted: 0 },
    ],
    expected: { status: 'SUCCEEDED', output: { big: 500, any: 5 } },
  },
  {
    name: 'inbox-other-key-or-name-not-taken',
    description: 'Early events of another correlation key or another event name are not taken: the wait times out.',
    covers: ['event.wait', 'inbox', 'timing', 'timeout'],
    definition: workflow('inbox-other-key-or-name-not-taken', [
      ...prep(),
      { id: 'wait', type: 'event.wait', eventName: 'PAID', correlationKey: 'k-mine', timeoutMs: 300 },
    ]),
    input: null,
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'other-key', eventName: 'PAID', correlationKey: 'k-other', payload: 1, expectRouted: 0 },
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 'other-name', eventName: 'REFUNDED', correlationKey: 'k-mine', payload: 2, expectRouted: 0 },
    ],
    expected: { status: 'FAILED', error: { category: 'TimeoutError', code: 'WAIT_TIMEOUT', stepId: 'wait' }, stepTrace: ['warm:SUCCEEDED', 'prep:SUCCEEDED', 'wait:FAILED'] },
  },
  {
    name: 'inbox-one-event-resumes-parent-and-child',
    description: 'One event resumes two runs: the waiting child takes it when routed, and its parent, whose wait opens later, takes it from the inbox.',
    covers: ['event.wait', 'inbox', 'control.callWorkflow'],
    definition: workflow('inbox-one-event-resumes-parent-and-child', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-awaits-signal', input: { key: 'k-shared' }, saveAs: 'vars.child' },
      { id: 'own', type: 'event.wait', eventName: 'SIGNAL', correlationKey: 'k-shared', saveAs: 'vars.own' },
      { id: 'ret', type: 'control.return', output: { child: expr('vars.child'), own: expr('vars.own.payload') } },
    ]),
    children: [
      workflow('child-awaits-signal', [
        { id: 'signal', type: 'event.wait', eventName: 'SIGNAL', correlationKey: expr('input.key'), saveAs: 'vars.signal' },
        { id: 'done', type: 'control.return', output: expr('vars.signal.payload') },
      ]),
    ],
    input: null,
    script: [{ kind: 'sendEvent', child: 'child', whenWaitingOn: 'signal', eventId: 's1', eventName: 'SIGNAL', correlationKey: 'k-shared', payload: 'go', expectRouted: 1 }],
    expected: { status: 'SUCCEEDED', output: { child: 'go', own: 'go' }, stepTrace: ['child:SUCCEEDED', 'own:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'inbox-early-events-in-loop',
    description: 'Events sent before a loop starts are taken by the waits of its items, each by its own correlation key.',
    covers: ['event.wait', 'inbox', 'timing', 'control.forEach'],
    definition: workflow('inbox-early-events-in-loop', [
      ...prep(),
      {
        id: 'orders',
        type: 'control.forEach',
        items: expr('input.orders'),
        itemVar: 'order',
        body: [
          { id: 'shipped', type: 'event.wait', eventName: 'SHIPPED', correlationKey: expr('order'), saveAs: 'vars.last' },
          { id: 'track', type: 'transform.assign', assign: { 'vars.tracking': expr('$append(vars.tracking, [vars.last.payload])') } },
        ],
      },
      { id: 'ret', type: 'control.return', output: expr('vars.tracking') },
    ]),
    input: { orders: ['loop-o1', 'loop-o2'] },
    script: [
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 's2', eventName: 'SHIPPED', correlationKey: 'loop-o2', payload: 'T2', expectRouted: 0 },
      { kind: 'sendEvent', whenRunning: 'prep', eventId: 's1', eventName: 'SHIPPED', correlationKey: 'loop-o1', payload: 'T1', expectRouted: 0 },
    ],
    expected: { status: 'SUCCEEDED', output: ['T1', 'T2'] },
  },
  {
    name: 'inbox-event-before-continue-as-new',
    description:
      'An event sent during the last action of a generation is taken by the next generation\'s wait (since: "runStart" is the first generation\'s start), and not by a wait with since: "waitStart".',
    covers: ['event.wait', 'inbox', 'timing', 'control.continueAsNew', 'timeout'],
    definition: workflow('inbox-event-before-continue-as-new', [
      {
        id: 'first',
        type: 'control.if',
        condition: expr('$exists(input.round) = false'),
        then: [...prep(), { id: 'again', type: 'control.continueAsNew', input: { round: 1 } }],
      },
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'fresh', type: 'event.wait', eventName: 'RENEWED', correlationKey: 'k-can', since: 'waitStart', timeoutMs: 300 }],
        catch: [],
      },
      { id: 'any', type: 'event.wait', eventName: 'RENEWED', correlationKey: 'k-can', saveAs: 'vars.any' },
      { id: 'ret', type: 'control.return', output: { round: expr('input.round'), any: expr('vars.any.payload') } },
    ]),
    input: {},
    script: [{ kind: 'sendEvent', whenRunning: 'first/prep', eventId: 'r1', eventName: 'RENEWED', correlationKey: 'k-can', payload: 'renewed', expectRouted: 0 }],
    expected: {
      status: 'SUCCEEDED',
      output: { round: 1, any: 'renewed' },
      stepTrace: [
        'first:SUCCEEDED',
        'first/warm:SUCCEEDED', 'first/prep:SUCCEEDED',
        'first/again:SUCCEEDED',
        'g1:first:SUCCEEDED',
        'g1:guard:SUCCEEDED',
        'g1:guard/fresh:FAILED',
        'g1:any:SUCCEEDED',
        'g1:ret:SUCCEEDED',
      ],
    },
  },
  {
    name: 'inbox-event-at-continue-as-new',
    description:
      'An event sent as the run continues as new is taken by the new generation\'s wait whether it arrives before or after that wait opened (no event falls between generations).',
    covers: ['event.wait', 'inbox', 'timing', 'control.continueAsNew'],
    definition: workflow('inbox-event-at-continue-as-new', [
      {
        id: 'first',
        type: 'control.if',
        condition: expr('$exists(input.round) = false'),
        then: [{ id: 'again', type: 'control.continueAsNew', input: { round: 1 } }],
      },
      { id: 'renewed', type: 'event.wait', eventName: 'RENEWED', correlationKey: 'k-at-can', saveAs: 'vars.renewed' },
      { id: 'ret', type: 'control.return', output: { round: expr('input.round'), renewed: expr('vars.renewed.payload') } },
    ]),
    input: {},
    script: [{ kind: 'sendEvent', whenFinished: 'first/again', eventId: 'r1', eventName: 'RENEWED', correlationKey: 'k-at-can', payload: 'at-can' }],
    expected: {
      status: 'SUCCEEDED',
      output: { round: 1, renewed: 'at-can' },
      stepTrace: ['first:SUCCEEDED', 'first/again:SUCCEEDED', 'g1:first:SUCCEEDED', 'g1:renewed:SUCCEEDED', 'g1:ret:SUCCEEDED'],
    },
  },
];
