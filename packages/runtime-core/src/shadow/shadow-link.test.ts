import { describe, expect, it } from 'vitest';
import { attemptId, childRunIdFor } from '../interpreter/ids.js';
import { childShadowLink, counterpartId, invocationKeyOf, shadowRunIdFor } from './shadow-link.js';
import { shadowEngineFor } from './shadow-selection.js';

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

describe('shadowEngineFor', () => {
  const keys = Array.from({ length: 2_000 }, (_, i) => ({ tenant: 'acme', workflow: 'billing.invoice', executionKey: `order-${i}` }));

  it('shadows the share of keys the percentage says, on the other engine, stably', () => {
    const shadowed = keys.filter((k) => shadowEngineFor({ percent: 25 }, k, 'db') === 'temporal').length;
    expect(Math.abs(shadowed / keys.length - 0.25)).toBeLessThan(0.03);
    expect(keys.map((k) => shadowEngineFor({ percent: 25 }, k, 'db'))).toEqual(keys.map((k) => shadowEngineFor({ percent: 25 }, { ...k }, 'db')));
    expect(keys.every((k) => shadowEngineFor({ percent: 100 }, k, 'temporal') === 'db')).toBe(true);
    expect(keys.every((k) => shadowEngineFor({ percent: 0 }, k, 'db') === undefined)).toBe(true);
  });

  it('raising the percentage only adds shadowed runs', () => {
    keys.forEach((k) => {
      if (shadowEngineFor({ percent: 10 }, k, 'db')) expect(shadowEngineFor({ percent: 40 }, k, 'db')).toBe('temporal');
    });
  });

  it('never shadows a run on its own engine, and not without a policy', () => {
    expect(shadowEngineFor({ percent: 100, engine: 'db' }, keys[0]!, 'db')).toBeUndefined();
    expect(shadowEngineFor({ percent: 100, engine: 'temporal' }, keys[0]!, 'db')).toBe('temporal');
    expect(shadowEngineFor(undefined, keys[0]!, 'db')).toBeUndefined();
  });
});
