import { describe, expect, it } from 'vitest';
import { LruCache } from './compile-cache.js';
import { COMPILE_CACHE_CAPACITY, clearCompileCache, compileExpression } from './compile-expression.js';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its capacity; a read counts as a use', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
});

describe('compile cache', () => {
  it('compiles an expression once per (source, options), options compared by value', () => {
    clearCompileCache();
    const first = compileExpression('vars.n + 1', { allowedFunctions: ['$sum', '$count'] });
    expect(compileExpression('vars.n + 1', { allowedFunctions: ['count', 'sum'] })).toBe(first);
    expect(compileExpression('vars.n + 1')).not.toBe(first);
    expect(compileExpression('vars.n + 1', { allowedFunctions: ['$sum', '$count'], undefinedAsNull: true })).not.toBe(first);
    expect(compileExpression('vars.n + 2', { allowedFunctions: ['$sum', '$count'] })).not.toBe(first);
  });

  it('is bounded: after more distinct sources than its capacity, the oldest is compiled again', () => {
    clearCompileCache();
    const oldest = compileExpression('0');
    for (let i = 1; i <= COMPILE_CACHE_CAPACITY; i++) compileExpression(String(i));
    expect(compileExpression('0')).not.toBe(oldest);
    expect(compileExpression(String(COMPILE_CACHE_CAPACITY))).toBe(compileExpression(String(COMPILE_CACHE_CAPACITY)));
  });

  it('does not cache rejected sources as compiled', () => {
    expect(() => compileExpression('$random()')).toThrow();
    expect(() => compileExpression('$random()')).toThrow();
  });
});
