import { describe, expect, it } from 'vitest';
import type { RunActionCommand } from '../interpreter/protocol.js';
import { answerFromPrimary, decideShadowAction, type RecordedInvocation, type ShadowInvocationLog } from './shadow-invocations.js';

const command: RunActionCommand = {
  type: 'RunAction',
  commandId: 's:charge:0.1:2',
  stepId: 'charge',
  path: 'items[1]/charge',
  action: 'http.request',
  actionVersion: 1,
  input: {},
  attempt: 2,
  idempotencyKey: 'acme:s:charge:0.1',
};

describe('decideShadowAction', () => {
  it("answers with the primary's recorded output or error of the same attempt", () => {
    expect(decideShadowAction(command, { recorded: { ok: true, output: { id: 7 } }, primaryStatus: 'RUNNING' }, 0, 1000)).toEqual({
      kind: 'answer',
      result: { ok: true, output: { id: 7 }, reused: true },
    });
    const error = { category: 'TransientError', code: 'HTTP_ERROR', message: '503', stepId: 'charge' } as const;
    expect(decideShadowAction(command, { recorded: { ok: false, error }, primaryStatus: 'SUCCEEDED' }, 0, 1000)).toEqual({ kind: 'answer', result: { ok: false, error } });
  });

  it('waits while the primary runs and the bound is not reached', () => {
    expect(decideShadowAction(command, { primaryStatus: 'RUNNING' }, 10, 1000)).toEqual({ kind: 'wait' });
    expect(decideShadowAction(command, { primaryStatus: 'WAITING' }, 999, 1000)).toEqual({ kind: 'wait' });
  });

  it('waits for a primary not stored yet (a Temporal child is projected after it starts) until the bound', () => {
    expect(decideShadowAction(command, {}, 0, 1000)).toEqual({ kind: 'wait' });
    expect(decideShadowAction(command, {}, 1000, 1000)).toMatchObject({ kind: 'stop', error: { code: 'ACTION_NOT_CALLED_BY_PRIMARY' } });
  });

  it('stops with ACTION_NOT_CALLED_BY_PRIMARY once the primary finished without the call, or the bound passed', () => {
    for (const decision of [
      decideShadowAction(command, { primaryStatus: 'SUCCEEDED' }, 0, 1000),
      decideShadowAction(command, { primaryStatus: 'RUNNING' }, 1000, 1000),
      decideShadowAction(command, {}, 1000, 1000),
    ]) {
      expect(decision).toMatchObject({ kind: 'stop', error: { category: 'ActionError', code: 'ACTION_NOT_CALLED_BY_PRIMARY', stepId: 'charge', details: { path: 'items[1]/charge', attempt: 2 } } });
    }
  });
});

describe('answerFromPrimary', () => {
  it('polls by the attempt key without the run id until the primary records it', async () => {
    const asked: string[] = [];
    let lookups = 0;
    const log: ShadowInvocationLog = {
      record: async () => undefined,
      lookup: async (_tenant, primaryRunId, key) => {
        asked.push(`${primaryRunId}/${key}`);
        lookups += 1;
        const recorded: RecordedInvocation | undefined = lookups >= 3 ? { ok: true, output: 'done' } : undefined;
        return { primaryStatus: 'RUNNING', ...(recorded ? { recorded } : {}) };
      },
    };
    const decision = await answerFromPrimary(log, { tenant: 'acme', runId: 's', primaryRunId: 'p' }, command, { pollMs: 1 });
    expect(decision).toEqual({ kind: 'answer', result: { ok: true, output: 'done', reused: true } });
    expect(asked).toEqual(['p/charge:0.1:2', 'p/charge:0.1:2', 'p/charge:0.1:2']);
  });
});
