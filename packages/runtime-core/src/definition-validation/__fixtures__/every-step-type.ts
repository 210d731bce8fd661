import type { WorkflowDefinition } from '@baton/event-schemas';

/** A valid definition that uses every step type (and most optional fields). */
export const everyStepType: WorkflowDefinition = {
  $schema: './workflow-definition.schema.json',
  name: 'billing.invoice-reminder',
  version: '1.2.0',
  description: 'Remind until paid',
  trigger: { type: 'event', eventName: 'INVOICE_CREATED', input: { invoiceId: { $expr: 'event.payload.invoiceId' } } },
  inputSchema: { type: 'object', required: ['invoiceId'] },
  steps: [
    { id: 'init', type: 'transform.assign', assign: { 'vars.count': 0, 'vars.ids': { $expr: '[1, 2, 3]' } } },
    {
      id: 'charge',
      type: 'action.call',
      action: 'core.echo',
      actionVersion: 1,
      input: { amount: { $expr: 'input.amount' }, fixed: [1, 'two', null] },
      saveAs: 'vars.charge',
      retry: { maxAttempts: 3, backoffMs: 100, backoffMultiplier: 2, maxDelayMs: 1000, jitter: true, retryOn: ['TransientError', 'TimeoutError'] },
      timeoutMs: 5000,
      idempotencyKey: { $expr: "'charge-' & input.invoiceId" },
      onError: 'continue',
    },
    {
      id: 'check',
      type: 'control.if',
      condition: { $expr: 'vars.count < 10' },
      then: [
        {
          id: 'guard',
          type: 'control.tryCatch',
          captureErrorAs: 'vars.lastError',
          try: [
            {
              id: 'loop',
              type: 'control.forEach',
              items: { $expr: 'vars.ids' },
              itemVar: 'invoice',
              onItemError: 'continue',
              body: [{ id: 'log', type: 'action.call', action: 'core.log', actionVersion: 1, input: { message: { $expr: '$string(invoice)' } } }],
            },
          ],
          catch: [{ id: 'giveUp', type: 'control.fail', code: 'LOOP_FAILED', message: { $expr: 'error.message' } }],
        },
      ],
      else: [{ id: 'done', type: 'control.return', output: { count: { $expr: 'vars.count' } } }],
    },
    { id: 'child', type: 'control.callWorkflow', workflow: 'billing.send-mail', version: '^1.0.0', input: { to: 'a@b.c' }, saveAs: 'vars.mail' },
    { id: 'paid', type: 'event.wait', eventName: 'INVOICE_PAID', correlationKey: { $expr: 'input.invoiceId' }, filter: { $expr: 'event.payload.amount > 0' }, timeoutMs: 86400000, saveAs: 'vars.payment' },
    { id: 'nap', type: 'time.wait', durationMs: 1000 },
    { id: 'until', type: 'time.wait', until: '2030-01-01T00:00:00Z' },
    {
      id: 'approve',
      type: 'human.task',
      taskType: 'approval',
      title: { $expr: "'Approve ' & input.invoiceId" },
      formSchema: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } },
      assignee: 'finance',
      timeoutMs: 3600000,
      saveAs: 'vars.approval',
    },
    { id: 'again', type: 'control.continueAsNew', input: { invoiceId: { $expr: 'input.invoiceId' } }, pinVersion: true },
  ],
};
