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
