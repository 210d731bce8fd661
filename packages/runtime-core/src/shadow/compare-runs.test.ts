import { describe, expect, it } from 'vitest';
import type { StepRecord } from '@baton/event-schemas';
import { compareShadowRuns, type ComparedRun } from './compare-runs.js';

function step(path: string, status: StepRecord['status'], attempt = 1, extra: Partial<StepRecord> = {}): StepRecord {
  const stepId = path.split('/').pop()!.replace(/\[\d+\]$/, '');
  return { key: `${stepId}@0`, stepId, stepType: 'action.call', path, iteration: '0', generation: 0, seq: 0, status, attempt, startedAt: '2026-01-01T00:00:00.000Z', ...extra };
}

const primary: ComparedRun = {
  status: 'SUCCEEDED',
  output: { total: 3, items: ['a', 'b'] },
  steps: [step('charge', 'SUCCEEDED', 2), step('loop', 'SUCCEEDED'), step('loop[0]/ship', 'SUCCEEDED')],
};

describe('compareShadowRuns', () => {
  it('matches runs that did the same, whatever their timings, ids and key order', () => {
    const shadow: ComparedRun = {
      status: 'SUCCEEDED',
      output: { items: ['a', 'b'], total: 3 },
      steps: primary.steps.map((s) => ({ ...s, startedAt: '2026-05-05T00:00:00.000Z', completedAt: '2026-05-05T00:00:01.000Z', output: 'other' })),
    };
    expect(compareShadowRuns(primary, shadow)).toEqual({ result: 'MATCH' });
  });

  it('reports the first step that differs: path, status, then attempts', () => {
    const attempts = { ...primary, steps: [step('charge', 'SUCCEEDED', 1), ...primary.steps.slice(1)] };
    expect(compareShadowRuns(primary, attempts)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'charge', field: 'attempts', primary: 2, shadow: 1 } });
    const status = { ...primary, steps: [primary.steps[0]!, primary.steps[1]!, step('loop[0]/ship', 'FAILED')] };
    expect(compareShadowRuns(primary, status)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'loop[0]/ship', field: 'status', primary: 'SUCCEEDED', shadow: 'FAILED' } });
    const missing = { ...primary, steps: primary.steps.slice(0, 2) };
    expect(compareShadowRuns(primary, missing)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'loop[0]/ship', field: 'step', primary: 'SUCCEEDED', shadow: null } });
    const other = { ...primary, steps: [primary.steps[0]!, step('skip', 'SUCCEEDED'), primary.steps[2]!] };
    expect(compareShadowRuns(primary, other)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'loop', field: 'step', primary: 'loop', shadow: 'skip' } });
  });

  it("reports the step inside a container before the container's status", () => {
    const withLoop: ComparedRun = { ...primary, steps: [step('charge', 'SUCCEEDED', 2), step('loop', 'SUCCEEDED', 1, { stepType: 'control.forEach' }), step('loop[0]/ship', 'SUCCEEDED')] };
    const failed = { ...withLoop, steps: [withLoop.steps[0]!, { ...withLoop.steps[1]!, status: 'FAILED' as const }, step('loop[0]/ship', 'FAILED')] };
    expect(compareShadowRuns(withLoop, failed)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'loop[0]/ship', field: 'status', primary: 'SUCCEEDED', shadow: 'FAILED' } });
    const onlyLoop = { ...withLoop, steps: [withLoop.steps[0]!, { ...withLoop.steps[1]!, status: 'FAILED' as const }, withLoop.steps[2]!] };
    expect(compareShadowRuns(withLoop, onlyLoop)).toEqual({ result: 'DIFFERENT', firstDifference: { path: 'loop', field: 'status', primary: 'SUCCEEDED', shadow: 'FAILED' } });
  });

  it('then compares the run: status, error category and code, output', () => {
    const error = { category: 'ActionError', code: 'X', message: 'm' } as const;
    expect(compareShadowRuns(primary, { ...primary, status: 'FAILED', error })).toMatchObject({ firstDifference: { path: '$', field: 'status', primary: 'SUCCEEDED', shadow: 'FAILED' } });
    const failed: ComparedRun = { ...primary, status: 'FAILED', output: undefined, error };
    expect(compareShadowRuns(failed, { ...failed, error: { ...error, category: 'TransientError' } })).toMatchObject({ firstDifference: { field: 'errorCategory', primary: 'ActionError', shadow: 'TransientError' } });
    expect(compareShadowRuns(failed, { ...failed, error: { ...error, code: 'Y', message: 'other message' } })).toMatchObject({ firstDifference: { field: 'errorCode', primary: 'X', shadow: 'Y' } });
    expect(compareShadowRuns(failed, { ...failed, error: { ...error, message: 'other message' } })).toEqual({ result: 'MATCH' });
    expect(compareShadowRuns(primary, { ...primary, output: { total: 4 } })).toEqual({
      result: 'DIFFERENT',
      firstDifference: { path: '$', field: 'output', primary: primary.output!, shadow: { total: 4 } },
    });
  });

  it('reports a call the primary never made at that call', () => {
    const stopped: ComparedRun = {
      status: 'FAILED',
      steps: primary.steps,
      error: { category: 'ActionError', code: 'ACTION_NOT_CALLED_BY_PRIMARY', message: 'm', stepId: 'ship', details: { path: 'loop[1]/ship', action: 'shop.ship', attempt: 1 } },
    };
    expect(compareShadowRuns(primary, stopped)).toEqual({
      result: 'DIFFERENT',
      firstDifference: { path: 'loop[1]/ship', field: 'ACTION_NOT_CALLED_BY_PRIMARY', primary: null, shadow: 'shop.ship (attempt 1)' },
    });
  });
});
