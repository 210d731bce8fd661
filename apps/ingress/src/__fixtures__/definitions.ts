// Workflow definitions the black-box tests publish through POST /v1/workflows.

/** Waits for `PAID` keyed by the invoice id, then returns the event payload. */
export const waitForPayment = (name = 'billing.wait-payment') => ({
  name,
  version: '1.0.0',
  inputSchema: { type: 'object', required: ['invoiceId'], properties: { invoiceId: { type: 'string' } } },
  steps: [
    { id: 'wait', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.invoiceId' }, saveAs: 'vars.paid' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.paid.payload' } },
  ],
});

/** Fails on its first attempt (TransientError, no retry policy), succeeds on the next: an operator retry finishes it. */
export const flakyOnce = {
  name: 'ops.flaky-once',
  version: '1.0.0',
  steps: [
    { id: 'flaky', type: 'action.call', action: 'test.flaky', actionVersion: 1, input: { failTimes: 1 }, saveAs: 'vars.flaky' },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.flaky' } },
  ],
};

/** Opens an approval task whose response must be `{approved: boolean}`, returns the response. */
export const approval = {
  name: 'ops.approval',
  version: '1.0.0',
  steps: [
    {
      id: 'approve',
      type: 'human.task',
      taskType: 'approval',
      title: { $expr: '"Approve " & input.what' },
      formSchema: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } },
      saveAs: 'vars.approval',
    },
    { id: 'done', type: 'control.return', output: { $expr: 'vars.approval' } },
  ],
};

/** Started by every `ORDER_PLACED` event; its input is the order id of the payload. */
export const orderTriggered = {
  name: 'shop.on-order',
  version: '1.0.0',
  trigger: { type: 'event', eventName: 'ORDER_PLACED', input: { orderId: { $expr: 'event.payload.orderId' }, key: { $expr: 'event.correlationKey' } } },
  steps: [{ id: 'done', type: 'control.return', output: { $expr: 'input' } }],
};
