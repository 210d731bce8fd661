import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@baton/event-schemas';
import { applyPatch, diffJson, findJsonPath, jsonAt } from '../workflows/state-patch.js';

const cases: [string, JsonValue, JsonValue][] = [
  ['equal', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }],
  ['a changed key deep down', { a: { b: { c: 1, d: 2 } } }, { a: { b: { c: 3, d: 2 } } }],
  ['an added and a removed key', { a: 1, b: 2 }, { a: 1, c: { x: [1] } }],
  ['an array item', { list: [{ i: 1 }, { i: 2 }] }, { list: [{ i: 1 }, { i: 5 }] }],
  ['a longer and a shorter array', { a: [1], b: [1, 2] }, { a: [1, 2], b: [] }],
  ['types that change', { a: [1], b: { x: 1 }, c: null }, { a: { 0: 1 }, b: 'x', c: { y: 1 } }],
  ['the root', [1, 2], { a: 1 }],
];

describe('diffJson / applyPatch', () => {
  it.each(cases)('%s: applying the diff gives the new value and leaves the old one as it was', (_name, before, after) => {
    const frozen = JSON.parse(JSON.stringify(before)) as JsonValue;
    const patched = applyPatch(before, diffJson(before, after));
    expect(patched).toEqual(after);
    expect(before).toEqual(frozen);
  });

  it('is small for a small change: only the changed leaf travels', () => {
    const before = { big: 'x'.repeat(1000), step: { index: 1 } };
    expect(diffJson(before, { ...before, step: { index: 2 } })).toEqual([[['step', 'index'], 2]]);
    expect(diffJson(before, before)).toEqual([]);
  });

  it('finds a value inside a document by content, and reads it back by path', () => {
    const state: JsonValue = { outstanding: [{ type: 'StartTimer', id: 't' }, { type: 'RunAction', id: 'a', input: [1] }], other: 1 };
    const path = findJsonPath(state, { type: 'RunAction', id: 'a', input: [1] });
    expect(path).toEqual(['outstanding', 1]);
    expect(jsonAt(state, path!)).toEqual({ type: 'RunAction', id: 'a', input: [1] });
    expect(findJsonPath(state, { type: 'RunAction', id: 'b' })).toBeUndefined();
    expect(jsonAt(state, ['outstanding', 5])).toBeUndefined();
  });
});
