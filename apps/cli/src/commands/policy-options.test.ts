import { describe, expect, it } from 'vitest';
import { describeEnginePolicy, describeVersionPolicy, parseEnginePolicy, parseVersionPolicy } from './policy-options.js';
import { UsageError } from './parse-json-option.js';

describe('--engine', () => {
  it('reads db, temporal and percent:<n>', () => {
    expect(parseEnginePolicy('db')).toEqual({ type: 'db' });
    expect(parseEnginePolicy('temporal')).toEqual({ type: 'temporal' });
    expect(parseEnginePolicy('percent:30')).toEqual({ type: 'percent', temporalPercent: 30 });
    expect(parseEnginePolicy('percent:0')).toEqual({ type: 'percent', temporalPercent: 0 });
    expect(parseEnginePolicy('percent:12.5')).toEqual({ type: 'percent', temporalPercent: 12.5 });
  });

  it('refuses anything else with a usage error that names the value', () => {
    for (const bad of ['mongo', 'db:1', 'percent', 'percent:', 'percent:x', 'percent:101', 'percent:-1', 'percent:1:2']) {
      expect(() => parseEnginePolicy(bad), bad).toThrow(UsageError);
    }
    expect(() => parseEnginePolicy('percent:101')).toThrow(/--engine: "percent:101": temporalPercent: .*100/);
    expect(() => parseEnginePolicy('mongo')).toThrow(/--engine: "mongo" is not db, temporal or percent:<0-100>/);
  });
});

describe('--version-policy', () => {
  it('reads latest, exact:<version> and weighted:<json>', () => {
    expect(parseVersionPolicy('latest')).toEqual({ type: 'latest' });
    expect(parseVersionPolicy('exact:1.2.0')).toEqual({ type: 'exact', version: '1.2.0' });
    expect(parseVersionPolicy('weighted:{"1.0.0":90,"1.1.0":10}')).toEqual({ type: 'weighted', weights: { '1.0.0': 90, '1.1.0': 10 } });
  });

  it('refuses a bad kind, version or weights with a usage error', () => {
    for (const bad of ['newest', 'latest:1', 'exact:', 'exact:one', 'weighted:', 'weighted:{', 'weighted:{"1.0.0":-1}', 'weighted:[1]']) {
      expect(() => parseVersionPolicy(bad), bad).toThrow(UsageError);
    }
    expect(() => parseVersionPolicy('weighted:{')).toThrow(/--version-policy weighted: not valid JSON/);
  });
});

describe('policy descriptions', () => {
  it('say what each policy does in one line', () => {
    expect(describeVersionPolicy({ type: 'weighted', weights: { '1.0.0': 75, '1.1.0': 25 } })).toBe('weighted 1.0.0=75 1.1.0=25');
    expect(describeVersionPolicy({ type: 'exact', version: '2.0.0' })).toBe('exact 2.0.0');
    expect(describeEnginePolicy({ type: 'percent', temporalPercent: 30 })).toBe('percent: 30% of new runs to temporal, the rest to db');
    expect(describeEnginePolicy(undefined)).toMatch(/^default/);
  });
});
