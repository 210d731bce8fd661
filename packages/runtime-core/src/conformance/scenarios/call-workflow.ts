import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

const doubler = workflow('child-doubler', [{ id: 'double', type: 'control.return', output: { doubled: expr('input.n * 2'), version: expr('run.version') } }]);
const doublerV2 = { ...workflow('child-doubler', [{ id: 'double', type: 'control.return', output: { doubled: expr('input.n * 2'), version: expr('run.version') } }]), version: '2.0.0' };
const failing = workflow('child-failing', [{ id: 'refuse', type: 'control.fail', code: 'CHILD_REFUSED', message: expr("'refused ' & $string(input.n)") }]);

/** control.callWorkflow: child output, child failure, version ranges. */
export const callWorkflowScenarios: ConformanceScenario[] = [
  {
    name: 'call-workflow-output',
    description: 'A child run on the same engine returns its output into saveAs.',
    covers: ['control.callWorkflow'],
    definition: workflow('call-workflow-output', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-doubler', version: '^1.0.0', input: { n: expr('input.n') }, saveAs: 'vars.child' },
    ]),
    children: [doubler],
    input: { n: 21 },
    expected: { status: 'SUCCEEDED', output: { child: { doubled: 42, version: '1.0.0' } }, stepTrace: ['child:SUCCEEDED'] },
  },
  {
    name: 'call-workflow-version-range',
    description: 'The version range picks the highest satisfying child version.',
    covers: ['control.callWorkflow'],
    definition: workflow('call-workflow-version-range', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-doubler', version: '>=2.0.0', input: { n: 1 }, saveAs: 'vars.child' },
    ]),
    children: [doubler, doublerV2],
    input: null,
    expected: { status: 'SUCCEEDED', output: { child: { doubled: 2, version: '2.0.0' } } },
  },
  {
    name: 'call-workflow-child-fails',
    description: 'A failed child is a ChildWorkflowError in the parent (uncaught: the parent fails).',
    covers: ['control.callWorkflow'],
    definition: workflow('call-workflow-child-fails', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-failing', input: { n: 3 } },
    ]),
    children: [failing],
    input: null,
    expected: { status: 'FAILED', error: { category: 'ChildWorkflowError', code: 'CHILD_WORKFLOW_FAILED', stepId: 'child' }, stepTrace: ['child:FAILED'] },
  },
  {
    name: 'call-workflow-child-failure-caught',
    description: 'A ChildWorkflowError is catchable; details carry the child error.',
    covers: ['control.callWorkflow', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('call-workflow-child-failure-caught', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [{ id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-failing', input: { n: 4 } }],
        catch: [],
      },
      { id: 'out', type: 'control.return', output: { category: expr('vars.err.category'), cause: expr('vars.err.details.cause.code'), message: expr('vars.err.details.cause.message') } },
    ]),
    children: [failing],
    input: null,
    expected: { status: 'SUCCEEDED', output: { category: 'ChildWorkflowError', cause: 'CHILD_REFUSED', message: 'refused 4' } },
  },
  {
    name: 'call-workflow-child-unresolvable',
    description: 'A child whose version range no published version satisfies fails the step with one cause on every engine: ValidationError CHILD_UNRESOLVABLE.',
    covers: ['control.callWorkflow', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('call-workflow-child-unresolvable', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [{ id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-doubler', version: '^9.0.0', input: { n: 1 } }],
        catch: [],
      },
      {
        id: 'out',
        type: 'control.return',
        output: { category: expr('vars.err.category'), code: expr('vars.err.code'), causeCategory: expr('vars.err.details.cause.category'), cause: expr('vars.err.details.cause.code') },
      },
    ]),
    children: [doubler],
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { category: 'ChildWorkflowError', code: 'CHILD_WORKFLOW_FAILED', causeCategory: 'ValidationError', cause: 'CHILD_UNRESOLVABLE' },
      stepTrace: ['guard:SUCCEEDED', 'guard/child:FAILED', 'out:SUCCEEDED'],
    },
  },
];
