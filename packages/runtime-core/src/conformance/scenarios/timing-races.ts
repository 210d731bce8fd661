import type { ConformanceScenario } from '../scenario.js';
import { call, expr, workflow } from './define.js';

/** Inputs that arrive at the edges: during an action, with a timer pending, on a child, at a timeout. */
export const timingRaceScenarios: ConformanceScenario[] = [
  {
    name: 'cancel-during-action',
    description: 'Cancelling while an action runs ends the run CANCELED at once; the action\'s late result is refused, the step is CANCELED.',
    covers: ['cancel', 'action.call', 'timing'],
    definition: workflow('cancel-during-action', [
      // (a short action first: see event-inbox.ts `prep`)
      call('warm', 'kit.echo', 'warm'),
      call('slow', 'kit.sleep', { ms: 1500 }, { saveAs: 'vars.slept' }),
      { id: 'after', type: 'transform.assign', assign: { 'vars.after': true } },
    ]),
    input: null,
    script: [{ kind: 'cancel', whenRunning: 'slow', reason: 'stop now' }],
    expected: {
      status: 'CANCELED',
      error: { category: 'Canceled', code: 'RUN_CANCELED', message: 'stop now' },
      stepTrace: ['warm:SUCCEEDED', 'slow:CANCELED'],
      stableForMs: 1700,
    },
  },
  {
    name: 'cancel-waiting-run-with-pending-timer',
    description: 'Cancelling a run whose event wait has a timeout timer pending ends it CANCELED; the timer never fires afterwards (no timeout, no catch).',
    covers: ['cancel', 'event.wait', 'timeout', 'control.tryCatch', 'timing'],
    definition: workflow('cancel-waiting-run-with-pending-timer', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k-timer', timeoutMs: 400 }],
        catch: [{ id: 'timedOut', type: 'transform.assign', assign: { 'vars.timedOut': true } }],
      },
    ]),
    input: null,
    script: [{ kind: 'cancel', whenWaitingOn: 'wait', reason: 'before the timeout' }],
    expected: {
      status: 'CANCELED',
      error: { category: 'Canceled', code: 'RUN_CANCELED' },
      stepTrace: ['guard:CANCELED', 'guard/wait:CANCELED'],
      stableForMs: 700,
    },
  },
  {
    name: 'call-workflow-child-canceled',
    description: 'A child run cancelled on its own fails the parent step with ChildWorkflowError, cause CHILD_CANCELED (catchable), on every engine.',
    covers: ['control.callWorkflow', 'cancel', 'control.tryCatch', 'captureErrorAs'],
    definition: workflow('call-workflow-child-canceled', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        captureErrorAs: 'vars.err',
        try: [{ id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-waits-forever', input: null }],
        catch: [],
      },
      {
        id: 'out',
        type: 'control.return',
        output: { category: expr('vars.err.category'), code: expr('vars.err.code'), cause: expr('vars.err.details.cause.code'), causeCategory: expr('vars.err.details.cause.category') },
      },
    ]),
    children: [workflow('child-waits-forever', [{ id: 'forever', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k-child' }])],
    input: null,
    script: [{ kind: 'cancel', child: 'child', whenWaitingOn: 'forever', reason: 'child withdrawn' }],
    expected: {
      status: 'SUCCEEDED',
      output: { category: 'ChildWorkflowError', code: 'CHILD_WORKFLOW_FAILED', cause: 'CHILD_CANCELED', causeCategory: 'ChildWorkflowError' },
      stepTrace: ['guard:SUCCEEDED', 'guard/child:FAILED', 'out:SUCCEEDED'],
    },
  },
  {
    name: 'cancel-parent-cancels-waiting-child',
    description: 'Cancelling a parent that waits for its child ends the parent CANCELED with the child step CANCELED.',
    covers: ['control.callWorkflow', 'cancel'],
    definition: workflow('cancel-parent-cancels-waiting-child', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.child-waits-forever', input: null },
    ]),
    children: [workflow('child-waits-forever', [{ id: 'forever', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k-child' }])],
    input: null,
    script: [{ kind: 'cancel', whenWaitingOn: 'child', reason: 'parent withdrawn' }],
    expected: { status: 'CANCELED', error: { category: 'Canceled', code: 'RUN_CANCELED' }, stepTrace: ['child:CANCELED'] },
  },
  {
    name: 'call-workflow-unknown-child-uncaught',
    description: 'A callWorkflow of a workflow that was never published fails the run: ChildWorkflowError with cause CHILD_UNRESOLVABLE.',
    covers: ['control.callWorkflow'],
    definition: workflow('call-workflow-unknown-child-uncaught', [
      { id: 'child', type: 'control.callWorkflow', workflow: 'conformance.never-published', input: null },
    ]),
    input: null,
    expected: { status: 'FAILED', error: { category: 'ChildWorkflowError', code: 'CHILD_WORKFLOW_FAILED', stepId: 'child' }, stepTrace: ['child:FAILED'] },
  },
  {
    name: 'human-task-completed-before-timeout',
    description: 'A completion that arrives before the task\'s timeout wins: the timeout timer is dropped and never fires while the run goes on.',
    covers: ['human.task', 'timeout', 'time.wait'],
    definition: workflow('human-task-completed-before-timeout', [
      { id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: 500, saveAs: 'vars.decision' },
      { id: 'nap', type: 'time.wait', durationMs: 700 },
      { id: 'ret', type: 'control.return', output: expr('vars.decision') },
    ]),
    input: null,
    script: [{ kind: 'completeTask', whenWaitingOn: 'approve', response: { approved: true } }],
    expected: { status: 'SUCCEEDED', output: { approved: true }, stepTrace: ['approve:SUCCEEDED', 'nap:SUCCEEDED', 'ret:SUCCEEDED'] },
  },
  {
    name: 'human-task-completion-after-timeout',
    description:
      'A completion that arrives after the task timed out loses the race: the run takes the timeout path and the completion is refused (the task is closed).',
    covers: ['human.task', 'timeout', 'control.tryCatch', 'timing'],
    definition: workflow('human-task-completion-after-timeout', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: 300, saveAs: 'vars.decision' }],
        catch: [{ id: 'escalate', type: 'time.wait', durationMs: 800 }],
      },
      { id: 'ret', type: 'control.return', output: { decided: expr('$exists(vars.decision)') } },
    ]),
    input: null,
    script: [{ kind: 'completeTask', whenFinished: 'guard/approve', response: { approved: true }, expectRejected: 'closed' }],
    expected: {
      status: 'SUCCEEDED',
      output: { decided: false },
      stepTrace: ['guard:SUCCEEDED', 'guard/approve:FAILED', 'guard/escalate:SUCCEEDED', 'ret:SUCCEEDED'],
    },
  },
];

/**
 * Scenarios the engines do not agree on yet, kept out of `conformanceScenarios` until the driver
 * decision they expose moves into runtime-core: run them with
 * `runConformance(harness, { scenarios: divergentScenarios })`. None today: the last one
 * (`human-task-completion-after-timeout`) joined the kit once `decideTaskCompletion` decided it
 * for every engine.
 */
export const divergentScenarios: ConformanceScenario[] = [];
