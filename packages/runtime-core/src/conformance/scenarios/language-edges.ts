import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

const doubler = workflow('child-doubler', [{ id: 'double', type: 'control.return', output: { doubled: expr('input.n * 2'), version: expr('run.version') } }]);

/** SPEC-dsl features the other groups leave out: expression context, write targets, limits, nesting, version moves. */
export const languageEdgeScenarios: ConformanceScenario[] = [
  {
    name: 'time-wait-until-future',
    description: 'time.wait until an instant computed from run.startedAt waits until then.',
    covers: ['time.wait'],
    definition: workflow('time-wait-until-future', [
      { id: 'nap', type: 'time.wait', until: expr('$fromMillis($toMillis(run.startedAt) + 400)') },
      { id: 'after', type: 'transform.assign', assign: { 'vars.woke': true } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { woke: true }, stepTrace: ['nap:SUCCEEDED', 'after:SUCCEEDED'], timings: [{ path: 'nap', minMs: 200, logicalMs: 400 }] },
  },
  {
    name: 'run-context-fields',
    description: 'Expressions see run.{workflow, version, tenant, id, startedAt}.',
    covers: ['control.return'],
    definition: workflow('run-context-fields', [
      {
        id: 'ret',
        type: 'control.return',
        output: {
          workflow: expr('run.workflow'),
          version: expr('run.version'),
          tenant: expr('run.tenant'),
          idIsText: expr("$type(run.id) = 'string' and $length(run.id) > 0"),
          startedIsTime: expr('$toMillis(run.startedAt) > 0'),
        },
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { workflow: 'conformance.run-context-fields', version: '1.0.0', tenant: 'conformance', idIsText: true, startedIsTime: true },
    },
  },
  {
    name: 'assign-replaces-non-object-intermediate',
    description: 'Writing vars.a.b when vars.a holds a number replaces it with an object.',
    covers: ['transform.assign'],
    definition: workflow('assign-replaces-non-object-intermediate', [
      { id: 'scalar', type: 'transform.assign', assign: { 'vars.a': 5 } },
      { id: 'deeper', type: 'transform.assign', assign: { 'vars.a.b.c': 1 } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { a: { b: { c: 1 } } } },
  },
  {
    name: 'assign-stores-copies',
    description: 'An assigned value is a copy: changing vars.b later leaves vars.a as it was.',
    covers: ['transform.assign'],
    definition: workflow('assign-stores-copies', [
      { id: 'make', type: 'transform.assign', assign: { 'vars.a': { x: 1, list: [1] }, 'vars.b': expr('vars.a') } },
      { id: 'change', type: 'transform.assign', assign: { 'vars.b.x': 2, 'vars.b.list': [1, 2] } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { a: { x: 1, list: [1] }, b: { x: 2, list: [1, 2] } } },
  },
  {
    name: 'action-timeout-retried-by-retry-on',
    description: 'A TimeoutError is not retried by default; retryOn ["TimeoutError"] retries it until attempts run out.',
    covers: ['action.call', 'timeout', 'retry'],
    definition: workflow('action-timeout-retried-by-retry-on', [
      call('slow', 'kit.sleep', { ms: 2000 }, { timeoutMs: 150, retry: { maxAttempts: 2, backoffMs: 20, retryOn: ['TimeoutError'] } }),
    ]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'TimeoutError', code: 'ACTION_TIMEOUT', stepId: 'slow' }, stepTrace: ['slow:FAILED@2'] },
  },
  {
    name: 'retry-not-for-input-expression-error',
    description: 'An error resolving the step\'s own input is not an attempt: no retry, straight to onError.',
    covers: ['action.call', 'retry', 'onError'],
    definition: workflow('retry-not-for-input-expression-error', [
      call('bad', 'kit.echo', { n: expr("$number('not a number')") }, { retry: { maxAttempts: 3, backoffMs: 10 }, onError: 'continue', saveAs: 'vars.bad' }),
      { id: 'after', type: 'transform.assign', assign: { 'vars.after': true } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { after: true }, stepTrace: ['bad:FAILED', 'after:SUCCEEDED'] },
  },
  {
    name: 'expression-output-too-large',
    description: 'An expression result over the output limit (256 KiB) fails the step with a typed, catchable error.',
    covers: ['transform.assign', 'limits', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('expression-output-too-large', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [{ id: 'big', type: 'transform.assign', assign: { 'vars.big': expr("$pad('', 300000, 'x')") } }],
        catch: [],
      },
      { id: 'ret', type: 'control.return', output: { category: expr('vars.err.category'), code: expr('vars.err.code'), stepId: expr('vars.err.stepId'), kept: expr('$exists(vars.big)') } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { category: 'ExpressionError', code: 'EXPRESSION_OUTPUT_TOO_LARGE', stepId: 'big', kept: false } },
  },
  {
    name: 'unstorable-value-refused',
    description: 'A value no store can keep (a NUL character) is refused at the step that produced it: UNSTORABLE_VALUE, catchable.',
    covers: ['transform.assign', 'limits', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('unstorable-value-refused', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [{ id: 'nul', type: 'transform.assign', assign: { 'vars.text': expr('"a\\u0000b"') } }],
        catch: [],
      },
      { id: 'ret', type: 'control.return', output: { category: expr('vars.err.category'), code: expr('vars.err.code'), reason: expr('vars.err.details.reason') } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { category: 'ExpressionError', code: 'UNSTORABLE_VALUE', reason: 'NUL' } },
  },
  {
    name: 'event-wait-numeric-correlation-key',
    description: 'A correlation key that evaluates to a number is used as its text.',
    covers: ['event.wait'],
    definition: workflow('event-wait-numeric-correlation-key', [
      { id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: expr('input.invoiceNo'), saveAs: 'vars.paid' },
      { id: 'ret', type: 'control.return', output: { key: expr('vars.paid.correlationKey'), payload: expr('vars.paid.payload') } },
    ]),
    input: { invoiceNo: 42 },
    script: [{ kind: 'deliverEvent', whenWaitingOn: 'paid', eventId: 'p', eventName: 'PAID', payload: 'ok' }],
    expected: { status: 'SUCCEEDED', output: { key: '42', payload: 'ok' } },
  },
  {
    name: 'event-wait-empty-correlation-key',
    description: 'A correlation key that evaluates to an empty string fails the step with ExpressionError (no wait opens).',
    covers: ['event.wait'],
    definition: workflow('event-wait-empty-correlation-key', [{ id: 'paid', type: 'event.wait', eventName: 'PAID', correlationKey: expr('input.missing & ""') }]),
    input: {},
    expected: { status: 'FAILED', error: { category: 'ExpressionError', code: 'EXPRESSION_TYPE', stepId: 'paid' }, stepTrace: ['paid:FAILED'] },
  },
  {
    name: 'call-workflow-grandchild',
    description: 'A child calls its own child; outputs come back up both levels.',
    covers: ['control.callWorkflow', 'nested'],
    definition: workflow('call-workflow-grandchild', [
      { id: 'middle', type: 'control.callWorkflow', workflow: 'conformance.child-middle', input: { n: expr('input.n') }, saveAs: 'vars.middle' },
      { id: 'ret', type: 'control.return', output: expr('vars.middle') },
    ]),
    children: [
      doubler,
      workflow('child-middle', [
        { id: 'inner', type: 'control.callWorkflow', workflow: 'conformance.child-doubler', version: '^1.0.0', input: { n: expr('input.n + 1') }, saveAs: 'vars.inner' },
        { id: 'up', type: 'control.return', output: { middle: true, inner: expr('vars.inner.doubled') } },
      ]),
    ],
    input: { n: 4 },
    expected: { status: 'SUCCEEDED', output: { middle: true, inner: 10 }, stepTrace: ['middle:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'call-workflow-in-loop',
    description: 'One child run per loop item, each with its own input; the outputs are collected in order.',
    covers: ['control.callWorkflow', 'control.forEach'],
    definition: workflow('call-workflow-in-loop', [
      {
        id: 'each',
        type: 'control.forEach',
        items: [1, 2, 3],
        body: [
          { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-doubler', version: '^1.0.0', input: { n: expr('item') }, saveAs: 'vars.last' },
          { id: 'collect', type: 'transform.assign', assign: { 'vars.all': expr('$append(vars.all, [vars.last.doubled])') } },
        ],
      },
      { id: 'ret', type: 'control.return', output: expr('vars.all') },
    ]),
    children: [doubler],
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: [2, 4, 6],
      stepTrace: [
        'each:SUCCEEDED',
        'each[0]/child:SUCCEEDED',
        'each[0]/collect:SUCCEEDED',
        'each[1]/child:SUCCEEDED',
        'each[1]/collect:SUCCEEDED',
        'each[2]/child:SUCCEEDED',
        'each[2]/collect:SUCCEEDED',
        'ret:SUCCEEDED',
      ],
    },
  },
  {
    name: 'call-workflow-child-continues-as-new',
    description: 'A child that continues as new hands its last generation\'s output to the parent.',
    covers: ['control.callWorkflow', 'control.continueAsNew'],
    definition: workflow('call-workflow-child-continues-as-new', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-counts-to-three', input: { n: 0 }, saveAs: 'vars.child' },
      { id: 'ret', type: 'control.return', output: expr('vars.child') },
    ]),
    children: [
      workflow('child-counts-to-three', [
        { id: 'more', type: 'control.if', condition: expr('input.n < 3'), then: [{ id: 'next', type: 'control.continueAsNew', input: { n: expr('input.n + 1') } }] },
        { id: 'done', type: 'control.return', output: { n: expr('input.n') } },
      ]),
    ],
    input: null,
    expected: { status: 'SUCCEEDED', output: { n: 3 }, stepTrace: ['child:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'continue-as-new-moves-to-latest-version',
    description: 'Without pinVersion, continue-as-new resolves the version policy again (latest): the next generation runs the newer version.',
    covers: ['control.continueAsNew', 'control.if'],
    definition: workflow('continue-as-new-moves-to-latest-version', [
      { id: 'first', type: 'control.if', condition: expr('$exists(input.round) = false'), then: [{ id: 'again', type: 'control.continueAsNew', input: { round: 1 } }] },
      { id: 'old', type: 'control.return', output: { version: expr('run.version'), ran: 'old' } },
    ]),
    children: [
      workflow('continue-as-new-moves-to-latest-version', [{ id: 'new', type: 'control.return', output: { version: expr('run.version'), ran: 'new', round: expr('input.round') } }], {
        version: '1.1.0',
      }),
    ],
    input: {},
    expected: {
      status: 'SUCCEEDED',
      output: { version: '1.1.0', ran: 'new', round: 1 },
      stepTrace: ['first:SUCCEEDED', 'first/again:SUCCEEDED', 'g1:new:SUCCEEDED'],
    },
  },
  {
    name: 'continue-as-new-from-inside-loop',
    description: 'control.continueAsNew inside a loop ends the generation there; the next one starts the loop afresh with the carried input.',
    covers: ['control.continueAsNew', 'control.forEach', 'control.if', 'nested'],
    definition: workflow('continue-as-new-from-inside-loop', [
      {
        id: 'loop',
        type: 'control.forEach',
        items: [1, 2, 3],
        body: [
          { id: 'see', type: 'transform.assign', assign: { 'vars.seen': expr('$append(vars.seen, [item])') } },
          {
            id: 'cut',
            type: 'control.if',
            condition: expr('item = 2 and $exists(input.round) = false'),
            then: [{ id: 'again', type: 'control.continueAsNew', input: { round: 1, carried: expr('vars.seen') } }],
          },
        ],
      },
      { id: 'ret', type: 'control.return', output: { carried: expr('input.carried'), seen: expr('vars.seen') } },
    ]),
    input: {},
    expected: { status: 'SUCCEEDED', output: { carried: [1, 2], seen: [1, 2, 3] } },
  },
  {
    name: 'human-tasks-in-loop',
    description: 'A task per loop item, each with its own title; each response is kept in order.',
    covers: ['human.task', 'control.forEach'],
    definition: workflow('human-tasks-in-loop', [
      {
        id: 'docs',
        type: 'control.forEach',
        items: ['contract', 'invoice'],
        itemVar: 'doc',
        body: [
          { id: 'review', type: 'human.task', taskType: 'review', title: expr("'Review ' & doc"), saveAs: 'vars.last' },
          { id: 'keep', type: 'transform.assign', assign: { 'vars.verdicts': expr('$append(vars.verdicts, [{"doc": doc, "ok": vars.last.ok}])') } },
        ],
      },
      { id: 'ret', type: 'control.return', output: expr('vars.verdicts') },
    ]),
    input: null,
    script: [
      { kind: 'completeTask', whenWaitingOn: 'review', response: { ok: true } },
      { kind: 'completeTask', whenWaitingOn: 'review', response: { ok: false } },
    ],
    expected: { status: 'SUCCEEDED', output: [{ doc: 'contract', ok: true }, { doc: 'invoice', ok: false }] },
  },
  {
    name: 'input-schema-accepts-valid-input',
    description: 'An input that satisfies inputSchema starts the run normally.',
    covers: ['inputSchema', 'control.return'],
    definition: workflow('input-schema-accepts-valid-input', [{ id: 'ret', type: 'control.return', output: { doubled: expr('input.n * 2') } }], {
      inputSchema: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
    }),
    input: { n: 21 },
    expected: { status: 'SUCCEEDED', output: { doubled: 42 }, stepTrace: ['ret:SUCCEEDED'] },
  },
  {
    name: 'if-else-if-chain',
    description: 'An if in an else branch picks the middle band; only the taken branches are recorded.',
    covers: ['control.if', 'nested'],
    definition: workflow('if-else-if-chain', [
      {
        id: 'high',
        type: 'control.if',
        condition: expr('input.score >= 90'),
        then: [{ id: 'a', type: 'transform.assign', assign: { 'vars.grade': 'A' } }],
        else: [
          {
            id: 'mid',
            type: 'control.if',
            condition: expr('input.score >= 50'),
            then: [{ id: 'b', type: 'transform.assign', assign: { 'vars.grade': 'B' } }],
            else: [{ id: 'c', type: 'transform.assign', assign: { 'vars.grade': 'C' } }],
          },
        ],
      },
    ]),
    input: { score: 70 },
    expected: { status: 'SUCCEEDED', output: { grade: 'B' }, stepTrace: ['high:SUCCEEDED', 'high/mid:SUCCEEDED', 'high/mid/b:SUCCEEDED'] },
  },
  {
    name: 'foreach-items-from-action-output',
    description: 'Loop items come from an action\'s output; an action runs per item.',
    covers: ['control.forEach', 'action.call'],
    definition: workflow('foreach-items-from-action-output', [
      call('list', 'kit.echo', { pairs: [{ a: 1, b: 2 }, { a: 10, b: 20 }] }, { saveAs: 'vars.list' }),
      {
        id: 'sum',
        type: 'control.forEach',
        items: expr('vars.list.pairs'),
        itemVar: 'pair',
        body: [
          call('add', 'kit.add', { a: expr('pair.a'), b: expr('pair.b') }, { saveAs: 'vars.r' }),
          { id: 'keep', type: 'transform.assign', assign: { 'vars.sums': expr('$append(vars.sums, [vars.r.sum])') } },
        ],
      },
      { id: 'ret', type: 'control.return', output: expr('vars.sums') },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: [3, 30] },
  },
  {
    name: 'return-inside-catch',
    description: 'control.return in a catch branch ends the run SUCCEEDED; the steps after the tryCatch do not run.',
    covers: ['control.tryCatch', 'control.return', 'action.call'],
    definition: workflow('return-inside-catch', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [call('boom', 'kit.fail', { code: 'DOWN' })],
        catch: [{ id: 'bail', type: 'control.return', output: { recovered: expr('error.code') } }],
      },
      { id: 'never', type: 'transform.assign', assign: { 'vars.never': true } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { recovered: 'DOWN' }, stepTrace: ['guard:SUCCEEDED', 'guard/boom:FAILED', 'guard/bail:SUCCEEDED'] },
  },
];
