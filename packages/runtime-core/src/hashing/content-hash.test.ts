import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, NotJsonError, unitIntervalOf, uuidFromName } from './content-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('refuses values that are not JSON, naming where', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(NotJsonError);
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('non-finite number NaN at a[1]');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function is not JSON at f');
    expect(() => canonicalJson(new Date(0))).toThrow('not a plain object');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('cyclic value at self');
  });

  it('is independent of key insertion order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });
});

describe('contentHash', () => {
  it('is the sha-256 hex of the canonical JSON', () => {
    expect(contentHash({ b: 2, a: 1 })).toBe(contentHash({ a: 1, b: 2 }));
    // sha256('{"a":1}')
    expect(contentHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('unitIntervalOf / uuidFromName', () => {
  it('are deterministic and well formed', () => {
    const u = unitIntervalOf('run-1:2');
    expect(u).toBe(unitIntervalOf('run-1:2'));
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    const id = uuidFromName('run-1:child');
    expect(id).toBe(uuidFromName('run-1:child'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromName('run-2:child')).not.toBe(id);
  });
});
