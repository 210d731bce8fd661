import { describe, expect, it } from 'vitest';
import { planReconciliation, ReconcileErrorCode } from './plan-reconciliation.js';

const NOW = '2026-12-03T12:00:00.000Z';
const CLOSED = '2026-12-03T11:00:00.000Z';
const running = { status: 'RUNNING' as const, hasProgress: true };

describe('planReconciliation', () => {
  it('keeps a finished projection and one whose execution is open', () => {
    expect(planReconciliation({ status: 'SUCCEEDED', hasProgress: true }, { kind: 'missing' }, NOW)).toEqual({ kind: 'keep' });
    expect(planReconciliation({ status: 'FAILED', hasProgress: true }, { kind: 'closedExternally', engineStatus: 'TERMINATED' }, NOW)).toEqual({ kind: 'keep' });
    expect(planReconciliation({ status: 'WAITING', hasProgress: true }, { kind: 'open' }, NOW)).toEqual({ kind: 'keep' });
  });

  it('fails a run whose execution was terminated outside Baton with WORKFLOW_CLOSED_EXTERNALLY and what the engine says', () => {
    const decision = planReconciliation(running, { kind: 'closedExternally', engineStatus: 'TERMINATED', reason: 'ops cleanup', closedAt: CLOSED }, NOW);
    expect(decision).toEqual({
      kind: 'finish',
      patch: {
        status: 'FAILED',
        error: {
          category: 'TransientError',
          code: ReconcileErrorCode.WORKFLOW_CLOSED_EXTERNALLY,
          message: 'the engine closed the execution outside Baton (TERMINATED: ops cleanup)',
          details: { engineStatus: 'TERMINATED', reason: 'ops cleanup', closedAt: CLOSED },
        },
        currentStepId: null,
        completedAt: CLOSED,
        updatedAt: NOW,
      },
    });
  });

  it('a timed-out execution is a TimeoutError', () => {
    const decision = planReconciliation({ status: 'WAITING', hasProgress: true }, { kind: 'closedExternally', engineStatus: 'TIMED_OUT' }, NOW);
    expect(decision.kind === 'finish' && decision.patch.error).toMatchObject({ category: 'TimeoutError', code: 'WORKFLOW_CLOSED_EXTERNALLY', details: { engineStatus: 'TIMED_OUT' } });
  });

  it('a missing execution fails a run that made progress (WORKFLOW_NOT_FOUND) and restarts one that never did', () => {
    const decision = planReconciliation(running, { kind: 'missing' }, NOW);
    expect(decision).toMatchObject({ kind: 'finish', patch: { status: 'FAILED', error: { category: 'TransientError', code: 'WORKFLOW_NOT_FOUND' }, completedAt: NOW } });
    expect(planReconciliation({ status: 'RUNNING', hasProgress: false }, { kind: 'missing' }, NOW)).toEqual({ kind: 'restart' });
  });

  it('gives the real outcome of an execution that ended while the projection missed it', () => {
    expect(planReconciliation(running, { kind: 'completed', output: { total: 3 }, closedAt: CLOSED }, NOW)).toEqual({
      kind: 'finish',
      patch: { status: 'SUCCEEDED', output: { total: 3 }, error: null, currentStepId: null, completedAt: CLOSED, updatedAt: NOW },
    });
    const error = { category: 'ActionError' as const, code: 'BOOM', message: 'boom', stepId: 's1' };
    expect(planReconciliation(running, { kind: 'failed', error }, NOW)).toMatchObject({ kind: 'finish', patch: { status: 'FAILED', error } });
    expect(planReconciliation(running, { kind: 'canceled' }, NOW)).toMatchObject({
      kind: 'finish',
      patch: { status: 'CANCELED', error: { category: 'Canceled', code: 'RUN_CANCELED' } },
    });
  });
});
