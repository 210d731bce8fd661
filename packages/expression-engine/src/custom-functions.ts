import type jsonata from 'jsonata';
import { type EvaluationMeter, METER_BINDING, isJsonataFunction } from './evaluation-meter.js';
import { CUSTOM_APPEND_BINDING } from './allowed-functions.js';
import { ExpressionErrorCode } from './expression-error.js';

type Focus = jsonata.Focus;

function meterOf(focus: Focus): EvaluationMeter {
  return focus.environment.lookup(METER_BINDING) as EvaluationMeter;
}

function isFunctionValue(value: unknown): boolean {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && isJsonataFunction(value));
}

/** `nowIso()`: the run's logical clock (`env.now`) as ISO-8601; never the wall clock. */
function nowIso(this: Focus): string {
  const meter = meterOf(this);
  const now = meter.now;
  if (now === undefined) {
    throw meter.error(ExpressionErrorCode.EVALUATION, 'nowIso() needs the run clock: evaluate with env.now', undefined, { function: 'nowIso' });
  }
  if (Number.isNaN(now.getTime())) {
    throw meter.error(ExpressionErrorCode.EVALUATION, 'nowIso(): env.now is an invalid Date', undefined, { function: 'nowIso' });
  }
  return now.toISOString();
}

/** `coalesce(a, b, ...)`: the first argument that is neither null nor undefined, else null. */
function coalesce(this: Focus, ...values: unknown[]): unknown {
  for (const value of values) if (value !== null && value !== undefined) return value;
  return null;
}

/** `len(x)`: length of a string (in code points, like `$length`) or an array, else 0. */
function len(this: Focus, value: unknown): number {
  if (typeof value === 'string') {
    let count = 0;
    for (const _ of value) count++;
    return count;
  }
  return Array.isArray(value) ? value.length : 0;
}

/** `toString(x)`: `''` for null/undefined, the string itself, JSON for everything else. */
function toString(this: Focus, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const meter = meterOf(this);
  if (isFunctionValue(value)) {
    throw meter.error(ExpressionErrorCode.EVALUATION, 'toString() cannot convert a function', undefined, { function: 'toString' });
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw meter.error(ExpressionErrorCode.EVALUATION, 'toString() cannot convert a non-finite number', undefined, { function: 'toString' });
  }
  // Measured first, so a huge (or exponentially shared) value fails before it is stringified.
  meter.checkSize(value, undefined);
  return JSON.stringify(value);
}

/**
 * `append(list, v)`: like `$append`, but a null or undefined list is `[]`, a non-array list is
 * wrapped, and the result is always an array (an array `v` is concatenated, as in JSONata).
 */
function append(this: Focus, list: unknown, value: unknown): unknown[] {
  const base = list === null || list === undefined ? [] : Array.isArray(list) ? list : [list];
  if (value === undefined) return [...base];
  return Array.isArray(value) ? [...base, ...value] : [...base, value];
}

function canonicalKey(value: unknown, functionIds: Map<unknown, number>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return `n${String(value)}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (value === null) return 'z';
      if (isJsonataFunction(value)) break;
      if (Array.isArray(value)) return `[${value.map((item) => canonicalKey(item, functionIds)).join(',')}]`;
      const keys = Object.getOwnPropertyNames(value).sort();
      const record = value as Record<string, unknown>;
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalKey(record[key], functionIds)}`).join(',')}}`;
    }
    default:
      break;
  }
  // Functions compare by identity, as in JSONata's deep equality.
  let id = functionIds.get(value);
  if (id === undefined) functionIds.set(value, (id = functionIds.size));
  return `f${id}`;
}

/**
 * `$distinct(array)`: JSONata's semantics (deep equality, first occurrence kept, order kept) in
 * linear time; JSONata's own implementation is quadratic, which a step budget cannot bound.
 */
function distinct(this: Focus & { createSequence(): unknown[] }, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length <= 1) return value;
  meterOf(this).checkSize(value, undefined);
  const isSequence = (value as { sequence?: unknown }).sequence === true;
  const results: unknown[] = isSequence ? this.createSequence() : [];
  const seen = new Set<string>();
  const functionIds = new Map<unknown, number>();
  for (const item of value) {
    const key = canonicalKey(item, functionIds);
    if (!seen.has(key)) {
      seen.add(key);
      results.push(item);
    }
  }
  return results;
}

/** A function this package binds into every compiled expression, with its JSONata signature. */
export interface BoundFunction {
  readonly name: string;
  readonly implementation: (this: Focus, ...args: never[]) => unknown;
  readonly signature?: string;
}

/** The custom functions, plus the built-ins this package replaces with a bounded implementation. */
export const BOUND_FUNCTIONS: readonly BoundFunction[] = [
  { name: 'nowIso', implementation: nowIso },
  { name: 'coalesce', implementation: coalesce },
  { name: 'len', implementation: len },
  { name: 'toString', implementation: toString },
  { name: CUSTOM_APPEND_BINDING, implementation: append },
  { name: 'distinct', implementation: distinct as unknown as BoundFunction['implementation'], signature: '<x:x>' },
];
