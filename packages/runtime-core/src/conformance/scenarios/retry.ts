import type { ConformanceScenario } from '../scenario.js';
import { call, workflow } from './define.js';

/** Retry policies: attempts, backoff timing (logical), caps, categories. */
export const retryScenarios: ConformanceScenario[] = [
  {
    name: 'retry-then-succeed',
    description: 'A TransientError is retried with exponential backoff (100 ms, then 200 ms); attempt 3 succeeds.',
    covers: ['action.call', 'retry', 'backoff'],
    definition: workflow('retry-then-succeed', [
      call('flaky', 'kit.flaky', { failTimes: 2 }, { retry: { maxAttempts: 3, backoffMs: 100 }, saveAs: 'vars.result' }),
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { result: { attempts: 3 } },
      stepTrace: ['flaky:SUCCEEDED@3'],
      timings: [{ path: 'flaky', minMs: 300, logicalMs: 300 }],
    },
  },
  {
    name: 'retry-exhausted',
    description: 'When attempts run out the last error fails the run.',
    covers: ['action.call', 'retry'],
    definition: workflow('retry-exhausted', [call('flaky', 'kit.flaky', { failTimes: 5 }, { retry: { maxAttempts: 3, backoffMs: 50, backoffMultiplier: 1 } })]),
    input: null,
    expected: {
      status: 'FAILED',
      error: { category: 'TransientError', code: 'KIT_FLAKY', stepId: 'flaky' },
      stepTrace: ['flaky:FAILED@3'],
      timings: [{ path: 'flaky', minMs: 100, logicalMs: 100 }],
    },
  },
  {
    name: 'retry-max-delay-cap',
    description: 'maxDelayMs caps each delay: 200 ms then min(600, 250) = 250 ms.',
    covers: ['action.call', 'retry', 'backoff'],
    definition: workflow('retry-max-delay-cap', [
      call('flaky', 'kit.flaky', { failTimes: 2 }, { retry: { maxAttempts: 4, backoffMs: 200, backoffMultiplier: 3, maxDelayMs: 250 } }),
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', stepTrace: ['flaky:SUCCEEDED@3'], timings: [{ path: 'flaky', minMs: 450, logicalMs: 450 }] },
  },
  {
    name: 'retry-jitter-bounded',
    description: 'With jitter each delay lies in [50%, 100%] of the computed delay (derived from run id and attempt).',
    covers: ['action.call', 'retry', 'backoff'],
    definition: workflow('retry-jitter-bounded', [
      call('flaky', 'kit.flaky', { failTimes: 1 }, { retry: { maxAttempts: 2, backoffMs: 400, jitter: true } }),
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', stepTrace: ['flaky:SUCCEEDED@2'], timings: [{ path: 'flaky', minMs: 200 }] },
  },
  {
    name: 'retry-not-for-non-retryable',
    description: 'An ActionError is not retried by a policy without retryOn (default: TransientError only).',
    covers: ['action.call', 'retry'],
    definition: workflow('retry-not-for-non-retryable', [call('fail', 'kit.fail', { retryable: false }, { retry: { maxAttempts: 5, backoffMs: 10 } })]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'ActionError', code: 'KIT_FAIL', stepId: 'fail' }, stepTrace: ['fail:FAILED'] },
  },
  {
    name: 'retry-on-listed-category',
    description: 'retryOn ["ActionError"] retries non-retryable action errors too.',
    covers: ['action.call', 'retry'],
    definition: workflow('retry-on-listed-category', [
      call('flaky', 'kit.flaky', { failTimes: 1, retryable: false }, { retry: { maxAttempts: 2, backoffMs: 10, retryOn: ['ActionError'] }, saveAs: 'vars.r' }),
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { r: { attempts: 2 } }, stepTrace: ['flaky:SUCCEEDED@2'] },
  },
  {
    name: 'retry-exhausted-then-on-error-continue',
    description: 'Order of the rules: retries first, then onError "continue".',
    covers: ['action.call', 'retry', 'onError'],
    definition: workflow('retry-exhausted-then-on-error-continue', [
      call('flaky', 'kit.flaky', { failTimes: 9 }, { retry: { maxAttempts: 2, backoffMs: 20 }, onError: 'continue' }),
      { id: 'after', type: 'transform.assign', assign: { 'vars.after': true } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { after: true }, stepTrace: ['flaky:FAILED@2', 'after:SUCCEEDED'] },
  },
  {
    name: 'retry-exhausted-then-try-catch',
    description: 'Order of the rules: retries first, then the nearest tryCatch.',
    covers: ['action.call', 'retry', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('retry-exhausted-then-try-catch', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.caught',
        try: [call('flaky', 'kit.flaky', { failTimes: 9 }, { retry: { maxAttempts: 2, backoffMs: 20 } })],
        catch: [{ id: 'note', type: 'transform.assign', assign: { 'vars.category': { $expr: 'error.category' } } }],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: {
        caught: { category: 'TransientError', code: 'KIT_FLAKY', message: 'kit.flaky attempt 2 fails', stepId: 'flaky' },
        category: 'TransientError',
      },
      stepTrace: ['guard:SUCCEEDED', 'guard/flaky:FAILED@2', 'guard/note:SUCCEEDED'],
    },
  },
];
