import { z } from 'zod';
import { JsonValue } from '../json-value.js';

/** A JSONata expression, evaluated by `@baton/expression-engine` against the step's context. */
export const Expr = z
  .strictObject({
    $expr: z.string().min(1).describe('JSONata source, evaluated against {input, vars, run, item, index, event, error}'),
  })
  .describe('An expression: {"$expr": "<JSONata>"}')
  .meta({ id: 'Expr' });
export type Expr = z.infer<typeof Expr>;

/**
 * A value template: a literal, an {@link Expr}, or an object/array containing those
 * (resolved recursively when the step runs).
 */
export const ValueTemplate = JsonValue.describe(
  'A literal JSON value, {"$expr": "<JSONata>"}, or an object/array containing those (resolved recursively)',
);
export type ValueTemplate = z.infer<typeof ValueTemplate>;

/** True when a value is exactly an expression object `{"$expr": string}`. */
export function isExpr(value: unknown): value is Expr {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$expr' && typeof (value as { $expr: unknown }).$expr === 'string';
}

/** A string literal or an expression that must evaluate to a string. */
export const StringOrExpr = z.union([z.string(), Expr]);
export type StringOrExpr = z.infer<typeof StringOrExpr>;
