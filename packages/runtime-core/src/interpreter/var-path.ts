import type { JsonObject, JsonValue } from '@baton/event-schemas';

/** Segments refused in write targets (prototype pollution). */
export const FORBIDDEN_PATH_SEGMENTS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Why a write target is not valid, or `undefined` when it is (`vars.a.b`). */
export function varPathProblem(path: string): string | undefined {
  const segments = path.split('.');
  if (segments[0] !== 'vars' || segments.length < 2) return `"${path}" must be a path under vars., e.g. "vars.result"`;
  for (const segment of segments.slice(1)) {
    if (FORBIDDEN_PATH_SEGMENTS.includes(segment)) return `"${path}" has the forbidden segment "${segment}"`;
    if (!SEGMENT.test(segment)) return `"${path}" has an invalid segment "${segment}" (letters, digits, _, $, - only)`;
  }
  return undefined;
}

/**
 * Sets `value` at a `vars.` path, creating (or replacing non-object) intermediate objects.
 * The path must have passed {@link varPathProblem}; a bad one is ignored defensively.
 */
export function assignVar(vars: JsonObject, path: string, value: JsonValue): void {
  if (varPathProblem(path) !== undefined) return;
  const segments = path.split('.').slice(1);
  let target: JsonObject = vars;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(target, segment) ? target[segment] : undefined;
    if (next && typeof next === 'object' && !Array.isArray(next)) target = next;
    else {
      const created: JsonObject = {};
      target[segment] = created;
      target = created;
    }
  }
  target[segments[segments.length - 1]!] = value;
}
