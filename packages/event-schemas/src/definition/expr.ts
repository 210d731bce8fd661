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

// The guard lives in a module without zod values (see is-expr.ts).
export { isExpr } from './is-expr.js';

/** A string literal or an expression that must evaluate to a string. */
export const StringOrExpr = z.union([z.string(), Expr]);
export type StringOrExpr = z.infer<typeof StringOrExpr>;
