import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

/** Cancellation: an input, never caught. */
export const cancellationScenarios: ConformanceScenario[] = [
  {
    name: 'cancel-during-event-wait',
    description: 'Cancelling a run waiting for an event ends it CANCELED; an enclosing tryCatch does not catch it.',
    covers: ['cancel', 'event.wait', 'control.tryCatch'],
    definition: workflow('cancel-during-event-wait', [
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'wait', type: 'event.wait', eventName: 'NEVER', correlationKey: 'k' }],
        catch: [{ id: 'caught', type: 'transform.assign', assign: { 'vars.caught': true } }],
      },
    ]),
    input: null,
    script: [{ kind: 'cancel', whenWaitingOn: 'wait', reason: 'customer left' }],
    expected: { status: 'CANCELED', error: { category: 'Canceled' }, stepTrace: ['guard:CANCELED', 'guard/wait:CANCELED'] },
  },
  {
    name: 'cancel-during-human-task',
    description: 'Cancelling a run waiting on a human task ends it CANCELED.',
    covers: ['cancel', 'human.task'],
    definition: workflow('cancel-during-human-task', [{ id: 'approve', type: 'human.task', taskType: 'approval', title: 'Approve', timeoutMs: 60_000 }]),
    input: null,
    script: [{ kind: 'cancel', whenWaitingOn: 'approve', reason: 'withdrawn' }],
    expected: { status: 'CANCELED', stepTrace: ['approve:CANCELED'] },
  },
  {
    name: 'cancel-during-sleep-in-loop',
    description: 'Cancelling during a durable timer inside a loop ends it CANCELED; enclosing steps are CANCELED too.',
    covers: ['cancel', 'time.wait', 'control.forEach'],
    definition: workflow('cancel-during-sleep-in-loop', [
      { id: 'loop', type: 'control.forEach', items: [1, 2, 3], body: [{ id: 'nap', type: 'time.wait', durationMs: expr('item * 60000') }] },
    ]),
    input: null,
    script: [{ kind: 'cancel', whenWaitingOn: 'nap', reason: 'stop' }],
    expected: { status: 'CANCELED', stepTrace: ['loop:CANCELED', 'loop[0]/nap:CANCELED'] },
  },
];
