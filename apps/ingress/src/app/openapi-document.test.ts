import { expect, it } from 'vitest';
import { repairSharedRefs } from './openapi-document.js';

it('rewrites the shared $defs refs of recursive schemas into JSON pointers and leaves the rest alone', () => {
  const doc = {
    a: { $ref: '#/components/schemas/__shared#/$defs/schema0' },
    b: [{ items: { $ref: '#/components/schemas/Step' } }],
    c: { $ref: 'not-a-string-ref', n: 1, s: null },
  };
  expect(repairSharedRefs(doc)).toEqual({
    a: { $ref: '#/components/schemas/__shared/$defs/schema0' },
    b: [{ items: { $ref: '#/components/schemas/Step' } }],
    c: { $ref: 'not-a-string-ref', n: 1, s: null },
  });
});
