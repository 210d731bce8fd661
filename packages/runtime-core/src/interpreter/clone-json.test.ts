import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson } from './clone-json.js';

/** Every object reachable from `value`. */
function objectsOf(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value === 'object' && value !== null && !into.has(value)) {
    into.add(value);
    for (const item of Object.values(value)) objectsOf(item, into);
  }
  return into;
}

function viaText(value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(JSON.stringify(value)) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

function viaClone(value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: cloneJson(value) };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

describe('cloneJson', () => {
  it('gives what a round trip through JSON text gives, for any value (fixed seed)', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true }), (value) => {
        expect(viaClone(value)).toStrictEqual(viaText(value));
      }),
      { seed: 20261203, numRuns: 2000 },
    );
  });

  it('shares no object with its input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = cloneJson(value);
        const mine = objectsOf(copy);
        for (const original of objectsOf(value)) expect(mine.has(original)).toBe(false);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });

  it('keeps __proto__ as an own property, -0 as 0, and drops undefined, functions and symbols as JSON does', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, null]}') as Record<string, unknown>;
    Object.assign(value, { zero: -0, gone: undefined, fn: () => 1, sym: Symbol('s'), list: [undefined, () => 1, Number.NaN, new Date(0)] });
    const copy = cloneJson(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.is(copy['zero'], 0)).toBe(true);
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(value)));
  });

  it('throws on a cycle and on a BigInt, as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = { back: cyclic };
    expect(() => cloneJson(cyclic)).toThrow(TypeError);
    expect(() => cloneJson({ n: 1n })).toThrow(TypeError);
    expect(() => cloneJson(undefined)).toThrow(SyntaxError);
  });
});
