// Kept free of zod values: the Temporal workflow bundle imports this guard, and every module it
// imports is initialised again for each workflow run.
import type { Expr } from './expr.js';

/** True when a value is exactly an expression object `{"$expr": string}`. */
export function isExpr(value: unknown): value is Expr {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$expr' && typeof (value as { $expr: unknown }).$expr === 'string';
}
