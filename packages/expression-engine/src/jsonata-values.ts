// JSONata 2.x value semantics that the synchronous evaluator needs, written to give exactly the
// results of the library's own evaluator (the differential property tests compare the two). Where
// JSONata would raise an error, these functions throw DECLINED instead: the synchronous evaluator
// then gives the expression back to JSONata, which raises the error itself.

/** Thrown where JSONata would raise an error (or where a case is not handled here). */
export const DECLINED: unique symbol = Symbol('baton.expression.declined');

/** An array flagged the way JSONata flags the sequences it builds. */
export type Sequence = unknown[] & { sequence?: boolean; keepSingleton?: boolean; tupleStream?: boolean; cons?: boolean };

/** A new empty sequence (JSONata marks the arrays its path steps build). */
export function newSequence(): Sequence {
  const sequence: Sequence = [];
  sequence.sequence = true;
  return sequence;
}

/** Whether `value` is an array JSONata treats as a sequence. */
export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** Whether JSONata treats `value` as a function (built-in, lambda, or a JavaScript function). */
export function isFunctionLike(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marker = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return marker._jsonata_function === true || marker._jsonata_lambda === true;
}

/**
 * What JSONata does to every node's result: a sequence of no items is nothing, a sequence of one
 * item is that item (unless flagged to stay an array).
 */
export function collapse(value: unknown): unknown {
  if (!isSequence(value) || value.tupleStream) return value;
  if (value.length === 0) return undefined;
  return value.length === 1 && !value.keepSingleton ? value[0] : value;
}

/** Appends the items of `array` to `target`, skipping holes (as `forEach` does). */
export function pushItems(target: unknown[], array: readonly unknown[]): void {
  for (let i = 0; i < array.length; i++) if (i in array) target.push(array[i]);
}

/** A field of `input`: the own property of an object, or, over an array, the flattened fields of its items. */
export function lookupField(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const found = newSequence();
    for (let i = 0; i < input.length; i++) {
      const value = lookupField(input[i], key);
      if (value === undefined) continue;
      if (Array.isArray(value)) pushItems(found, value);
      else found.push(value);
    }
    return found;
  }
  if (typeof input !== 'object' || input === null || isFunctionLike(input)) return undefined;
  return Object.prototype.hasOwnProperty.call(input, key) ? (input as Record<string, unknown>)[key] : undefined;
}

/** JSONata's effective boolean value (`undefined` stays undefined). */
export function effectiveBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return effectiveBoolean(value[0]);
    // Every item is looked at (holes skipped), as JSONata filters the whole array.
    let any = false;
    for (let i = 0; i < value.length; i++) if (i in value && effectiveBoolean(value[i]) === true) any = true;
    return value.length > 1 && any;
  }
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      // NaN is not numeric for JSONata, so it is false; an infinite number is an error.
      if (Number.isNaN(value)) return false;
      if (!Number.isFinite(value)) throw DECLINED;
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return value !== null && !isFunctionLike(value) && Object.keys(value).length > 0;
    default:
      return false;
  }
}

/** JSONata's equality: identical, or arrays/objects with deeply equal members. */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!deepEqual(left[i], right[i])) return false;
    return true;
  }
  const leftKeys = Object.getOwnPropertyNames(left).sort();
  const rightKeys = Object.getOwnPropertyNames(right).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  for (let i = 0; i < leftKeys.length; i++) if (leftKeys[i] !== rightKeys[i]) return false;
  const l = left as Record<string, unknown>;
  const r = right as Record<string, unknown>;
  for (const key of leftKeys) if (!deepEqual(l[key], r[key])) return false;
  return true;
}

/** Numbers as `$string` writes them: non-integers rounded to 15 significant digits. */
function stringifyMember(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return value;
    if (!Number.isFinite(value)) throw DECLINED;
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  }
  return isFunctionLike(value) ? '' : value;
}

/** `$string(value)` (and each side of `&`): undefined stays undefined. */
export function jsonataString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // A function becomes '' and a non-finite number is an error; neither is a case worth a fast path.
  if (isFunctionLike(value)) throw DECLINED;
  if (typeof value === 'number' && !Number.isFinite(value)) throw DECLINED;
  // JSONata unwraps an array it wrapped around its whole input; no value here carries that flag.
  if (Array.isArray(value) && (value as { outerWrapper?: unknown }).outerWrapper !== undefined) throw DECLINED;
  return JSON.stringify(value, stringifyMember) as string | undefined ?? declined();
}

function declined(): never {
  throw DECLINED;
}

/** A number JSONata accepts as an operand of arithmetic (finite); anything else is declined. */
export function arithmeticOperand(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw DECLINED;
}
