import type { ConformanceScenario } from '../scenario.js';
import { expr, workflow } from './define.js';

/** control.continueAsNew: fresh state, input carried, generations. */
export const continueAsNewScenarios: ConformanceScenario[] = [
  {
    name: 'continue-as-new-counter',
    description: 'Each generation starts with fresh vars and the new input; the state is carried through the input.',
    covers: ['control.continueAsNew', 'control.if', 'transform.assign'],
    definition: workflow('continue-as-new-counter', [
      { id: 'note', type: 'transform.assign', assign: { 'vars.seen': expr('append(input.seen, input.n)') } },
      {
        id: 'more',
        type: 'control.if',
        condition: expr('input.n < 2'),
        then: [{ id: 'again', type: 'control.continueAsNew', input: { n: expr('input.n + 1'), seen: expr('vars.seen') } }],
      },
      { id: 'ret', type: 'control.return', output: { n: expr('input.n'), seen: expr('vars.seen'), fresh: expr('$exists(vars.stale) = false') } },
    ]),
    input: { n: 0, seen: [] },
    expected: {
      status: 'SUCCEEDED',
      output: { n: 2, seen: [0, 1, 2], fresh: true },
      stepTrace: [
        'note:SUCCEEDED',
        'more:SUCCEEDED',
        'more/again:SUCCEEDED',
        'g1:note:SUCCEEDED',
        'g1:more:SUCCEEDED',
        'g1:more/again:SUCCEEDED',
        'g2:note:SUCCEEDED',
        'g2:more:SUCCEEDED',
        'g2:ret:SUCCEEDED',
      ],
    },
  },
  {
    name: 'continue-as-new-pinned-keeps-version',
    description: 'pinVersion keeps the run on its version; default input is the current input.',
    covers: ['control.continueAsNew'],
    definition: workflow('continue-as-new-pinned-keeps-version', [
      {
        id: 'first',
        type: 'control.if',
        condition: expr('$exists(input.round) = false'),
        then: [{ id: 'again', type: 'control.continueAsNew', input: { round: 2, version: expr('run.version') }, pinVersion: true }],
      },
      { id: 'ret', type: 'control.return', output: { before: expr('input.version'), after: expr('run.version') } },
    ]),
    input: {},
    expected: { status: 'SUCCEEDED', output: { before: '1.0.0', after: '1.0.0' } },
  },
];
