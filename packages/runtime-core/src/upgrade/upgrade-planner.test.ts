import { describe, expect, it } from 'vitest';
import { classifyRun, continuesAsNew } from './classify-run.js';
import { diffStepTrees } from './step-tree-diff.js';

const wait = (id: string, eventName: string) => ({ id, type: 'event.wait', eventName, correlationKey: '${input.id}' });

const v1 = {
  name: 'orders.flow',
  version: '1.0.0',
  inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  steps: [
    wait('paid', 'order.paid'),
    { id: 'check', type: 'control.if', condition: true, then: [wait('shipped', 'order.shipped')], else: [] },
    wait('delivered', 'order.delivered'),
    { id: 'old', type: 'control.return' },
  ],
};

/** v2: `shipped` waits for another event, `delivered` is gone, `done` is new, `paid` and `check` unchanged. */
const v2 = {
  ...v1,
  version: '2.0.0',
  steps: [
    wait('paid', 'order.paid'),
    { id: 'check', type: 'control.if', condition: true, then: [wait('shipped', 'order.dispatched')], else: [] },
    { id: 'old', type: 'control.return' },
    { id: 'done', type: 'control.return' },
  ],
};

const diff = diffStepTrees(v1, v2);
const plan = { from: { definition: v1 }, to: { definition: v2 }, diff };
const waitingAt = (...stepIds: string[]) => ({ status: 'WAITING' as const, input: { id: 'o-1' }, waits: stepIds.map((stepId) => ({ stepId })) });

describe('diffStepTrees', () => {
  it('lists added, removed and changed steps by id with their paths; a changed child does not change its container', () => {
    expect(diff).toEqual({
      added: [{ stepId: 'done', path: 'steps[3]' }],
      removed: [{ stepId: 'delivered', path: 'steps[2]' }],
      changed: [{ stepId: 'shipped', path: 'steps[1].then[0]' }],
    });
  });

  it('a step moved into another step list is changed; one shifted within its list is not', () => {
    const moved = { ...v1, steps: [{ id: 'first', type: 'control.return' }, wait('paid', 'order.paid'), { ...v1.steps[1], then: [v1.steps[3]] }, v1.steps[2]] };
    expect(diffStepTrees(v1, moved)).toEqual({
      added: [{ stepId: 'first', path: 'steps[0]' }],
      removed: [{ stepId: 'shipped', path: 'steps[1].then[0]' }],
      changed: [{ stepId: 'old', path: 'steps[2].then[0]' }],
    });
  });

  it('ignores key order and reports nothing for the same tree', () => {
    const reordered = { ...v1, steps: [{ correlationKey: '${input.id}', eventName: 'order.paid', type: 'event.wait', id: 'paid' }, ...v1.steps.slice(1)] };
    expect(diffStepTrees(v1, reordered)).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('classifyRun', () => {
  it('MOVES_NOW: waiting at a step unchanged in the new version', () => {
    expect(classifyRun(plan, waitingAt('paid'))).toEqual({ class: 'MOVES_NOW', stepPath: 'steps[0]' });
  });

  it('CANNOT_MOVE STEP_CHANGED: waiting at a step whose definition changed', () => {
    expect(classifyRun(plan, waitingAt('shipped'))).toEqual({ class: 'CANNOT_MOVE', reason: 'STEP_CHANGED', stepPath: 'steps[1].then[0]' });
  });

  it('CANNOT_MOVE STEP_REMOVED: waiting at a step the new version removed', () => {
    expect(classifyRun(plan, waitingAt('delivered'))).toEqual({ class: 'CANNOT_MOVE', reason: 'STEP_REMOVED', stepPath: 'steps[2]' });
  });

  it('CANNOT_MOVE NOT_AT_A_WAIT: a RUNNING run (executing a step) is not at a wait', () => {
    expect(classifyRun(plan, { status: 'RUNNING', input: { id: 'o-1' }, waits: [] })).toEqual({ class: 'CANNOT_MOVE', reason: 'NOT_AT_A_WAIT' });
  });

  it('CANNOT_MOVE INPUT_INCOMPATIBLE: the new inputSchema rejects the run input; an unchanged schema is not re-checked', () => {
    const stricter = { ...v2, inputSchema: { type: 'object', required: ['id', 'customer'] } };
    const strictPlan = { ...plan, to: { definition: stricter }, diff: diffStepTrees(v1, stricter) };
    expect(classifyRun(strictPlan, waitingAt('paid'))).toEqual({ class: 'CANNOT_MOVE', reason: 'INPUT_INCOMPATIBLE', stepPath: 'steps[0]' });
    expect(classifyRun(strictPlan, { ...waitingAt('paid'), input: { id: 'o-1', customer: 'c' } }).class).toBe('MOVES_NOW');
    expect(classifyRun(plan, { ...waitingAt('paid'), input: 'not even an object' }).class).toBe('MOVES_NOW');
  });

  it('every wait must be movable: one changed wait blocks the run', () => {
    expect(classifyRun(plan, waitingAt('paid', 'shipped')).reason).toBe('STEP_CHANGED');
  });

  it('MOVES_AT_CONTINUE_AS_NEW: not movable now, but the old version continues as new without pinning its version', () => {
    const loop = (pinVersion?: boolean) => ({ ...v1, steps: [...v1.steps.slice(0, 3), { id: 'again', type: 'control.continueAsNew', ...(pinVersion === undefined ? {} : { pinVersion }) }] });
    const loopPlan = (def: unknown) => ({ from: { definition: def }, to: { definition: v2 }, diff: diffStepTrees(def, v2) });
    expect(continuesAsNew(loop())).toBe(true);
    expect(continuesAsNew(loop(true))).toBe(false);
    expect(classifyRun(loopPlan(loop()), waitingAt('shipped'))).toEqual({ class: 'MOVES_AT_CONTINUE_AS_NEW', reason: 'STEP_CHANGED', stepPath: 'steps[1].then[0]' });
    expect(classifyRun(loopPlan(loop()), waitingAt('paid')).class).toBe('MOVES_NOW');
    expect(classifyRun(loopPlan(loop(true)), waitingAt('shipped')).class).toBe('CANNOT_MOVE');
  });
});
