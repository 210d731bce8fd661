import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

/** control.tryCatch: catching, captureErrorAs, nesting, rethrow. */
export const tryCatchScenarios: ConformanceScenario[] = [
  {
    name: 'trycatch-catches-action-error',
    description: 'The catch branch runs with `error` in scope and the error saved by captureErrorAs; the run succeeds.',
    covers: ['control.tryCatch', 'captureErrorAs', 'action.call'],
    definition: workflow('trycatch-catches-action-error', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [call('charge', 'kit.fail', { code: 'DECLINED', message: 'no funds' }), call('never', 'kit.echo', {})],
        catch: [{ id: 'handle', type: 'transform.assign', assign: { 'vars.handled': expr("error.code & '/' & error.stepId") } }],
      },
      { id: 'after', type: 'transform.assign', assign: { 'vars.after': true } },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { err: { category: 'ActionError', code: 'DECLINED', message: 'no funds', stepId: 'charge' }, handled: 'DECLINED/charge', after: true },
      stepTrace: ['guard:SUCCEEDED', 'guard/charge:FAILED', 'guard/handle:SUCCEEDED', 'after:SUCCEEDED'],
    },
  },
  {
    name: 'trycatch-no-error-skips-catch',
    description: 'Without an error the catch branch does not run.',
    covers: ['control.tryCatch'],
    definition: workflow('trycatch-no-error-skips-catch', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'fine', type: 'transform.assign', assign: { 'vars.fine': true } }],
        catch: [{ id: 'handle', type: 'transform.assign', assign: { 'vars.handled': true } }],
      },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { fine: true }, stepTrace: ['guard:SUCCEEDED', 'guard/fine:SUCCEEDED'] },
  },
  {
    name: 'trycatch-nearest-handler-wins',
    description: 'The innermost tryCatch catches; the outer catch does not run.',
    covers: ['control.tryCatch', 'nested'],
    definition: workflow('trycatch-nearest-handler-wins', [
      {
        id: 'outer',
        type: 'control.tryCatch',
        try: [
          {
            id: 'inner',
            type: 'control.tryCatch',
            try: [{ id: 'boom', type: 'control.fail', code: 'INNER', message: 'inner failure' }],
            catch: [{ id: 'innerCatch', type: 'transform.assign', assign: { 'vars.caughtBy': 'inner' } }],
          },
        ],
        catch: [{ id: 'outerCatch', type: 'transform.assign', assign: { 'vars.caughtBy': 'outer' } }],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { caughtBy: 'inner' },
      stepTrace: ['outer:SUCCEEDED', 'outer/inner:SUCCEEDED', 'outer/inner/boom:FAILED', 'outer/inner/innerCatch:SUCCEEDED'],
    },
  },
  {
    name: 'trycatch-error-in-catch-propagates',
    description: 'An error raised inside a catch branch is not caught by the same tryCatch but by the next enclosing one.',
    covers: ['control.tryCatch', 'control.fail', 'nested'],
    definition: workflow('trycatch-error-in-catch-propagates', [
      {
        id: 'outer',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.outerErr',
        try: [
          {
            id: 'inner',
            type: 'control.tryCatch',
            try: [{ id: 'first', type: 'control.fail', code: 'FIRST', message: 'first' }],
            catch: [{ id: 'rethrow', type: 'control.fail', code: 'SECOND', message: expr("'after ' & error.code") }],
          },
        ],
        catch: [],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { outerErr: { category: 'ActionError', code: 'SECOND', message: 'after FIRST', stepId: 'rethrow', details: { raisedBy: 'control.fail' } } },
      stepTrace: ['outer:SUCCEEDED', 'outer/inner:FAILED', 'outer/inner/first:FAILED', 'outer/inner/rethrow:FAILED'],
    },
  },
  {
    name: 'trycatch-catches-expression-error',
    description: 'An ExpressionError is catchable like any other step error.',
    covers: ['control.tryCatch', 'transform.assign'],
    definition: workflow('trycatch-catches-expression-error', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'bad', type: 'transform.assign', assign: { 'vars.x': expr("'a' + 1") } }],
        catch: [{ id: 'handle', type: 'transform.assign', assign: { 'vars.category': expr('error.category') } }],
      },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { category: 'ExpressionError' }, stepTrace: ['guard:SUCCEEDED', 'guard/bad:FAILED', 'guard/handle:SUCCEEDED'] },
  },
  {
    name: 'nested-foreach-in-trycatch-in-if',
    description: 'forEach inside tryCatch inside if: an item error escapes the loop, is caught, and the run continues after the if.',
    covers: ['control.if', 'control.tryCatch', 'control.forEach', 'action.call', 'nested', 'captureErrorAs'],
    definition: workflow('nested-foreach-in-trycatch-in-if', [
      {
        id: 'enabled',
        type: 'control.if',
        condition: expr('input.enabled'),
        then: [
          {
            id: 'guard',
            type: 'control.tryCatch',
            captureErrorAs: 'vars.failure',
            try: [
              {
                id: 'each',
                type: 'control.forEach',
                items: expr('input.amounts'),
                body: [
                  call('add', 'kit.add', { a: expr('coalesce(vars.sum, 0)'), b: expr('item') }, { saveAs: 'vars.partial' }),
                  { id: 'keep', type: 'transform.assign', assign: { 'vars.sum': expr('vars.partial.sum') } },
                ],
              },
            ],
            catch: [{ id: 'recover', type: 'transform.assign', assign: { 'vars.recovered': expr('error.stepId') } }],
          },
        ],
      },
      { id: 'done', type: 'control.return', output: { sum: expr('vars.sum'), recovered: expr('vars.recovered'), code: expr('vars.failure.code') } },
    ]),
    input: { enabled: true, amounts: [1, 2, 'three', 4] },
    expected: {
      status: 'SUCCEEDED',
      output: { sum: 3, recovered: 'add', code: 'ACTION_INPUT_INVALID' },
      stepTrace: [
        'enabled:SUCCEEDED',
        'enabled/guard:SUCCEEDED',
        'enabled/guard/each:FAILED',
        'enabled/guard/each[0]/add:SUCCEEDED',
        'enabled/guard/each[0]/keep:SUCCEEDED',
        'enabled/guard/each[1]/add:SUCCEEDED',
        'enabled/guard/each[1]/keep:SUCCEEDED',
        'enabled/guard/each[2]/add:FAILED',
        'enabled/guard/recover:SUCCEEDED',
        'done:SUCCEEDED',
      ],
    },
  },
];
