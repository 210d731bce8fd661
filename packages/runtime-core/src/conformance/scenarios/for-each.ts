import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

/** control.forEach: items, item variable, index, onItemError, nesting. */
export const forEachScenarios: ConformanceScenario[] = [
  {
    name: 'foreach-accumulate',
    description: 'Items from an expression, a renamed item variable and index are in scope in the body.',
    covers: ['control.forEach', 'transform.assign'],
    definition: workflow('foreach-accumulate', [
      { id: 'init', type: 'transform.assign', assign: { 'vars.total': 0, 'vars.seen': [] } },
      {
        id: 'loop',
        type: 'control.forEach',
        items: expr('input.lines'),
        itemVar: 'line',
        body: [
          {
            id: 'add',
            type: 'transform.assign',
            assign: { 'vars.total': expr('vars.total + line.amount'), 'vars.seen': expr("append(vars.seen, $string(index) & ':' & line.sku)") },
          },
        ],
      },
    ]),
    input: { lines: [{ sku: 'a', amount: 2 }, { sku: 'b', amount: 3 }, { sku: 'c', amount: 5 }] },
    expected: {
      status: 'SUCCEEDED',
      output: { total: 10, seen: ['0:a', '1:b', '2:c'] },
      stepTrace: ['init:SUCCEEDED', 'loop:SUCCEEDED', 'loop[0]/add:SUCCEEDED', 'loop[1]/add:SUCCEEDED', 'loop[2]/add:SUCCEEDED'],
    },
  },
  {
    name: 'foreach-empty',
    description: 'An empty array runs no body and succeeds.',
    covers: ['control.forEach'],
    definition: workflow('foreach-empty', [
      { id: 'loop', type: 'control.forEach', items: expr('input.items'), body: [{ id: 'x', type: 'control.fail', code: 'X', message: 'x' }] },
    ]),
    input: { items: [] },
    expected: { status: 'SUCCEEDED', output: {}, stepTrace: ['loop:SUCCEEDED'] },
  },
  {
    name: 'foreach-items-not-array',
    description: 'Items that are not an array are an ExpressionError.',
    covers: ['control.forEach'],
    definition: workflow('foreach-items-not-array', [{ id: 'loop', type: 'control.forEach', items: expr('input.items'), body: [] }]),
    input: { items: 'abc' },
    expected: { status: 'FAILED', error: { category: 'ExpressionError', code: 'EXPRESSION_TYPE', stepId: 'loop' }, stepTrace: ['loop:FAILED'] },
  },
  {
    name: 'foreach-on-item-error-continue',
    description: 'onItemError "continue": a failing item is recorded FAILED and the loop goes on.',
    covers: ['control.forEach', 'onItemError', 'action.call'],
    definition: workflow('foreach-on-item-error-continue', [
      {
        id: 'loop',
        type: 'control.forEach',
        items: [1, 2, 3],
        onItemError: 'continue',
        body: [
          { id: 'check', type: 'control.if', condition: expr('item = 2'), then: [call('boom', 'kit.fail', { code: 'ITEM_BAD' })] },
          { id: 'ok', type: 'transform.assign', assign: { 'vars.done': expr('append(vars.done, item)') } },
        ],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { done: [1, 3] },
      stepTrace: [
        'loop:SUCCEEDED',
        'loop[0]/check:SUCCEEDED',
        'loop[0]/ok:SUCCEEDED',
        'loop[1]/check:FAILED',
        'loop[1]/check/boom:FAILED',
        'loop[2]/check:SUCCEEDED',
        'loop[2]/ok:SUCCEEDED',
      ],
    },
  },
  {
    name: 'foreach-on-item-error-fail',
    description: 'By default an item error fails the loop and the run; later items do not run.',
    covers: ['control.forEach', 'onItemError'],
    definition: workflow('foreach-on-item-error-fail', [
      {
        id: 'loop',
        type: 'control.forEach',
        items: [1, 2, 3],
        body: [
          { id: 'check', type: 'control.if', condition: expr('item = 2'), then: [{ id: 'stop', type: 'control.fail', code: 'ITEM_BAD', message: expr("'bad item ' & $string(item)") }] },
        ],
      },
    ]),
    input: null,
    expected: {
      status: 'FAILED',
      error: { category: 'ActionError', code: 'ITEM_BAD', stepId: 'stop', message: 'bad item 2' },
      stepTrace: ['loop:FAILED', 'loop[0]/check:SUCCEEDED', 'loop[1]/check:FAILED', 'loop[1]/check/stop:FAILED'],
    },
  },
  {
    name: 'foreach-nested-index-shadowing',
    description: 'In nested loops the inner index and item shadow the outer ones; the outer item stays reachable by its own name.',
    covers: ['control.forEach', 'nested'],
    definition: workflow('foreach-nested-index-shadowing', [
      {
        id: 'rows',
        type: 'control.forEach',
        items: ['a', 'b'],
        itemVar: 'row',
        body: [
          {
            id: 'cols',
            type: 'control.forEach',
            items: [1, 2],
            body: [{ id: 'cell', type: 'transform.assign', assign: { 'vars.cells': expr("append(vars.cells, row & $string(item) & '@' & $string(index))") } }],
          },
        ],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { cells: ['a1@0', 'a2@1', 'b1@0', 'b2@1'] },
      stepTrace: [
        'rows:SUCCEEDED',
        'rows[0]/cols:SUCCEEDED',
        'rows[0]/cols[0]/cell:SUCCEEDED',
        'rows[0]/cols[1]/cell:SUCCEEDED',
        'rows[1]/cols:SUCCEEDED',
        'rows[1]/cols[0]/cell:SUCCEEDED',
        'rows[1]/cols[1]/cell:SUCCEEDED',
      ],
    },
  },
];
