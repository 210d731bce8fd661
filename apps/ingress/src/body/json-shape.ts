import { formatPath } from '@baton/event-schemas';
import { BatonError, ErrorCode } from '@baton/runtime-core';

/** Limits every JSON document the ingress accepts (HTTP bodies and stream entries) is held to. */
export const JSON_SHAPE_DEFAULTS = {
  /** deepest nesting of objects and arrays; the root object or array is level 1 */
  maxDepth: 64,
} as const;

/**
 * The deepest nesting of objects and arrays in JSON `text`, found by one pass over the characters
 * (strings skipped), so a document far too deep is refused before anything recursive parses it;
 * stops counting as soon as `limit` is exceeded.
 */
export function jsonTextDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}

/** `JSON_TOO_DEEP` for a document nested deeper than `maxDepth`. */
export function tooDeepError(what: string, maxDepth: number): BatonError {
  const message = `${what} nests objects and arrays deeper than ${maxDepth} levels`;
  return new BatonError(ErrorCode.JSON_TOO_DEEP, message, { details: { maxDepth, issues: [{ path: '', message, code: 'too_deep' }] } });
}

/** The path of the first string or key of `value` holding a NUL character (U+0000), else `undefined`; iterative, so depth costs no stack. */
export function findNulCharacter(value: unknown): string | undefined {
  const stack: Array<{ readonly value: unknown; readonly path: readonly PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return formatPath(path);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (const key of keys) if (key.includes('\u0000')) return formatPath([...path, key]);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], path: [...path, keys[i]!] });
    }
  }
  return undefined;
}

/** `INVALID_JSON` for a NUL character at `path` (Postgres `jsonb` cannot store one). */
export function nulCharacterError(what: string, path: string): BatonError {
  const message = `${what} holds a NUL character (\\u0000)${path ? ` at ${path}` : ''}; NUL cannot be stored`;
  return new BatonError(ErrorCode.INVALID_JSON, message, { details: { path, issues: [{ path, message, code: 'nul_character' }] } });
}

/**
 * Refuses a parsed JSON document the runtime cannot hold: a NUL character in any string or key
 * (`INVALID_JSON` with the path). Depth is checked on the text, before parsing, by {@link jsonTextDepth}.
 */
export function assertStorableJson(what: string, value: unknown): void {
  const path = findNulCharacter(value);
  if (path !== undefined) throw nulCharacterError(what, path);
}
