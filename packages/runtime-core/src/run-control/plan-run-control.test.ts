import type { RunStatus } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { defineCapabilities } from '../engine/engine-capabilities.js';
import { planRunControl, type RunControlAction } from './plan-run-control.js';

const dbCaps = defineCapabilities({ retryFailedRun: true, adminResume: true });
const temporalCaps = defineCapabilities();

function codeOf(status: RunStatus, action: RunControlAction, engine: 'db' | 'temporal' = 'db', openWaitCount = 0): string {
  const plan = planRunControl({ runId: 'r1', engine, status, openWaitCount }, action, engine === 'db' ? dbCaps : temporalCaps);
  return plan.kind === 'perform' ? 'perform' : plan.error.code;
}

describe('planRunControl', () => {
  it('cancels any unfinished run on either engine, and refuses a finished one', () => {
    for (const engine of ['db', 'temporal'] as const) {
      expect(codeOf('RUNNING', 'cancel', engine)).toBe('perform');
      expect(codeOf('WAITING', 'cancel', engine)).toBe('perform');
      for (const s of ['SUCCEEDED', 'FAILED', 'CANCELED'] as const) expect(codeOf(s, 'cancel', engine)).toBe('RUN_ALREADY_FINISHED');
    }
  });

  it('retries only a FAILED Postgres run', () => {
    expect(codeOf('FAILED', 'retry')).toBe('perform');
    for (const s of ['RUNNING', 'WAITING', 'SUCCEEDED', 'CANCELED'] as const) expect(codeOf(s, 'retry')).toBe('RUN_NOT_FAILED');
  });

  it('resumes only a waiting Postgres run', () => {
    expect(codeOf('WAITING', 'resume')).toBe('perform');
    expect(codeOf('RUNNING', 'resume', 'db', 1)).toBe('perform');
    expect(codeOf('RUNNING', 'resume')).toBe('RUN_NOT_WAITING');
    expect(codeOf('SUCCEEDED', 'resume')).toBe('RUN_ALREADY_FINISHED');
  });

  it('refuses retry and resume of a Temporal run whatever its status, with the SPEC-api body', () => {
    for (const s of ['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const) {
      expect(codeOf(s, 'retry', 'temporal')).toBe('WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED');
      expect(codeOf(s, 'resume', 'temporal')).toBe('WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED');
    }
    const plan = planRunControl({ runId: 'r9', engine: 'temporal', status: 'FAILED' }, 'retry', temporalCaps);
    expect(plan.kind).toBe('refuse');
    if (plan.kind !== 'refuse') return;
    expect(plan.error.httpStatus).toBe(409);
    expect(plan.body.error).toMatchObject({ code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', action: 'retry', engine: 'temporal', runId: 'r9' });
    expect(typeof plan.body.error.hint).toBe('string');
    expect(typeof plan.body.error.message).toBe('string');
  });

  it('refuses an action the engine lacks the capability for, and any action on an engine not wired', () => {
    const plain = defineCapabilities();
    const plan = planRunControl({ runId: 'r1', engine: 'db', status: 'FAILED' }, 'retry', plain);
    expect(plan.kind === 'refuse' && plan.error.code).toBe('ENGINE_ACTION_UNSUPPORTED');
    const missing = planRunControl({ runId: 'r1', engine: 'db', status: 'RUNNING' }, 'cancel', undefined);
    expect(missing.kind === 'refuse' && missing.error.code).toBe('ENGINE_UNAVAILABLE');
  });
});

describe('planRunControl decides by capability flags, not by engine name', () => {
  it('performs retry and resume of a Temporal-kind run whose engine declares them', () => {
    const caps = defineCapabilities({ retryFailedRun: true, adminResume: true });
    expect(planRunControl({ runId: 'r1', engine: 'temporal', status: 'FAILED' }, 'retry', caps)).toEqual({ kind: 'perform', action: 'retry', runId: 'r1', engine: 'temporal' });
    expect(planRunControl({ runId: 'r1', engine: 'temporal', status: 'WAITING' }, 'resume', caps)).toEqual({ kind: 'perform', action: 'resume', runId: 'r1', engine: 'temporal' });
    expect(planRunControl({ runId: 'r1', engine: 'temporal', status: 'RUNNING' }, 'retry', caps)).toMatchObject({ kind: 'refuse', error: { code: 'RUN_NOT_FAILED' } });
  });

  it('answers ENGINE_UNAVAILABLE for retry of a run whose engine is not wired, whatever its kind', () => {
    expect(planRunControl({ runId: 'r1', engine: 'temporal', status: 'FAILED' }, 'retry', undefined)).toMatchObject({ kind: 'refuse', error: { code: 'ENGINE_UNAVAILABLE' } });
  });
});
