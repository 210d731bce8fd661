import { describe, expect, it } from 'vitest';
import { findNulCharacter, jsonTextDepth } from './json-shape.js';

describe('jsonTextDepth', () => {
  it.each([
    ['1', 0],
    ['"[[["', 0],
    ['{}', 1],
    ['[[], {"a": [1]}]', 3],
    ['{"a": "}}}]]]", "b": {"c": "\\"{"}}', 2],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonTextDepth(text)).toBe(depth);
    expect(jsonTextDepth(text)).toBe(depth === 0 ? 0 : countDepth(JSON.parse(text)));
  });

  it('stops counting past the limit', () => {
    expect(jsonTextDepth('['.repeat(1e6), 64)).toBe(65);
  });
});

function countDepth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(countDepth));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(countDepth));
  return 0;
}

describe('findNulCharacter', () => {
  it.each([
    [{ a: 'ok', b: ['x', { c: 'y\u0000' }] }, 'b[1].c'],
    [{ 'k\u0000': 1 }, '["k\\u0000"]'],
    ['\u0000', ''],
    [{ a: ['\\u0000 is six characters, not a NUL'] }, undefined],
    [{ a: 1, b: null, c: true }, undefined],
  ])('%j -> %s', (value, path) => {
    expect(findNulCharacter(value)).toBe(path);
  });
});
