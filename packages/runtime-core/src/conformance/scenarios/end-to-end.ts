import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

const sleeper = workflow('child-sleeper', [
  { id: 'nap', type: 'time.wait', durationMs: 200 },
  { id: 'ret', type: 'control.return', output: { slept: true, for: expr('input.who') } },
]);

/** Realistic combinations: long-lived loops, approvals, children that wait. */
export const endToEndScenarios: ConformanceScenario[] = [
  {
    name: 'continue-as-new-event-loop',
    description: 'A reminder loop: each generation waits for one event and carries the running total to the next in its input.',
    covers: ['control.continueAsNew', 'event.wait', 'control.if'],
    definition: workflow('continue-as-new-event-loop', [
      { id: 'payment', type: 'event.wait', eventName: 'PARTIAL_PAYMENT', correlationKey: expr('input.invoiceId'), saveAs: 'vars.payment' },
      { id: 'sum', type: 'transform.assign', assign: { 'vars.paid': expr('input.paid + vars.payment.payload.amount') } },
      {
        id: 'open',
        type: 'control.if',
        condition: expr('vars.paid < input.due'),
        then: [{ id: 'next', type: 'control.continueAsNew', input: { invoiceId: expr('input.invoiceId'), due: expr('input.due'), paid: expr('vars.paid') } }],
      },
      { id: 'done', type: 'control.return', output: { paid: expr('vars.paid') } },
    ]),
    input: { invoiceId: 'inv-42', due: 100, paid: 0 },
    script: [
      { kind: 'deliverEvent', whenWaitingOn: 'payment', eventId: 'p1', eventName: 'PARTIAL_PAYMENT', payload: { amount: 30 } },
      { kind: 'deliverEvent', whenWaitingOn: 'payment', eventId: 'p2', eventName: 'PARTIAL_PAYMENT', payload: { amount: 30 } },
      { kind: 'deliverEvent', whenWaitingOn: 'payment', eventId: 'p3', eventName: 'PARTIAL_PAYMENT', payload: { amount: 50 } },
    ],
    expected: {
      status: 'SUCCEEDED',
      output: { paid: 110 },
      stepTrace: [
        'payment:SUCCEEDED',
        'sum:SUCCEEDED',
        'open:SUCCEEDED',
        'open/next:SUCCEEDED',
        'g1:payment:SUCCEEDED',
        'g1:sum:SUCCEEDED',
        'g1:open:SUCCEEDED',
        'g1:open/next:SUCCEEDED',
        'g2:payment:SUCCEEDED',
        'g2:sum:SUCCEEDED',
        'g2:open:SUCCEEDED',
        'g2:done:SUCCEEDED',
      ],
    },
  },
  {
    name: 'approval-flow',
    description: 'Action, then a human approval, then (if approved) wait for the payment event and record it.',
    covers: ['action.call', 'human.task', 'control.if', 'event.wait', 'formSchema'],
    definition: workflow('approval-flow', [
      call('quote', 'kit.add', { a: expr('input.net'), b: expr('input.tax') }, { saveAs: 'vars.quote' }),
      {
        id: 'approve',
        type: 'human.task',
        taskType: 'quote-approval',
        title: expr("'Approve quote of ' & $string(vars.quote.sum)"),
        formSchema: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } },
        saveAs: 'vars.decision',
      },
      {
        id: 'approved',
        type: 'control.if',
        condition: expr('vars.decision.approved'),
        then: [{ id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: expr('input.orderId'), filter: expr('event.payload.amount = vars.quote.sum'), saveAs: 'vars.payment' }],
        else: [{ id: 'rejected', type: 'control.fail', code: 'QUOTE_REJECTED', message: 'rejected' }],
      },
      { id: 'ret', type: 'control.return', output: { total: expr('vars.quote.sum'), paidBy: expr('vars.payment.payload.by') } },
    ]),
    input: { orderId: 'ord-5', net: 100, tax: 20 },
    script: [
      { kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: true } },
      { kind: 'deliverEvent', whenWaitingOn: 'paid', eventId: 'wrong', eventName: 'PAID', payload: { amount: 100, by: 'x' }, expectIgnored: true },
      { kind: 'deliverEvent', whenWaitingOn: 'paid', eventId: 'right', eventName: 'PAID', payload: { amount: 120, by: 'card' } },
    ],
    expected: {
      status: 'SUCCEEDED',
      output: { total: 120, paidBy: 'card' },
      stepTrace: ['quote:SUCCEEDED', 'approve:SUCCEEDED', 'approved:SUCCEEDED', 'approved/paid:SUCCEEDED', 'ret:SUCCEEDED'],
    },
  },
  {
    name: 'call-workflow-child-sleeps',
    description: 'A child that waits on a durable timer keeps the parent waiting until it completes.',
    covers: ['control.callWorkflow', 'time.wait'],
    definition: workflow('call-workflow-child-sleeps', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-sleeper', input: { who: expr('input.who') }, saveAs: 'vars.child' },
    ]),
    children: [sleeper],
    input: { who: 'parent' },
    expected: { status: 'SUCCEEDED', output: { child: { slept: true, for: 'parent' } }, stepTrace: ['child:SUCCEEDED'], timings: [{ path: 'child', minMs: 200, logicalMs: 200 }] },
  },
  {
    name: 'human-task-timeout-uncaught',
    description: 'An uncaught task timeout fails the run with TimeoutError.',
    covers: ['human.task', 'timeout'],
    definition: workflow('human-task-timeout-uncaught', [{ id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: 250 }]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'TimeoutError', code: 'TASK_TIMEOUT', stepId: 'approve' }, stepTrace: ['approve:FAILED'] },
  },
];
