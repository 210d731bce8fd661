import type { JsonValue } from '@baton/event-schemas';
import { type EvaluationMeter, isJsonataFunction } from './evaluation-meter.js';
import { ExpressionErrorCode } from './expression-error.js';
import { jsonNumberBytes, jsonStringBytes } from './json-string-bytes.js';

type JsonObject = { [key: string]: JsonValue };

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // A root prototype of any realm: the workflow sandbox has its own Object.prototype.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function describe(value: unknown): string {
  if (typeof value === 'function' || (typeof value === 'object' && value !== null && isJsonataFunction(value))) return 'a function';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'a class'}`;
  return `a ${typeof value}`;
}

/**
 * Turns JSONata's result into a fresh JSON value (plain arrays and objects, no sequence flags,
 * no aliasing of the context), enforcing `maxOutputBytes` and `maxDepth` as it copies. Follows
 * `JSON.stringify` for members that are undefined (dropped from objects, null in arrays).
 */
export function toJsonResult(value: unknown, meter: EvaluationMeter, undefinedAsNull: boolean): JsonValue {
  if (value === undefined) {
    if (undefinedAsNull) return null;
    throw meter.error(
      ExpressionErrorCode.NOT_SERIALIZABLE,
      'expression result is undefined (nothing matched); opt into undefinedAsNull to get null',
      undefined,
      { found: 'undefined' },
    );
  }
  const state = { bytes: 0 };
  return copy(value, 0, '', meter, state);
}

function notSerializable(meter: EvaluationMeter, value: unknown, path: string): Error {
  return meter.error(
    ExpressionErrorCode.NOT_SERIALIZABLE,
    `expression result is not JSON: ${describe(value)} at ${path === '' ? 'the top level' : path}`,
    undefined,
    { path, found: describe(value) },
  );
}

function add(meter: EvaluationMeter, state: { bytes: number }, bytes: number): void {
  state.bytes += bytes;
  if (state.bytes > meter.limits.maxOutputBytes) throw meter.outputTooLarge(state.bytes, undefined);
}

function copy(value: unknown, depth: number, path: string, meter: EvaluationMeter, state: { bytes: number }): JsonValue {
  switch (typeof value) {
    case 'string':
      add(meter, state, jsonStringBytes(value));
      return value;
    case 'boolean':
      add(meter, state, value ? 4 : 5);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw notSerializable(meter, value, path);
      add(meter, state, jsonNumberBytes(value));
      return value === 0 ? 0 : value;
    case 'object': {
      if (value === null) {
        add(meter, state, 4);
        return null;
      }
      if (isJsonataFunction(value) || !(Array.isArray(value) || isPlainObject(value))) throw notSerializable(meter, value, path);
      if (depth >= meter.limits.maxDepth) throw meter.depthExceeded(depth + 1, undefined);
      add(meter, state, 2);
      if (Array.isArray(value)) {
        const out: JsonValue[] = new Array<JsonValue>(value.length);
        for (let i = 0; i < value.length; i++) {
          if (i > 0) add(meter, state, 1);
          const item: unknown = value[i];
          out[i] = item === undefined ? (add(meter, state, 4), null) : copy(item, depth + 1, `${path}[${i}]`, meter, state);
        }
        return out;
      }
      const out: JsonObject = {};
      let first = true;
      for (const key of Object.keys(value)) {
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        add(meter, state, (first ? 0 : 1) + jsonStringBytes(key) + 1);
        first = false;
        const copied = copy(member, depth + 1, path === '' ? key : `${path}.${key}`, meter, state);
        if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
        else out[key] = copied;
      }
      return out;
    }
    default:
      throw notSerializable(meter, value, path);
  }
}
