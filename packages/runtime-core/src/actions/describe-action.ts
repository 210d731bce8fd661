import type { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import type { AnyActionDefinition } from './action-definition.js';

/** What the action catalog records about an action: its identity and its schemas as JSON Schema. */
export interface ActionDescriptor {
  readonly action: string;
  readonly version: number;
  readonly description?: string;
  /** JSON Schema of what a step may pass (the zod input schema, input side). */
  readonly inputSchema: JsonValue;
  /** JSON Schema of what the action returns (the zod output schema, output side). */
  readonly outputSchema: JsonValue;
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonValue {
  try {
    // `unrepresentable: 'any'`: a part JSON Schema cannot say (a transform, a custom check) accepts anything.
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, JsonValue>;
    const { $schema: _dialect, ...rest } = json;
    return rest;
  } catch {
    return {};
  }
}

/** The catalog entry of an action, its zod schemas converted with `z.toJSONSchema`. */
export function describeAction(action: AnyActionDefinition): ActionDescriptor {
  return {
    action: action.id,
    version: action.version,
    ...(action.description ? { description: action.description } : {}),
    inputSchema: jsonSchemaOf(action.input as z.ZodType, 'input'),
    outputSchema: jsonSchemaOf(action.output as z.ZodType, 'output'),
  };
}
