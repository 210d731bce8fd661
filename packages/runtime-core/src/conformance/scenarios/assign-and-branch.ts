import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

/** transform.assign and control.if. */
export const assignAndBranchScenarios: ConformanceScenario[] = [
  {
    name: 'assign-sequential-nested-paths',
    description: 'Assignments run in key order, each seeing the previous ones; nested paths create objects.',
    covers: ['transform.assign'],
    definition: workflow('assign-sequential-nested-paths', [
      {
        id: 'set',
        type: 'transform.assign',
        assign: { 'vars.a': expr('input.x * 2'), 'vars.b.c': expr('vars.a + 1'), 'vars.b.d': 'literal', 'vars.run': expr('run.workflow') },
      },
    ]),
    input: { x: 5 },
    expected: { status: 'SUCCEEDED', output: { a: 10, b: { c: 11, d: 'literal' }, run: 'conformance.assign-sequential-nested-paths' }, stepTrace: ['set:SUCCEEDED'] },
  },
  {
    name: 'assign-expression-error',
    description: 'An expression that fails to evaluate is an ExpressionError that fails the run.',
    covers: ['transform.assign'],
    definition: workflow('assign-expression-error', [{ id: 'bad', type: 'transform.assign', assign: { 'vars.x': expr("'a' + 1") } }]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'ExpressionError', code: 'EXPRESSION_EVALUATION', stepId: 'bad' }, stepTrace: ['bad:FAILED'] },
  },
  {
    name: 'if-then-branch',
    description: 'A true condition runs then; else is skipped.',
    covers: ['control.if'],
    definition: workflow('if-then-branch', [
      {
        id: 'check',
        type: 'control.if',
        condition: expr('input.amount > 100'),
        then: [{ id: 'big', type: 'transform.assign', assign: { 'vars.size': 'big' } }],
        else: [{ id: 'small', type: 'transform.assign', assign: { 'vars.size': 'small' } }],
      },
    ]),
    input: { amount: 250 },
    expected: { status: 'SUCCEEDED', output: { size: 'big' }, stepTrace: ['check:SUCCEEDED', 'check/big:SUCCEEDED'] },
  },
  {
    name: 'if-else-branch',
    description: 'A false condition runs else.',
    covers: ['control.if'],
    definition: workflow('if-else-branch', [
      {
        id: 'check',
        type: 'control.if',
        condition: expr('input.amount > 100'),
        then: [{ id: 'big', type: 'transform.assign', assign: { 'vars.size': 'big' } }],
        else: [{ id: 'small', type: 'transform.assign', assign: { 'vars.size': 'small' } }],
      },
    ]),
    input: { amount: 5 },
    expected: { status: 'SUCCEEDED', output: { size: 'small' }, stepTrace: ['check:SUCCEEDED', 'check/small:SUCCEEDED'] },
  },
  {
    name: 'if-false-without-else',
    description: 'A false condition without else does nothing and the run goes on.',
    covers: ['control.if'],
    definition: workflow('if-false-without-else', [
      { id: 'check', type: 'control.if', condition: false, then: [{ id: 'never', type: 'control.fail', code: 'X', message: 'x' }] },
      { id: 'after', type: 'transform.assign', assign: { 'vars.after': true } },
    ]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { after: true }, stepTrace: ['check:SUCCEEDED', 'after:SUCCEEDED'] },
  },
  {
    name: 'if-condition-not-boolean',
    description: 'A condition that is not a boolean is an ExpressionError (no truthiness).',
    covers: ['control.if'],
    definition: workflow('if-condition-not-boolean', [{ id: 'check', type: 'control.if', condition: expr('input.count'), then: [] }]),
    input: { count: 1 },
    expected: { status: 'FAILED', error: { category: 'ExpressionError', code: 'EXPRESSION_TYPE', stepId: 'check' }, stepTrace: ['check:FAILED'] },
  },
];
