import { ErrorCategory, WorkflowDefinition } from '@baton/event-schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { arbitraryDefinition, arbitraryRunInput } from './__fixtures__/arbitrary-definition.js';
import { at, CONTEXT, deepFreeze } from './__fixtures__/drive.js';
import { InterpreterError } from './interpreter-error.js';
import type { AdvanceResult, InterpreterInput, PendingCommand } from './protocol.js';
import { pendingCommands, runStatus } from './queries.js';
import type { InterpreterState } from './state.js';

const PENDING = new Set(['RunAction', 'StartTimer', 'AwaitEvent', 'AwaitHumanTask', 'StartChild']);
const TERMINAL = new Set(['Complete', 'Fail', 'Canceled', 'ContinueAsNew']);
const categories = ErrorCategory.options;

function idOf(input: InterpreterInput): string | undefined {
  switch (input.type) {
    case 'ActionCompleted':
    case 'ActionFailed':
      return input.commandId;
    case 'TimerFired':
      return input.timerId;
    case 'EventReceived':
      return input.waitId;
    case 'HumanTaskCompleted':
      return input.taskId;
    case 'ChildCompleted':
    case 'ChildFailed':
      return input.childRunId;
    default:
      return undefined;
  }
}

function pendingId(c: PendingCommand): string {
  return c.type === 'RunAction' ? c.commandId : c.type === 'StartTimer' ? c.timerId : c.type === 'AwaitEvent' ? c.waitId : c.type === 'AwaitHumanTask' ? c.taskId : c.childRunId;
}

/** An input a driver could feed next, chosen by `pick` among answers to pending commands and noise. */
function nextInput(state: InterpreterState, now: string, pick: (n: number) => number): InterpreterInput {
  const pending = pendingCommands(state);
  const noise = pick(10);
  if (pending.length === 0 || noise === 0) {
    const options: InterpreterInput[] = [
      { type: 'Cancel', now, reason: 'prop' },
      { type: 'RetryFailed', now },
      { type: 'Resume', now, reason: 'prop', response: { ok: true } },
      { type: 'TimerFired', now, timerId: 'no-such-timer' },
      { type: 'ActionCompleted', now, commandId: 'no-such-command', output: 1 },
    ];
    return options[pick(options.length)]!;
  }
  const target = pending[pick(pending.length)]!;
  const flip = pick(2) === 0;
  switch (target.type) {
    case 'RunAction':
      return flip
        ? { type: 'ActionCompleted', now, commandId: target.commandId, output: pick(5) === 0 ? 'x'.repeat(300) : { echoed: target.input } }
        : { type: 'ActionFailed', now, commandId: target.commandId, error: { category: categories[pick(categories.length)]!, code: 'E', message: 'failed' } };
    case 'StartTimer':
      return { type: 'TimerFired', now, timerId: target.timerId };
    case 'AwaitEvent':
      return {
        type: 'EventReceived',
        now,
        waitId: target.waitId,
        event: { eventId: `e${pick(1000)}`, eventName: flip ? target.eventName : 'OTHER', correlationKey: target.correlationKey, payload: { ok: pick(2) === 0 } },
      };
    case 'AwaitHumanTask':
      return { type: 'HumanTaskCompleted', now, taskId: target.taskId, response: flip ? { ok: true } : { ok: 'maybe' } };
    case 'StartChild':
      return flip
        ? { type: 'ChildCompleted', now, childRunId: target.childRunId, output: { child: true } }
        : { type: 'ChildFailed', now, childRunId: target.childRunId, error: { category: 'ActionError', code: 'C', message: 'child' } };
  }
}

async function checkedAdvance(definition: WorkflowDefinition, state: InterpreterState | undefined, input: InterpreterInput): Promise<AdvanceResult> {
  const frozen = state === undefined ? undefined : deepFreeze(structuredClone(state));
  const first = await advance(definition, frozen, input, { limits: { maxOutputBytes: 256 } });
  const replay = await advance(definition, frozen, input, { limits: { maxOutputBytes: 256 } });
  // Determinism: the same state and input give an identical result.
  expect(replay).toStrictEqual(first);
  // Plain JSON: no undefined properties, nothing JSON cannot carry.
  expect(JSON.parse(JSON.stringify(first))).toStrictEqual(first);
  if (!first.accepted) {
    expect(first.state).toBe(frozen);
    expect(first.commands).toEqual([]);
    expect(first.rejection).toBeDefined();
    return first;
  }
  const before = state ? pendingCommands(state) : [];
  const after = pendingCommands(first.state);
  const emitted = first.commands.filter((c): c is PendingCommand => PENDING.has(c.type));
  const known = [...before, ...emitted].map((c) => JSON.stringify(c));
  // Outstanding = what was emitted earlier or now and not yet resolved.
  for (const c of after) expect(known).toContain(JSON.stringify(c));
  for (const c of emitted) expect(after).toContainEqual(c);
  const resolved = idOf(input);
  if (resolved !== undefined) expect(after.map(pendingId)).not.toContain(resolved);
  const terminal = first.commands.filter((c) => TERMINAL.has(c.type));
  expect(terminal.length).toBeLessThanOrEqual(1);
  if (terminal.length === 1) expect(after).toEqual([]);
  const status = runStatus(first.state);
  if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(status)) expect(terminal.length + (state && runStatus(state) === status ? 1 : 0)).toBeGreaterThan(0);
  return first;
}

describe('advance (property tests)', () => {
  it('generated definitions are schema-valid', () => {
    fc.assert(fc.property(arbitraryDefinition, (definition) => WorkflowDefinition.safeParse(definition).success), { numRuns: 200 });
  });

  it('never throws on well-formed inputs, is deterministic, keeps plain JSON and an exact outstanding list', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDefinition, arbitraryRunInput, fc.infiniteStream(fc.nat()), async (definition, input, choices) => {
        const iterator = choices[Symbol.iterator]();
        const pick = (n: number): number => (iterator.next().value as number) % n;
        let clock = 0;
        let generation = 0;
        let result = await checkedAdvance(definition, undefined, { type: 'Start', now: at(clock), context: CONTEXT, input });
        for (let i = 0; i < 25; i++) {
          const continued = result.commands.find((c) => c.type === 'ContinueAsNew');
          if (continued?.type === 'ContinueAsNew' && continued.generation > generation) {
            generation = continued.generation;
            result = await checkedAdvance(definition, undefined, { type: 'Start', now: at(clock), context: CONTEXT, input: continued.input, generation });
            continue;
          }
          clock += pick(700);
          result = await checkedAdvance(definition, result.state, nextInput(result.state, at(clock), pick));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('malformed inputs are refused with InterpreterError only', async () => {
    const definition: WorkflowDefinition = { name: 'test.flow', version: '1.0.0', steps: [{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: 'k' }] };
    const started = await advance(definition, undefined, { type: 'Start', now: at(0), context: CONTEXT, input: null });
    await fc.assert(
      fc.asyncProperty(fc.record({ type: fc.constantFrom('EventReceived', 'ActionFailed', 'Start', 'TimerFired', 'Bogus'), now: fc.oneof(fc.constant(at(1)), fc.string()), waitId: fc.oneof(fc.string(), fc.integer()), event: fc.anything(), error: fc.anything(), timerId: fc.anything() }, { requiredKeys: ['type'] }), async (input) => {
        try {
          const result = await advance(definition, started.state, input as unknown as InterpreterInput);
          expect(typeof result.accepted).toBe('boolean');
        } catch (error) {
          expect(error).toBeInstanceOf(InterpreterError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

