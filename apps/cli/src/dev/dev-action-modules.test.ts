import { describe, expect, it } from 'vitest';
import { devActionModules } from './dev-action-modules.js';

describe('the action modules baton dev hands its worker', () => {
  const example = '/repo/examples/actions/shop-actions.mjs';

  it('adds the user BATON_ACTIONS to the example module the demo calls, user modules first', () => {
    expect(devActionModules('./billing-actions.mjs, @acme/more-actions', [example], '/work')).toBe('./billing-actions.mjs,@acme/more-actions,/repo/examples/actions/shop-actions.mjs');
  });

  it('lists a module once when the user names the example module too (a duplicate would stop the worker)', () => {
    expect(devActionModules('../repo/examples/actions/shop-actions.mjs', [example], '/work')).toBe('../repo/examples/actions/shop-actions.mjs');
    expect(devActionModules(example, [example], '/elsewhere')).toBe(example);
  });

  it('is the example module alone without BATON_ACTIONS, and empty with neither', () => {
    expect(devActionModules(undefined, [example], '/work')).toBe(example);
    expect(devActionModules('', [], '/work')).toBe('');
    expect(devActionModules(' , ', [], '/work')).toBe('');
  });
});
