// Test helpers: build definitions, start runs and feed inputs with a readable clock.
import type { JsonValue, Step, WorkflowDefinition } from '@baton/event-schemas';
import { advance } from '../advance.js';
import type { AdvanceOptions, AdvanceResult, InterpreterCommand, InterpreterContext, InterpreterInput } from '../protocol.js';
import type { InterpreterState } from '../state.js';

export const T0 = Date.parse('2025-01-01T00:00:00.000Z');

/** ISO time `ms` after T0. */
export function at(ms: number): string {
  return new Date(T0 + ms).toISOString();
}

export const CONTEXT: InterpreterContext = {
  runId: 'run-1',
  tenant: 'acme',
  workflow: 'test.flow',
  version: '1.0.0',
  engine: 'db',
  startedAt: at(0),
};

/** A definition `test.flow@1.0.0` with these steps. */
export function flow(steps: Step[], extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { name: 'test.flow', version: '1.0.0', steps, ...extra };
}

/** Recursively freezes a value, so any mutation of a state given to `advance` throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}

/** Starts `definition` with `input` at T0. */
export async function start(definition: WorkflowDefinition, input: JsonValue = null, options?: AdvanceOptions): Promise<AdvanceResult> {
  return advance(definition, undefined, { type: 'Start', now: at(0), context: CONTEXT, input }, options);
}

/** Feeds an input to a frozen copy of the state (proving `advance` never mutates it). */
export async function feed(definition: WorkflowDefinition, from: AdvanceResult | InterpreterState, input: InterpreterInput): Promise<AdvanceResult> {
  const state = 'state' in from && 'commands' in from ? from.state : (from as InterpreterState);
  return advance(definition, deepFreeze(structuredClone(state)), input);
}

/** The first command of a type. */
export function command<T extends InterpreterCommand['type']>(result: AdvanceResult, type: T): Extract<InterpreterCommand, { type: T }> {
  const found = result.commands.find((c) => c.type === type);
  if (!found) throw new Error(`no ${type} command in ${JSON.stringify(result.commands)}`);
  return found as Extract<InterpreterCommand, { type: T }>;
}

/** Command types in order. */
export function types(result: AdvanceResult): string[] {
  return result.commands.map((c) => c.type);
}

/** Step records as `path:STATUS`. */
export function trace(result: AdvanceResult): string[] {
  return result.steps.map((s) => `${s.path}:${s.status}`);
}
