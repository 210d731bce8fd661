import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

/** control.return, control.fail, default output, inputSchema. */
export const returnAndFailScenarios: ConformanceScenario[] = [
  {
    name: 'return-from-inside-loop',
    description: 'control.return inside a loop ends the run at once with its output; later steps do not run.',
    covers: ['control.return', 'control.forEach', 'control.if'],
    definition: workflow('return-from-inside-loop', [
      {
        id: 'search',
        type: 'control.forEach',
        items: expr('input.items'),
        body: [{ id: 'found', type: 'control.if', condition: expr('item > 10'), then: [{ id: 'ret', type: 'control.return', output: { first: expr('item'), at: expr('index') } }] }],
      },
      { id: 'notFound', type: 'control.fail', code: 'NOT_FOUND', message: 'none' },
    ]),
    input: { items: [3, 12, 50] },
    expected: {
      status: 'SUCCEEDED',
      output: { first: 12, at: 1 },
      stepTrace: ['search:SUCCEEDED', 'search[0]/found:SUCCEEDED', 'search[1]/found:SUCCEEDED', 'search[1]/found/ret:SUCCEEDED'],
    },
  },
  {
    name: 'return-without-output-is-vars',
    description: 'control.return without output (like the end of the steps) outputs vars.',
    covers: ['control.return', 'transform.assign'],
    definition: workflow('return-without-output-is-vars', [
      { id: 'set', type: 'transform.assign', assign: { 'vars.x': 1 } },
      { id: 'ret', type: 'control.return' },
      { id: 'never', type: 'transform.assign', assign: { 'vars.y': 2 } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { x: 1 }, stepTrace: ['set:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'fail-uncaught',
    description: 'control.fail ends the run FAILED with its code and evaluated message.',
    covers: ['control.fail'],
    definition: workflow('fail-uncaught', [{ id: 'reject', type: 'control.fail', code: 'INVOICE_REJECTED', message: expr("'invoice ' & input.id & ' rejected'") }]),
    input: { id: 'inv-9' },
    expected: { status: 'FAILED', error: { category: 'ActionError', code: 'INVOICE_REJECTED', stepId: 'reject', message: 'invoice inv-9 rejected' }, stepTrace: ['reject:FAILED'] },
  },
  {
    name: 'fail-caught-by-trycatch',
    description: 'control.fail is catchable.',
    covers: ['control.fail', 'control.tryCatch'],
    definition: workflow('fail-caught-by-trycatch', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'reject', type: 'control.fail', code: 'SOFT', message: 'soft failure' }],
        catch: [{ id: 'handle', type: 'transform.assign', assign: { 'vars.code': expr('error.code'), 'vars.message': expr('error.message') } }],
      },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { code: 'SOFT', message: 'soft failure' } },
  },
  {
    name: 'input-schema-mismatch',
    description: 'A run input that does not satisfy inputSchema fails the run with ValidationError before any step.',
    covers: ['inputSchema'],
    definition: workflow('input-schema-mismatch', [{ id: 'never', type: 'transform.assign', assign: { 'vars.x': 1 } }], {
      inputSchema: { type: 'object', required: ['invoiceId'], properties: { invoiceId: { type: 'string' } } },
    }),
    input: { invoiceId: 42 },
    expected: { status: 'FAILED', error: { category: 'ValidationError', code: 'INPUT_SCHEMA_MISMATCH' }, stepTrace: [] },
  },
  {
    name: 'foreach-too-many-items',
    description: 'More than 10,000 forEach items is a ValidationError (limit).',
    covers: ['control.forEach', 'limits'],
    definition: workflow('foreach-too-many-items', [{ id: 'loop', type: 'control.forEach', items: expr('input.items'), body: [] }]),
    input: { items: Array.from({ length: 10_001 }, () => 0) },
    expected: { status: 'FAILED', error: { category: 'ValidationError', code: 'FOREACH_TOO_MANY_ITEMS', stepId: 'loop' } },
  },
];
