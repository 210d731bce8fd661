import { describe, expect, it } from 'vitest';
import { checkJsonSchema } from './check-json-schema.js';

describe('checkJsonSchema', () => {
  it('accepts usual schemas and booleans', () => {
    expect(checkJsonSchema({ type: 'object', required: ['a'], properties: { a: { type: ['string', 'null'], pattern: '^x' } } })).toEqual([]);
    expect(checkJsonSchema(true)).toEqual([]);
    expect(checkJsonSchema({ 'x-custom': 1 })).toEqual([]);
  });

  it('reports wrong keyword values with their location', () => {
    const problems = checkJsonSchema({ type: 'object', properties: { a: { type: 'text' } }, required: 'a' });
    expect(problems.map((p) => p.path).sort()).toEqual(['/properties/a/type', '/required']);
  });

  it('reports an invalid regular expression and non-object schemas', () => {
    expect(checkJsonSchema({ properties: { a: { pattern: '(' } } })).toMatchObject([{ path: '/properties/a/pattern' }]);
    expect(checkJsonSchema('string')).toMatchObject([{ path: '', message: 'a JSON Schema must be an object or a boolean' }]);
    expect(checkJsonSchema([])).toHaveLength(1);
  });
});

describe('checkJsonSchema refuses what cannot be evaluated in bounded time', () => {
  it('refuses patternProperties and patterns outside RE2 syntax, accepts RE2 patterns (even catastrophic ones for backtracking engines)', () => {
    expect(checkJsonSchema({ patternProperties: { '^x-': { type: 'string' } } })).toMatchObject([{ path: '/patternProperties', message: expect.stringMatching(/patternProperties is not supported/) }]);
    expect(checkJsonSchema({ properties: { a: { pattern: '^(?=x)' } } })).toMatchObject([{ path: '/properties/a/pattern', message: expect.stringMatching(/linear-time engine/) }]);
    expect(checkJsonSchema({ properties: { a: { pattern: '(a)\\1' } } })).toMatchObject([{ path: '/properties/a/pattern' }]);
    expect(checkJsonSchema({ properties: { s: { type: 'string', pattern: '^(a|a)*$' } } })).toEqual([]);
  });
});
