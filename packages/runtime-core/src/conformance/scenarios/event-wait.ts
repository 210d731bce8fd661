import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

/** event.wait: delivery, filters, timeouts, waits in loops. */
export const eventWaitScenarios: ConformanceScenario[] = [
  {
    name: 'event-wait-receives-event',
    description: 'The run waits for an event by name and correlation key (from the input) and saves it.',
    covers: ['event.wait'],
    definition: workflow('event-wait-receives-event', [
      { id: 'paid', type: 'event.wait', eventName: 'INVOICE_PAID', correlationKey: expr('input.invoiceId'), saveAs: 'vars.payment' },
      { id: 'ret', type: 'control.return', output: { amount: expr('vars.payment.payload.amount'), key: expr('vars.payment.correlationKey'), name: expr('vars.payment.eventName') } },
    ]),
    input: { invoiceId: 'inv-1' },
    script: [{ kind: 'deliverEvent', whenWaitingOn: 'paid', eventId: 'e1', eventName: 'INVOICE_PAID', payload: { amount: 120 } }],
    expected: { status: 'SUCCEEDED', output: { amount: 120, key: 'inv-1', name: 'INVOICE_PAID' }, stepTrace: ['paid:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'event-wait-filter',
    description: 'An event whose filter is false is ignored (the wait stays open); the next matching one resumes the run.',
    covers: ['event.wait', 'filter'],
    definition: workflow('event-wait-filter', [
      { id: 'big', type: 'event.wait', eventName: 'PAYMENT', correlationKey: 'acct-1', filter: expr('event.payload.amount >= 100'), saveAs: 'vars.big' },
    ]),
    input: null,
    script: [
      { kind: 'deliverEvent', whenWaitingOn: 'big', eventId: 'small', eventName: 'PAYMENT', payload: { amount: 5 }, expectIgnored: true },
      { kind: 'deliverEvent', whenWaitingOn: 'big', eventId: 'large', eventName: 'PAYMENT', payload: { amount: 500 } },
    ],
    expected: { status: 'SUCCEEDED', stepTrace: ['big:SUCCEEDED'] },
  },
  {
    name: 'event-wait-filter-sees-run-context',
    description: 'A filter can compare the event with the input and vars.',
    covers: ['event.wait', 'filter'],
    definition: workflow('event-wait-filter-sees-run-context', [
      { id: 'set', type: 'transform.assign', assign: { 'vars.min': 10 } },
      {
        id: 'match',
        type: 'event.wait',
        eventName: 'READING',
        correlationKey: expr('input.sensor'),
        filter: expr('event.payload.value > vars.min and event.payload.unit = input.unit'),
        saveAs: 'vars.reading',
      },
      { id: 'ret', type: 'control.return', output: expr('vars.reading.payload') },
    ]),
    input: { sensor: 's-1', unit: 'C' },
    script: [
      { kind: 'deliverEvent', whenWaitingOn: 'match', eventId: 'r1', eventName: 'READING', payload: { value: 50, unit: 'F' }, expectIgnored: true },
      { kind: 'deliverEvent', whenWaitingOn: 'match', eventId: 'r2', eventName: 'READING', payload: { value: 5, unit: 'C' }, expectIgnored: true },
      { kind: 'deliverEvent', whenWaitingOn: 'match', eventId: 'r3', eventName: 'READING', payload: { value: 20, unit: 'C' } },
    ],
    expected: { status: 'SUCCEEDED', output: { value: 20, unit: 'C' } },
  },
  {
    name: 'event-wait-timeout',
    description: 'Without a matching event within timeoutMs the step fails with TimeoutError.',
    covers: ['event.wait', 'timeout'],
    definition: workflow('event-wait-timeout', [{ id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k', timeoutMs: 300 }]),
    input: null,
    expected: {
      status: 'FAILED',
      error: { category: 'TimeoutError', code: 'WAIT_TIMEOUT', stepId: 'wait' },
      stepTrace: ['wait:FAILED'],
      timings: [{ path: 'wait', minMs: 300, logicalMs: 300 }],
    },
  },
  {
    name: 'event-wait-timeout-after-filtered-event',
    description: 'Filtered-out events do not stop the timeout; the timeout is catchable.',
    covers: ['event.wait', 'filter', 'timeout', 'control.tryCatch'],
    definition: workflow('event-wait-timeout-after-filtered-event', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'wait', type: 'event.wait', eventName: 'APPROVED', correlationKey: 'req-1', filter: expr('event.payload.ok = true'), timeoutMs: 400 }],
        catch: [{ id: 'late', type: 'transform.assign', assign: { 'vars.outcome': expr('error.category') } }],
      },
    ]),
    input: null,
    script: [{ kind: 'deliverEvent', whenWaitingOn: 'wait', eventId: 'no', eventName: 'APPROVED', payload: { ok: false }, expectIgnored: true }],
    expected: { status: 'SUCCEEDED', output: { outcome: 'TimeoutError' }, stepTrace: ['guard:SUCCEEDED', 'guard/wait:FAILED', 'guard/late:SUCCEEDED'] },
  },
  {
    name: 'event-wait-before-timeout',
    description: 'An event arriving before the timeout resumes the run; the timeout no longer fires.',
    covers: ['event.wait', 'timeout', 'time.wait'],
    definition: workflow('event-wait-before-timeout', [
      { id: 'wait', type: 'event.wait', eventName: 'PING', correlationKey: 'k', timeoutMs: 500, saveAs: 'vars.ping' },
      { id: 'nap', type: 'time.wait', durationMs: 600 },
      { id: 'ret', type: 'control.return', output: expr('vars.ping.payload') },
    ]),
    input: null,
    script: [{ kind: 'deliverEvent', whenWaitingOn: 'wait', eventId: 'p', eventName: 'PING', payload: 'pong' }],
    expected: { status: 'SUCCEEDED', output: 'pong', stepTrace: ['wait:SUCCEEDED', 'nap:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'event-wait-in-loop',
    description: 'One wait per item, each with its own correlation key.',
    covers: ['event.wait', 'control.forEach'],
    definition: workflow('event-wait-in-loop', [
      {
        id: 'orders',
        type: 'control.forEach',
        items: expr('input.orders'),
        body: [
          { id: 'shipped', type: 'event.wait', eventName: 'SHIPPED', correlationKey: expr('item'), saveAs: 'vars.last' },
          { id: 'track', type: 'transform.assign', assign: { 'vars.tracking': expr('append(vars.tracking, vars.last.payload.tracking)') } },
        ],
      },
    ]),
    input: { orders: ['o-1', 'o-2'] },
    script: [
      { kind: 'deliverEvent', whenWaitingOn: 'shipped', eventId: 's1', eventName: 'SHIPPED', payload: { tracking: 'T1' } },
      { kind: 'deliverEvent', whenWaitingOn: 'shipped', eventId: 's2', eventName: 'SHIPPED', payload: { tracking: 'T2' } },
    ],
    expected: {
      status: 'SUCCEEDED',
      stepTrace: ['orders:SUCCEEDED', 'orders[0]/shipped:SUCCEEDED', 'orders[0]/track:SUCCEEDED', 'orders[1]/shipped:SUCCEEDED', 'orders[1]/track:SUCCEEDED'],
    },
  },
];
