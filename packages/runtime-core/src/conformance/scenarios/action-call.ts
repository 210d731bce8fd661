import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

/** action.call: input resolution, saveAs, schema errors, timeout, idempotency, onError. */
export const actionCallScenarios: ConformanceScenario[] = [
  {
    name: 'action-echo-save-as',
    description: 'An action gets its input resolved from expressions and its output saved under vars; the run output is vars.',
    covers: ['action.call'],
    definition: workflow('action-echo-save-as', [
      call('greet', 'kit.echo', { hello: expr('input.name'), n: expr('input.n + 1'), fixed: [1, 'two'] }, { saveAs: 'vars.greeting' }),
    ]),
    input: { name: 'Ada', n: 41 },
    expected: { status: 'SUCCEEDED', output: { greeting: { hello: 'Ada', n: 42, fixed: [1, 'two'] } }, stepTrace: ['greet:SUCCEEDED'] },
  },
  {
    name: 'action-chain-outputs',
    description: 'A later action reads an earlier action output through vars.',
    covers: ['action.call'],
    definition: workflow('action-chain-outputs', [
      call('first', 'kit.add', { a: expr('input.a'), b: 2 }, { saveAs: 'vars.first' }),
      call('second', 'kit.add', { a: expr('vars.first.sum'), b: 10 }, { saveAs: 'vars.second' }),
    ]),
    input: { a: 1 },
    expected: { status: 'SUCCEEDED', output: { first: { sum: 3 }, second: { sum: 13 } }, stepTrace: ['first:SUCCEEDED', 'second:SUCCEEDED'] },
  },
  {
    name: 'action-input-invalid',
    description: 'An input that fails the action input schema is a ValidationError (not retried by default).',
    covers: ['action.call', 'retry'],
    definition: workflow('action-input-invalid', [
      call('strict', 'kit.strict-input', { n: 'not a number' }, { retry: { maxAttempts: 3, backoffMs: 10 } }),
    ]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'ValidationError', code: 'ACTION_INPUT_INVALID', stepId: 'strict' }, stepTrace: ['strict:FAILED'] },
  },
  {
    name: 'action-output-invalid',
    description: 'An output that fails the action output schema is a ValidationError.',
    covers: ['action.call'],
    definition: workflow('action-output-invalid', [call('bad', 'kit.bad-output', {})]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'ValidationError', code: 'ACTION_OUTPUT_INVALID', stepId: 'bad' }, stepTrace: ['bad:FAILED'] },
  },
  {
    name: 'action-timeout',
    description: 'An action running longer than timeoutMs fails with TimeoutError.',
    covers: ['action.call', 'timeout'],
    definition: workflow('action-timeout', [call('slow', 'kit.sleep', { ms: 1000 }, { timeoutMs: 100 })]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'TimeoutError', code: 'ACTION_TIMEOUT', stepId: 'slow' }, stepTrace: ['slow:FAILED'] },
  },
  {
    name: 'action-idempotency-key-reuse',
    description: 'A second invocation with the same evaluated idempotencyKey returns the stored output instead of running.',
    covers: ['action.call', 'idempotency'],
    definition: workflow('action-idempotency-key-reuse', [
      call('once', 'kit.echo', { value: 1 }, { idempotencyKey: expr("'order-' & input.orderId"), saveAs: 'vars.first' }),
      call('again', 'kit.echo', { value: 2 }, { idempotencyKey: expr("'order-' & input.orderId"), saveAs: 'vars.second' }),
    ]),
    input: { orderId: 'o-7' },
    expected: { status: 'SUCCEEDED', output: { first: { value: 1 }, second: { value: 1 } } },
  },
  {
    name: 'action-default-key-per-iteration',
    description: 'Without idempotencyKey each loop iteration is its own invocation (key = runId:stepId:iteration).',
    covers: ['action.call', 'control.forEach', 'idempotency'],
    definition: workflow('action-default-key-per-iteration', [
      {
        id: 'loop',
        type: 'control.forEach',
        items: [1, 2],
        body: [
          call('echo', 'kit.echo', { v: expr('item') }, { saveAs: 'vars.last' }),
          { id: 'collect', type: 'transform.assign', assign: { 'vars.all': expr('append(vars.all, vars.last.v)') } },
        ],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { last: { v: 2 }, all: [1, 2] },
      stepTrace: ['loop:SUCCEEDED', 'loop[0]/echo:SUCCEEDED', 'loop[0]/collect:SUCCEEDED', 'loop[1]/echo:SUCCEEDED', 'loop[1]/collect:SUCCEEDED'],
    },
  },
  {
    name: 'action-on-error-continue',
    description: 'onError "continue": the failed step is recorded FAILED, saveAs is not written, and the run goes on.',
    covers: ['action.call', 'onError'],
    definition: workflow('action-on-error-continue', [
      call('optional', 'kit.fail', { code: 'NOPE' }, { onError: 'continue', saveAs: 'vars.optional' }),
      call('after', 'kit.echo', { ran: true }, { saveAs: 'vars.after' }),
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { after: { ran: true } }, stepTrace: ['optional:FAILED', 'after:SUCCEEDED'] },
  },
  {
    name: 'action-error-uncaught-fails-run',
    description: 'A non-retryable action error with no handler fails the run with ActionError and the step id.',
    covers: ['action.call'],
    definition: workflow('action-error-uncaught-fails-run', [
      call('boom', 'kit.fail', { code: 'PAYMENT_DECLINED', message: 'card declined' }),
      call('never', 'kit.echo', {}),
    ]),
    input: null,
    expected: {
      status: 'FAILED',
      error: { category: 'ActionError', code: 'PAYMENT_DECLINED', stepId: 'boom', message: 'card declined' },
      stepTrace: ['boom:FAILED'],
    },
  },
];
