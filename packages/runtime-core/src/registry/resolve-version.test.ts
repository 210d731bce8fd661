import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors/baton-error.js';
import { routeEngine } from '../routing/route-engine.js';
import { latestVersion, resolveVersion } from './resolve-version.js';

const published = ['1.0.0', '1.2.0', '1.3.0', '2.0.0-beta.1'];
const runKeys = Array.from({ length: 10_000 }, (_, i) => `order-${i}`);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isBatonError(err) ? err.code : 'not-a-baton-error';
  }
  return undefined;
}

describe('resolveVersion', () => {
  it('latest is the highest release, ignoring prereleases unless there are only prereleases', () => {
    expect(resolveVersion('w', { type: 'latest' }, 'k', published)).toBe('1.3.0');
    expect(latestVersion(['1.0.0', '1.10.0', '1.9.0'])).toBe('1.10.0');
    expect(latestVersion(['0.1.0-rc.1', '0.1.0-rc.2'])).toBe('0.1.0-rc.2');
  });

  it('exact is that version, and an unpublished exact version is WORKFLOW_NOT_FOUND', () => {
    expect(resolveVersion('w', { type: 'exact', version: '1.0.0' }, 'k', published)).toBe('1.0.0');
    expect(codeOf(() => resolveVersion('w', { type: 'exact', version: '9.9.9' }, 'k', published))).toBe('WORKFLOW_NOT_FOUND');
  });

  it('a workflow without versions is WORKFLOW_NOT_FOUND', () => {
    expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', []))).toBe('WORKFLOW_NOT_FOUND');
  });

  it('weighted 90/10 splits 10,000 run keys 90% ± 1% / 10% ± 1%', () => {
    const policy = { type: 'weighted', weights: { '1.3.0': 10, '1.2.0': 90 } } as const;
    const counts = new Map<string, number>();
    for (const key of runKeys) {
      const v = resolveVersion('billing.invoice', policy, key, published);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['1.2.0', '1.3.0']);
    expect(counts.get('1.3.0')!).toBeGreaterThanOrEqual(900);
    expect(counts.get('1.3.0')!).toBeLessThanOrEqual(1100);
  });

  it('weighted gives the same key the same version, whatever the order of the weights object', () => {
    const a = runKeys.map((k) => resolveVersion('w', { type: 'weighted', weights: { '1.2.0': 50, '1.3.0': 50 } }, k, published));
    const b = runKeys.map((k) => resolveVersion('w', { type: 'weighted', weights: { '1.3.0': 50, '1.2.0': 50 } }, k, published));
    expect(b).toEqual(a);
  });

  it('weighted skips zero weights and refuses a policy without a positive weight', () => {
    const only = runKeys.slice(0, 500).map((k) => resolveVersion('w', { type: 'weighted', weights: { '1.0.0': 0, '1.2.0': 3 } }, k, published));
    expect(new Set(only)).toEqual(new Set(['1.2.0']));
    expect(codeOf(() => resolveVersion('w', { type: 'weighted', weights: { '1.0.0': 0 } }, 'k', published))).toBe('WORKFLOW_NOT_FOUND');
  });

  it('the weighted canary and the engine canary pick independent sets of runs', () => {
    // Both at 10%: if they hashed the same string, the same 10% of runs would get both.
    const both = runKeys.filter(
      (k) =>
        resolveVersion('w', { type: 'weighted', weights: { '1.2.0': 90, '1.3.0': 10 } }, k, published) === '1.3.0' &&
        routeEngine({ type: 'percent', temporalPercent: 10 }, { tenant: 't', workflow: 'w', executionKey: k }) === 'temporal',
    ).length;
    expect(both).toBeLessThan(250);
  });

  it('a range keeps the policy pick when it satisfies it, else takes the highest version in range', () => {
    expect(resolveVersion('w', { type: 'exact', version: '1.2.0' }, 'k', published, { range: '^1.0.0' })).toBe('1.2.0');
    expect(resolveVersion('w', { type: 'latest' }, 'k', published, { range: '~1.2' })).toBe('1.2.0');
    expect(resolveVersion('w', { type: 'latest' }, 'k', published, { range: '1.0.0' })).toBe('1.0.0');
    expect(resolveVersion('w', { type: 'latest' }, 'k', published, { range: '2.0.0-beta.1' })).toBe('2.0.0-beta.1');
    expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', published, { range: '^3' }))).toBe('WORKFLOW_NOT_FOUND');
    expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', published, { range: 'not a range!' }))).toBe('VALIDATION_ERROR');
  });

  describe('retired versions', () => {
    const retired = ['1.3.0'];

    it('latest skips a retired version and takes the highest version in service', () => {
      expect(resolveVersion('w', { type: 'latest' }, 'k', published, { retired })).toBe('1.2.0');
      expect(resolveVersion('w', { type: 'latest' }, 'k', published, { retired: ['1.0.0', '1.2.0', '1.3.0'] })).toBe('2.0.0-beta.1');
      expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', published, { retired: published }))).toBe('WORKFLOW_VERSION_RETIRED');
    });

    it('an exact policy naming a retired version is WORKFLOW_VERSION_RETIRED', () => {
      expect(codeOf(() => resolveVersion('w', { type: 'exact', version: '1.3.0' }, 'k', published, { retired }))).toBe('WORKFLOW_VERSION_RETIRED');
      expect(resolveVersion('w', { type: 'exact', version: '1.2.0' }, 'k', published, { retired })).toBe('1.2.0');
    });

    it('weighted never picks a retired version: its weight counts as 0', () => {
      const picks = runKeys.slice(0, 2000).map((k) => resolveVersion('w', { type: 'weighted', weights: { '1.2.0': 50, '1.3.0': 50 } }, k, published, { retired }));
      expect(new Set(picks)).toEqual(new Set(['1.2.0']));
      expect(codeOf(() => resolveVersion('w', { type: 'weighted', weights: { '1.0.0': 0, '1.3.0': 5 } }, 'k', published, { retired }))).toBe('WORKFLOW_VERSION_RETIRED');
    });

    it('a range takes the highest version in service; a range only retired versions satisfy is WORKFLOW_VERSION_RETIRED', () => {
      expect(resolveVersion('w', { type: 'latest' }, 'k', published, { range: '^1.0.0', retired })).toBe('1.2.0');
      expect(resolveVersion('w', { type: 'exact', version: '1.3.0' }, 'k', published, { range: '^1.0.0', retired })).toBe('1.2.0');
      expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', published, { range: '1.3.0', retired }))).toBe('WORKFLOW_VERSION_RETIRED');
      expect(codeOf(() => resolveVersion('w', { type: 'latest' }, 'k', published, { range: '^3', retired }))).toBe('WORKFLOW_NOT_FOUND');
    });
  });
});
