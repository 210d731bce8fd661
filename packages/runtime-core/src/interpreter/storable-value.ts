// What a run may keep: every value the interpreter stores (expression results, action outputs,
// events, task responses, errors) must be storable by every engine's store. Postgres `jsonb`
// refuses the NUL character and lone UTF-16 surrogates (a high surrogate not followed by a low one,
// or a low one alone); a value holding one would fail the commit of the whole run, so the
// interpreter refuses it at the step that produced it (both engines decide the same way here).
import type { ErrorCategory, JsonValue } from '@baton/event-schemas';
import { StepFailure } from './step-failure.js';
import { STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

/** Why a text cannot be stored. */
export type UnstorableReason = 'NUL' | 'LONE_SURROGATE';

/** Where a value first holds text that cannot be stored (`path` like `$.a[2]` or `$["key"]`, `inKey` when it is a key). */
export interface UnstorablePlace {
  readonly path: string;
  readonly reason: UnstorableReason;
  readonly inKey: boolean;
}

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_GLOBAL = new RegExp(LONE_SURROGATE.source, 'g');
// JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX (well-formed stringify), so
// a serialization without either escape proves the whole value storable in one native pass.
const SUSPECT_ESCAPE = /\\u0000|\\ud[89a-f]/i;
const SAFE_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableText(text: string): UnstorableReason | undefined {
  if (text.includes('\u0000')) return 'NUL';
  if (LONE_SURROGATE.test(text)) return 'LONE_SURROGATE';
  return undefined;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return SAFE_IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(toStorableText(key))}]`;
}

/** The first place in `value` (depth first, in key order) holding text that cannot be stored. */
export function findUnstorable(value: unknown): UnstorablePlace | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'string')) return undefined;
  let serialized: string | undefined;
  try {
    serialized = JSON.stringify(value);
  } catch {
    serialized = undefined;
  }
  if (serialized !== undefined && !SUSPECT_ESCAPE.test(serialized)) return undefined;
  // The walk reads what a store would receive (the serialization: `toJSON` applied, functions and
  // undefined dropped); iterative, so a deeply nested value cannot overflow the stack.
  const stored: unknown = serialized !== undefined ? JSON.parse(serialized) : value;
  const stack: Array<{ value: unknown; path: string }> = [{ value: stored, path: '$' }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableText(current);
      if (reason) return { path, reason, inKey: false };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const children: Array<{ value: unknown; path: string }> = [];
    if (Array.isArray(current)) current.forEach((item, i) => children.push({ value: item, path: childPath(path, i) }));
    else {
      for (const [key, item] of Object.entries(current)) {
        const reason = unstorableText(key);
        if (reason) return { path: childPath(path, key), reason, inKey: true };
        children.push({ value: item, path: childPath(path, key) });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

/** `text` with every NUL and lone surrogate replaced by U+FFFD. */
export function toStorableText(text: string): string {
  return text.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATE_GLOBAL, '\ufffd');
}

/**
 * A copy of `value` whose strings and keys are storable (NUL and lone surrogates replaced by U+FFFD);
 * `value` itself when it already is. For values that must be kept whatever they hold (error
 * messages, a run failed because it could not be stored), never for results a step computes.
 */
export function toStorable<T>(value: T): T {
  if (findUnstorable(value) === undefined) return value;
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') return toStorableText(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(copy);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) out[toStorableText(key)] = copy(item);
    return out;
  };
  return copy(value) as T;
}

const REASON_TEXT: Record<UnstorableReason, string> = {
  NUL: 'a NUL character (\\u0000)',
  LONE_SURROGATE: 'an unpaired UTF-16 surrogate',
};

/**
 * Raises UNSTORABLE_VALUE (in `category`) when `value` holds text no store can keep; `what` names
 * the value in the message.
 */
export function checkStorable(value: JsonValue, what: string, category: ErrorCategory): void {
  const place = findUnstorable(value);
  if (!place) return;
  throw new StepFailure(
    workflowError(
      category,
      STEP_ERROR_CODE.UNSTORABLE_VALUE,
      `${what} cannot be stored: ${place.inKey ? 'the key at ' : ''}${place.path} holds ${REASON_TEXT[place.reason]}`,
      undefined,
      { path: place.path, reason: place.reason, ...(place.inKey ? { inKey: true } : {}) },
    ),
  );
}
