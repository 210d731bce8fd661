import { describe, expect, it } from 'vitest';
import { childFailureError } from './child-failure.js';

// Every driver maps how a child ended through this one function, so a cause has one code everywhere.
describe('childFailureError', () => {
  it('a cancelled child and an unresolvable child each have one category and code', () => {
    expect(childFailureError({ kind: 'canceled', reason: 'operator' })).toMatchObject({ category: 'ChildWorkflowError', code: 'CHILD_CANCELED' });
    expect(childFailureError({ kind: 'canceled' })).toMatchObject({ category: 'ChildWorkflowError', code: 'CHILD_CANCELED' });
    expect(childFailureError({ kind: 'unresolvable', workflow: 'w', reason: 'no version satisfies ^9', reasonCode: 'WORKFLOW_NOT_FOUND' })).toEqual({
      category: 'ValidationError',
      code: 'CHILD_UNRESOLVABLE',
      message: 'child workflow w cannot be started: no version satisfies ^9',
      details: { workflow: 'w', reasonCode: 'WORKFLOW_NOT_FOUND' },
    });
  });

  it("a failed child's own error is kept", () => {
    const error = { category: 'ActionError' as const, code: 'CHILD_REFUSED', message: 'no' };
    expect(childFailureError({ kind: 'failed', error })).toBe(error);
  });
});
