import { describe, expect, it } from 'vitest';
import { attemptId, childRunIdFor } from '../interpreter/ids.js';
import { childShadowLink, counterpartId, invocationKeyOf, shadowRunIdFor } from './shadow-link.js';

describe('shadow ids', () => {
  it('derives the shadow run id from the primary run id, the same everywhere', () => {
    expect(shadowRunIdFor('run-1')).toBe(shadowRunIdFor('run-1'));
    expect(shadowRunIdFor('run-1')).not.toBe(shadowRunIdFor('run-2'));
    expect(shadowRunIdFor('run-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keys an action attempt without its run id, so the shadow and the primary attempt share the key', () => {
    expect(invocationKeyOf('p', 'p:charge:0.2:1')).toBe('charge:0.2:1');
    expect(invocationKeyOf('s', 's:charge:0.2:1')).toBe(invocationKeyOf('p', 'p:charge:0.2:1'));
    expect(counterpartId('p:approve:0:1:task', 'p', 's')).toBe('s:approve:0:1:task');
  });

  it('links the children of a pair: the child of a shadow shadows the child of the primary at the same step attempt', () => {
    const shadowLink = { role: 'shadow', primaryRunId: 'p', primaryEngine: 'db' } as const;
    const childOfShadow = childShadowLink(shadowLink, 's', 'temporal', attemptId('s', 'sub', '0', 1));
    const primaryChild = childRunIdFor(attemptId('p', 'sub', '0', 1));
    expect(childOfShadow).toEqual({ role: 'shadow', primaryRunId: primaryChild, primaryEngine: 'db' });
    const childOfPrimary = childShadowLink({ role: 'primary', shadowRunId: 's', shadowEngine: 'temporal' }, 'p', 'db', attemptId('p', 'sub', '0', 1));
    expect(childOfPrimary).toEqual({ role: 'primary', shadowRunId: childRunIdFor(attemptId('s', 'sub', '0', 1)), shadowEngine: 'temporal' });
  });
});
