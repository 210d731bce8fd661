import { describe, expect, it } from 'vitest';
import { validateAgainstJsonSchema } from './validate-json-schema.js';

describe('validateAgainstJsonSchema', () => {
  const schema = {
    type: 'object',
    required: ['approved', 'comment'],
    properties: { approved: { type: 'boolean' }, comment: { type: 'string', minLength: 1 } },
  };

  it('accepts a value that satisfies the schema', () => {
    expect(validateAgainstJsonSchema(schema, { approved: true, comment: 'ok' })).toEqual({ ok: true });
  });

  it('reports every issue with the path of the offending value', () => {
    const result = validateAgainstJsonSchema(schema, { approved: 'yes', comment: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => `${i.path}:${i.code}`).sort();
    expect(paths).toEqual(['/approved:type', '/comment:minLength']);
  });

  it('reports a missing required property at the root', () => {
    const result = validateAgainstJsonSchema(schema, { approved: false });
    expect(result).toMatchObject({ ok: false, issues: [{ path: '', code: 'required' }] });
  });

  it('treats an absent schema as "anything goes" and a non-object schema as an error', () => {
    expect(validateAgainstJsonSchema(undefined, 42)).toEqual({ ok: true });
    expect(validateAgainstJsonSchema('nope', 42)).toMatchObject({ ok: false, issues: [{ code: 'schema' }] });
  });
});

describe('bounded CPU (hostile schemas and values)', () => {
  it('a catastrophic-backtracking pattern runs in linear time (the issue: ^(a|a)*$ against 28 a + "!" took 28 s)', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a|a)*$' } } };
    const started = performance.now();
    const result = validateAgainstJsonSchema(schema, { s: `${'a'.repeat(28)}!` });
    expect(performance.now() - started).toBeLessThan(200);
    expect(result).toEqual({ ok: false, issues: [{ path: '/s', code: 'pattern', message: 'String does not match pattern "^(a|a)*$".' }] });
    expect(validateAgainstJsonSchema(schema, { s: 'a'.repeat(10_000) })).toEqual({ ok: true });
  });

  it('keeps JSON Schema pattern semantics: unanchored search, next to a format of the same schema', () => {
    const schema = { type: 'string', pattern: 'b+c', format: 'email' };
    expect(validateAgainstJsonSchema({ type: 'string', pattern: 'b+c' }, 'aabbbcdd')).toEqual({ ok: true });
    expect(validateAgainstJsonSchema({ type: 'string', pattern: '^b+c$' }, 'aabbbcdd')).toMatchObject({ ok: false });
    expect(validateAgainstJsonSchema(schema, 'abc@example.com')).toEqual({ ok: true });
    const both = validateAgainstJsonSchema(schema, 'nope');
    expect(both.ok ? [] : both.issues.map((i) => i.code).sort()).toEqual(['format', 'pattern']);
    // a pattern in a branch still decides the branch
    expect(validateAgainstJsonSchema({ anyOf: [{ pattern: '^x' }, { pattern: '^y' }] }, 'yes')).toEqual({ ok: true });
    expect(validateAgainstJsonSchema({ not: { pattern: '^x' } }, 'xyz')).toMatchObject({ ok: false });
  });

  it('uniqueItems is checked on arrays up to 128 items; a longer one fails maxItems instead of costing n² comparisons', () => {
    const schema = { type: 'array', uniqueItems: true };
    expect(validateAgainstJsonSchema(schema, [1, 2, 3])).toEqual({ ok: true });
    expect(validateAgainstJsonSchema(schema, [{ a: 1 }, { a: 1 }])).toMatchObject({ ok: false, issues: [{ code: 'uniqueItems' }] });
    const distinct = Array.from({ length: 50_000 }, (_, i) => i);
    const started = performance.now();
    const long = validateAgainstJsonSchema(schema, distinct);
    expect(performance.now() - started).toBeLessThan(200);
    expect(long).toMatchObject({ ok: false, issues: [{ code: 'maxItems' }] });
  });
});
