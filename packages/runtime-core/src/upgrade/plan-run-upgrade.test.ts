import type { Step, WorkflowDefinition } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { at, command, feed, flow, start, trace } from '../interpreter/__fixtures__/drive.js';
import { runVariables } from '../interpreter/queries.js';
import type { InterpreterState } from '../interpreter/state.js';
import { planRunUpgrade } from './plan-run-upgrade.js';

const wait = (id: string, eventName: string): Step => ({ id, type: 'event.wait', eventName, correlationKey: 'k', saveAs: `vars.${id}` }) as Step;
const assign = (id: string, set: Record<string, unknown>): Step => ({ id, type: 'transform.assign', assign: set }) as Step;
const ret: Step = { id: 'done', type: 'control.return', output: { $expr: 'vars' } } as Step;

const V1 = flow([assign('init', { 'vars.n': 1 }), wait('paid', 'PAID'), wait('shipped', 'SHIPPED'), ret]);
/** v2: a step before the wait (never run by a moved run), one after it (run), `shipped` unchanged. */
const V2: WorkflowDefinition = {
  ...V1,
  version: '2.0.0',
  steps: [assign('init', { 'vars.n': 1 }), assign('audit', { 'vars.audited': true }), wait('paid', 'PAID'), assign('fee', { 'vars.fee': 5 }), wait('shipped', 'SHIPPED'), ret],
};
const from = { version: '1.0.0', definition: V1 };
const to = { version: '2.0.0', definition: V2 };

const event = (waitId: string, eventName: string, eventId: string) => ({
  type: 'EventReceived' as const,
  now: at(10),
  waitId,
  event: { eventId, eventName, correlationKey: 'k', payload: { eventId } },
});

async function waitingAtPaid(definition = V1): Promise<InterpreterState> {
  return (await start(definition, { id: 'o-1' })).state;
}

describe('planRunUpgrade', () => {
  it('moves a run waiting at an unchanged step: same variables and wait, the version and positions of v2; it then runs v2\'s remaining steps', async () => {
    const before = await waitingAtPaid();
    const decision = planRunUpgrade(from, to, before);
    if (decision.kind !== 'move') throw new Error(JSON.stringify(decision));
    const moved = decision.state;
    expect(moved.context.version).toBe('2.0.0');
    expect(runVariables(moved)).toEqual(runVariables(before));
    expect(moved.outstanding).toEqual(before.outstanding);
    expect(moved.stack).toEqual([{ kind: 'block', owner: null, branch: 'steps', index: 2 }]);
    // the original state is untouched
    expect(before.context.version).toBe('1.0.0');
    expect(before.stack[0]).toMatchObject({ index: 1 });

    const waitId = command(await start(V1, { id: 'o-1' }), 'AwaitEvent').waitId;
    const paid = await feed(V2, moved, event(waitId, 'PAID', 'e1'));
    expect(paid.accepted).toBe(true);
    expect(trace(paid)).toContain('fee:SUCCEEDED');
    expect(trace(paid).some((t) => t.startsWith('audit'))).toBe(false);
    const shipWait = command(paid, 'AwaitEvent').waitId;
    const done = await feed(V2, paid, event(shipWait, 'SHIPPED', 'e2'));
    expect(done.state.status).toBe('succeeded');
    // `fee` (after the wait, new in v2) ran; `audit` (before it) did not
    expect(done.state.output).toEqual({ n: 1, paid: { eventId: 'e1', eventName: 'PAID', correlationKey: 'k', payload: { eventId: 'e1' } }, fee: 5, shipped: expect.anything() });
  });

  it('skips a run whose wait step changed (CANNOT_MOVE STEP_CHANGED) or was removed', async () => {
    const changed = { version: '2.0.0', definition: { ...V1, version: '2.0.0', steps: [assign('init', { 'vars.n': 1 }), wait('paid', 'PAID_V2'), ret] } };
    expect(planRunUpgrade(from, changed, await waitingAtPaid())).toEqual({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'STEP_CHANGED', stepPath: 'steps[1]' });
    const removed = { version: '2.0.0', definition: { ...V1, version: '2.0.0', steps: [wait('shipped', 'SHIPPED'), ret] } };
    expect(planRunUpgrade(from, removed, await waitingAtPaid())).toEqual({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'STEP_REMOVED', stepPath: 'steps[1]' });
  });

  it('a run that continues as new is MOVES_AT_CONTINUE_AS_NEW when it cannot move now', async () => {
    const loop = flow([wait('tick', 'TICK'), { id: 'again', type: 'control.continueAsNew' } as Step]);
    const loop2 = { ...loop, version: '2.0.0', steps: [wait('tick', 'TOCK'), { id: 'again', type: 'control.continueAsNew' } as Step] };
    const state = (await start(loop, null)).state;
    expect(planRunUpgrade({ version: '1.0.0', definition: loop }, { version: '2.0.0', definition: loop2 }, state)).toMatchObject({
      kind: 'skip',
      class: 'MOVES_AT_CONTINUE_AS_NEW',
      reason: 'STEP_CHANGED',
    });
  });

  it('skips a run that moved on since the plan: running an action (NOT_AT_A_WAIT), finished, or already on another version', async () => {
    const acting = flow([{ id: 'call', type: 'action.call', action: 'kit.echo', input: {} } as Step, wait('paid', 'PAID')]);
    const running = (await start(acting)).state;
    expect(planRunUpgrade({ version: '1.0.0', definition: acting }, { version: '2.0.0', definition: { ...acting, version: '2.0.0' } }, running)).toMatchObject({
      kind: 'skip',
      class: 'CANNOT_MOVE',
      reason: 'NOT_AT_A_WAIT',
    });
    const waiting = await waitingAtPaid();
    const moved = planRunUpgrade(from, to, waiting);
    if (moved.kind !== 'move') throw new Error('expected a move');
    // never moved twice: the moved state is on 2.0.0 now
    expect(planRunUpgrade(from, to, moved.state)).toEqual({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'NOT_ON_FROM_VERSION' });
    const waitId = command(await start(V1, { id: 'o-1' }), 'AwaitEvent').waitId;
    const paid = await feed(V1, waiting, event(waitId, 'PAID', 'e1'));
    const done = await feed(V1, paid, event(command(paid, 'AwaitEvent').waitId, 'SHIPPED', 'e2'));
    expect(planRunUpgrade(from, to, done.state)).toEqual({ kind: 'skip', class: 'CANNOT_MOVE', reason: 'RUN_FINISHED' });
  });

  it('skips a run inside a container that changed in v2, and re-indexes positions inside an unchanged one', async () => {
    const inIf = flow([assign('init', { 'vars.n': 1 }), { id: 'branch', type: 'control.if', condition: true, then: [wait('paid', 'PAID'), ret], else: [] } as Step]);
    const state = (await start(inIf)).state;
    const condChanged = { ...inIf, version: '2.0.0', steps: [assign('init', { 'vars.n': 1 }), { id: 'branch', type: 'control.if', condition: false, then: [wait('paid', 'PAID'), ret], else: [] } as Step] };
    expect(planRunUpgrade({ version: '1.0.0', definition: inIf }, { version: '2.0.0', definition: condChanged }, state)).toEqual({
      kind: 'skip',
      class: 'CANNOT_MOVE',
      reason: 'STEP_CHANGED',
      stepPath: 'steps[1]',
    });
    const shifted = {
      ...inIf,
      version: '2.0.0',
      steps: [
        assign('new-first', { 'vars.x': 1 }),
        assign('init', { 'vars.n': 1 }),
        { id: 'branch', type: 'control.if', condition: true, then: [assign('pre', { 'vars.pre': 1 }), wait('paid', 'PAID'), ret], else: [] } as Step,
      ],
    };
    const decision = planRunUpgrade({ version: '1.0.0', definition: inIf }, { version: '2.0.0', definition: shifted }, state);
    if (decision.kind !== 'move') throw new Error(JSON.stringify(decision));
    expect(decision.state.stack.filter((f) => f.kind === 'block').map((f) => (f as { index: number }).index)).toEqual([2, 1]);
  });
});
