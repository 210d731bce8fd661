/**
 * Deep copy of a plain-JSON value (states, outputs); no aliasing survives it. The result is what
 * `JSON.parse(JSON.stringify(value))` gives (a property whose value is `undefined`, a function or a
 * symbol is left out, and is `null` in an array; a non-finite number is `null`; `-0` is `0`; `toJSON`
 * is honoured, so a `Date` becomes its ISO text), built by walking the value instead of through a
 * string: the interpreter copies the run state twice per input, and the round trip through text
 * was 14 % of the worker's busy time on the 10-step workflow (`bench/api/README.md`). A cycle throws
 * a `TypeError`, as `JSON.stringify` does; so does a `bigint`.
 */
export function cloneJson<T>(value: T): T {
  const copy = copyValue(value, '', []);
  if (copy === undefined) throw new SyntaxError('cloneJson: the value has no JSON text');
  return copy as T;
}

function copyValue(value: unknown, key: string, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'bigint':
      throw new TypeError('cloneJson: a BigInt has no JSON text');
    case 'object': {
      if (value === null) return null;
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return copyValue((toJSON as (key: string) => unknown).call(value, key), key, ancestors);
      if (ancestors.includes(value)) throw new TypeError('cloneJson: the value is cyclic');
      ancestors.push(value);
      let out: unknown;
      if (Array.isArray(value)) {
        const array = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = copyValue(value[i], String(i), ancestors);
          array[i] = item === undefined ? null : item;
        }
        out = array;
      } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
        out = copyValue(value.valueOf(), key, ancestors);
      } else {
        const object: Record<string, unknown> = {};
        for (const name of Object.keys(value)) {
          const item = copyValue((value as Record<string, unknown>)[name], name, ancestors);
          if (item === undefined) continue;
          // `__proto__` is an own data property after JSON.parse, not the prototype
          if (name === '__proto__') Object.defineProperty(object, name, { value: item, enumerable: true, writable: true, configurable: true });
          else object[name] = item;
        }
        out = object;
      }
      ancestors.pop();
      return out;
    }
    default:
      // undefined, function, symbol: no JSON text
      return undefined;
  }
}
