import { isExpr, type JsonObject, type JsonValue } from '@baton/event-schemas';
import { compileExpression, type ExpressionOptions } from '@baton/expression-engine';

const TRIGGER_EXPRESSION_OPTIONS: ExpressionOptions = Object.freeze({ undefinedAsNull: true });

/** The `event` an event trigger's `input` expressions see. */
export interface TriggerEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly correlationKey: string | null;
  readonly payload: JsonValue;
  /** Entity workflows: the start event's per-entity sequence number. */
  readonly sequence?: number;
}

async function resolve(template: JsonValue, context: JsonObject, now: Date): Promise<JsonValue> {
  if (template === null || typeof template !== 'object') return template;
  if (isExpr(template)) return compileExpression(template.$expr, TRIGGER_EXPRESSION_OPTIONS).evaluate(context, { now });
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (const item of template) out.push(await resolve(item, context, now));
    return out;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) out[key] = await resolve(value, context, now);
  return out;
}

/**
 * Builds the input of an event-triggered run: the trigger's `input` value template evaluated
 * against `{event}` (the canonical expression engine; a missing path is `null`), or the event
 * payload when the trigger has no `input`. Throws `ExpressionError`.
 */
export function resolveTriggerInput(template: JsonValue | undefined, event: TriggerEvent, now: Date): Promise<JsonValue> {
  if (template === undefined) return Promise.resolve(event.payload);
  const context: JsonObject = {
    event: {
      eventId: event.eventId,
      eventName: event.eventName,
      correlationKey: event.correlationKey,
      payload: event.payload,
      ...(event.sequence !== undefined ? { sequence: event.sequence } : {}),
    },
  };
  return resolve(template, context, now);
}
