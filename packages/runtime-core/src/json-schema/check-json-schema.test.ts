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
