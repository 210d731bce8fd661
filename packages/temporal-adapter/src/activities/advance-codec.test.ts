// The interpreter activity packs its answer against the state and input it was sent; the workflow
// unpacks it with the same two, and refuses an answer packed against anything else.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@baton/event-schemas';
import { advance, createActionRegistry, createInMemoryStores, validateDefinition, type InterpreterInput, type InterpreterState } from '@baton/runtime-core';
import { advanceDictionary, isPackedAnswer, PackedAnswerError, unpackAdvanceAnswer } from '../workflows/advance-codec.js';
import type { AdvanceRequest } from '../workflows/activity-contracts.js';
import { createAdvanceActivity } from './advance-activity.js';

const T0 = '2030-01-01T00:00:00.000Z';
const T1 = '2030-01-01T00:00:01.000Z';

async function setUp() {
  const stores = createInMemoryStores();
  const validated = validateDefinition(
    {
      name: 'codec.echo',
      version: '1.0.0',
      steps: ['s1', 's2'].map((id) => ({ id, type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'vars.value ?? input' }, saveAs: 'vars.value' })),
    },
    { actions: createActionRegistry() },
  );
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
  const { definition, hash } = validated;
  await stores.definitions.publish('acme', { name: definition.name, version: definition.version, hash, definition, triggerEventName: null, publishedAt: T0 });
  const context = { runId: 'run-1', tenant: 'acme', workflow: definition.name, version: definition.version, engine: 'temporal' as const, startedAt: T0 };
  const request = (sequence: number, input: InterpreterInput, state?: InterpreterState): AdvanceRequest => ({
    tenant: 'acme',
    runId: 'run-1',
    definition: { workflow: definition.name, version: definition.version, hash },
    ...(state ? { state } : {}),
    input,
    sequence,
  });
  return { definition, context, request, activity: createAdvanceActivity({ definitions: stores.definitions }) };
}

describe('packed advance answers', () => {
  it('unpack to the result the interpreter computed, for a Start and for the input after it', async () => {
    const { definition, context, request, activity } = await setUp();
    const payload: JsonValue = { order: 'A-1', lines: [1, 2, 3] };
    const start: InterpreterInput = { type: 'Start', now: T0, context, input: payload };
    const packedStart = await activity(request(0, start));
    expect(isPackedAnswer(packedStart)).toBe(true);
    const started = unpackAdvanceAnswer(packedStart, advanceDictionary(undefined, start));
    expect(started).toEqual({ sequence: 0, result: JSON.parse(JSON.stringify(await advance(definition, undefined, start))) });

    const command = started.result.commands.find((c) => c.type === 'RunAction')!;
    const completed: InterpreterInput = { type: 'ActionCompleted', now: T1, commandId: 'commandId' in command ? command.commandId : '', output: payload };
    const packed = await activity(request(1, completed, started.result.state));
    const answer = unpackAdvanceAnswer(packed, advanceDictionary(started.result.state, completed));
    expect(answer).toEqual({ sequence: 1, result: JSON.parse(JSON.stringify(await advance(definition, started.result.state, completed))) });
    // The state it answers is mostly the one sent: packed, it is a fraction of its JSON.
    expect(packed.byteLength).toBeLessThan(JSON.stringify(answer).length / 3);
  });

  it('refuses an answer packed against another state or input, instead of applying it', async () => {
    const { context, request, activity } = await setUp();
    const start: InterpreterInput = { type: 'Start', now: T0, context, input: 1 };
    const packed = await activity(request(0, start));
    expect(() => unpackAdvanceAnswer(packed, advanceDictionary(undefined, { ...start, input: 2 }))).toThrow(PackedAnswerError);
    const damaged = Uint8Array.from(packed);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    expect(() => unpackAdvanceAnswer(damaged, advanceDictionary(undefined, start))).toThrow(PackedAnswerError);
  });

  it('unpacks a state larger than the deflate window (32 KB)', async () => {
    const { context, request, activity } = await setUp();
    const big: JsonValue = { rows: Array.from({ length: 3_000 }, (_, i) => ({ i, name: `row ${i}` })) };
    const start: InterpreterInput = { type: 'Start', now: T0, context, input: big };
    const started = unpackAdvanceAnswer(await activity(request(0, start)), advanceDictionary(undefined, start));
    expect(JSON.stringify(started.result.state).length).toBeGreaterThan(64 * 1024);
    const command = started.result.commands.find((c) => c.type === 'RunAction')!;
    const completed: InterpreterInput = { type: 'ActionCompleted', now: T1, commandId: 'commandId' in command ? command.commandId : '', output: big };
    const answer = unpackAdvanceAnswer(await activity(request(1, completed, started.result.state)), advanceDictionary(started.result.state, completed));
    expect(answer.result.state).toMatchObject({ vars: { value: big } });
  });
});
