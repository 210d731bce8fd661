import fc from 'fast-check';
import type { JsonValue } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { InMemoryEngine } from '../conformance/in-memory/in-memory-engine.js';
import { flow, start } from './__fixtures__/drive.js';
import { CONTINUE_AS_NEW_LIMIT_EXCEEDED, generationLimitState, MAX_BACK_TO_BACK_GENERATIONS, nextGenerationStart, planNextGeneration } from './next-generation.js';
import type { ContinueAsNewCommand } from './protocol.js';
import { runOutcome } from './queries.js';

const run = { workflow: 'loop', version: '1.2.0', runKey: 'order-7' };
const version = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)).map(([a, b, c]) => `${a}.${b}.${c}`);
const command = fc.record({ input: fc.jsonValue() as fc.Arbitrary<JsonValue>, generation: fc.integer({ min: 1, max: 50 }), pinVersion: fc.option(version, { nil: undefined }) }).map(
  ({ pinVersion, ...rest }): ContinueAsNewCommand => ({ type: 'ContinueAsNew', ...rest, ...(pinVersion !== undefined ? { pinVersion } : {}) }),
);

describe('planNextGeneration', () => {
  it('keeps the current definition exactly when the step pinned the current version; otherwise asks for the pin or the policy', () => {
    fc.assert(
      fc.property(command, version, fc.nat(MAX_BACK_TO_BACK_GENERATIONS - 1), (c, current, backToBack) => {
        const plan = planNextGeneration(c, { ...run, version: current }, backToBack);
        if (plan.kind !== 'start') return false;
        expect(plan.keepCurrent).toBe(c.pinVersion === current);
        expect(plan.request).toEqual({ workflow: run.workflow, runKey: run.runKey, ...(c.pinVersion !== undefined ? { pinVersion: c.pinVersion } : {}) });
        expect(plan.backToBack).toBe(backToBack + 1);
        return true;
      }),
    );
  });

  it('fails with the typed CONTINUE_AS_NEW_LIMIT_EXCEEDED once the cap of back-to-back generations is reached', () => {
    fc.assert(
      fc.property(command, fc.integer({ min: 1, max: 2_000 }), fc.nat(3_000), (c, limit, backToBack) => {
        const plan = planNextGeneration(c, run, backToBack, limit);
        expect(plan.kind).toBe(backToBack >= limit ? 'limit' : 'start');
        if (plan.kind === 'limit') expect(plan.error).toEqual({ category: 'ValidationError', code: CONTINUE_AS_NEW_LIMIT_EXCEEDED, message: expect.any(String), details: { limit } });
      }),
    );
    // Counting from 0 as the drivers do, the default allows exactly 1,000 generations started back to back.
    expect(planNextGeneration({ type: 'ContinueAsNew', input: null, generation: 1 }, run, MAX_BACK_TO_BACK_GENERATIONS - 1).kind).toBe('start');
    expect(planNextGeneration({ type: 'ContinueAsNew', input: null, generation: 1 }, run, MAX_BACK_TO_BACK_GENERATIONS).kind).toBe('limit');
  });

  it('the next Start carries the run identity and start time, the new version, input and generation; the limit state is FAILED with the error', async () => {
    const ended = (await start(flow([{ id: 'again', type: 'control.continueAsNew', input: { n: 1 } }]))).state;
    const c: ContinueAsNewCommand = { type: 'ContinueAsNew', input: { n: 1 }, generation: 1 };
    expect(nextGenerationStart(ended, c, '2.0.0', '2025-01-01T00:00:01.000Z')).toEqual({
      type: 'Start',
      now: '2025-01-01T00:00:01.000Z',
      context: { ...ended.context, version: '2.0.0' },
      input: { n: 1 },
      generation: 1,
    });
    const plan = planNextGeneration(c, run, 5, 5);
    if (plan.kind !== 'limit') throw new Error('expected the limit');
    expect(runOutcome(generationLimitState(ended, plan.error, '2025-01-01T00:00:01.000Z'))).toEqual({ status: 'FAILED', error: plan.error });
  });
});

describe('the in-memory engine at continue-as-new', () => {
  it('a run continuing as new back to back past the cap fails with CONTINUE_AS_NEW_LIMIT_EXCEEDED', async () => {
    const engine = new InMemoryEngine();
    engine.publish([{ name: 'runaway', version: '1.0.0', steps: [{ id: 'again', type: 'control.continueAsNew', input: { $expr: 'input + 1' } }] }]);
    const runId = await engine.start({ tenant: 't', workflow: 'runaway', input: 0 });
    while (await engine.tick());
    expect(engine.view(runId)).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: CONTINUE_AS_NEW_LIMIT_EXCEEDED, details: { limit: MAX_BACK_TO_BACK_GENERATIONS } } });
  });

  it('without a pin the next generation runs the newest published version (this engine has no policies: latest)', async () => {
    const engine = new InMemoryEngine();
    const def = (v: string, pin: boolean) => ({
      name: 'upgrading',
      version: v,
      steps: [
        { id: 'more', type: 'control.if', condition: { $expr: 'input < 1' }, then: [{ id: 'again', type: 'control.continueAsNew', input: { $expr: 'input + 1' }, ...(pin ? { pinVersion: true } : {}) }] },
        { id: 'out', type: 'control.return', output: { $expr: 'run.version' } },
      ],
    });
    engine.publish([def('1.0.0', false), def('1.1.0', true)] as never);
    const upgraded = await engine.start({ tenant: 't', workflow: 'upgrading', version: '1.0.0', input: 0 });
    while (await engine.tick());
    expect(engine.view(upgraded)).toMatchObject({ status: 'SUCCEEDED', output: '1.1.0' });
  });
});
