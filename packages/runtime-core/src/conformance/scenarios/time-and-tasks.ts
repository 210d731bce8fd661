import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

const approvalForm = {
  type: 'object',
  required: ['approved'],
  properties: { approved: { type: 'boolean' }, comment: { type: 'string', maxLength: 200 } },
  additionalProperties: false,
};

/** time.wait and human.task. */
export const timeAndTaskScenarios: ConformanceScenario[] = [
  {
    name: 'time-wait-duration',
    description: 'A durable timer of durationMs.',
    covers: ['time.wait'],
    definition: workflow('time-wait-duration', [{ id: 'nap', type: 'time.wait', durationMs: 250 }, { id: 'after', type: 'transform.assign', assign: { 'vars.woke': true } }]),
    input: null,
    expected: { status: 'SUCCEEDED', output: { woke: true }, stepTrace: ['nap:SUCCEEDED', 'after:SUCCEEDED'], timings: [{ path: 'nap', minMs: 250, logicalMs: 250 }] },
  },
  {
    name: 'time-wait-duration-expression',
    description: 'durationMs can be an expression.',
    covers: ['time.wait'],
    definition: workflow('time-wait-duration-expression', [{ id: 'nap', type: 'time.wait', durationMs: expr('input.seconds * 1000') }]),
    input: { seconds: 0.2 },
    expected: { status: 'SUCCEEDED', timings: [{ path: 'nap', minMs: 200, logicalMs: 200 }] },
  },
  {
    name: 'time-wait-until-past',
    description: 'A time.wait until a time already past completes at once.',
    covers: ['time.wait'],
    definition: workflow('time-wait-until-past', [{ id: 'nap', type: 'time.wait', until: '2000-01-01T00:00:00Z' }]),
    input: null,
    expected: { status: 'SUCCEEDED', stepTrace: ['nap:SUCCEEDED'], timings: [{ path: 'nap', minMs: 0, logicalMs: 0 }] },
  },
  {
    name: 'human-task-completed',
    description: 'A human task opens with an evaluated title; a valid response is saved.',
    covers: ['human.task', 'formSchema'],
    definition: workflow('human-task-completed', [
      { id: 'approve', type: 'human.task', taskType: 'approval', title: expr("'Approve ' & input.invoiceId"), assignee: 'finance', formSchema: approvalForm, saveAs: 'vars.decision' },
      { id: 'ret', type: 'control.return', output: expr('vars.decision') },
    ]),
    input: { invoiceId: 'inv-3' },
    script: [{ kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: true, comment: 'ok' }, completedBy: 'alice' }],
    expected: { status: 'SUCCEEDED', output: { approved: true, comment: 'ok' }, stepTrace: ['approve:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'human-task-invalid-response-then-valid',
    description: 'A response failing the form schema is refused (VALIDATION_ERROR) and the task stays open; a valid one completes it.',
    covers: ['human.task', 'formSchema'],
    definition: workflow('human-task-invalid-response-then-valid', [
      { id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', formSchema: approvalForm, saveAs: 'vars.decision' },
    ]),
    input: null,
    script: [
      { kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: 'yes' }, expectRejected: true },
      { kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: false, extra: 1 }, expectRejected: true },
      { kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: false } },
    ],
    expected: { status: 'SUCCEEDED', output: { decision: { approved: false } }, stepTrace: ['approve:SUCCEEDED'] },
  },
  {
    name: 'human-task-timeout-caught',
    description: 'A task not completed within timeoutMs raises TimeoutError (here caught: escalate).',
    covers: ['human.task', 'timeout', 'control.tryCatch'],
    definition: workflow('human-task-timeout-caught', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: 300 }],
        catch: [{ id: 'escalate', type: 'transform.assign', assign: { 'vars.escalated': expr('error.code') } }],
      },
    ]),
    input: null,
    expected: {
      status: 'SUCCEEDED',
      output: { escalated: 'TASK_TIMEOUT' },
      stepTrace: ['guard:SUCCEEDED', 'guard/approve:FAILED', 'guard/escalate:SUCCEEDED'],
      timings: [{ path: 'guard/approve', minMs: 300, logicalMs: 300 }],
    },
  },
];
