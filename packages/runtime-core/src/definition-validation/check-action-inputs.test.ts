import { describe, expect, it } from 'vitest';
import { builtinActions } from '../actions/builtin/builtin-actions.js';
import { describeAction } from '../actions/describe-action.js';
import { actionCatalogOf } from '../actions/descriptor-catalog.js';
import { validateDefinition } from './validate-definition.js';
import { checkActionInputs } from './check-action-inputs.js';

const catalog = actionCatalogOf(builtinActions().map(describeAction));
const withStep = (input: unknown) => ({
  name: 'inputs',
  version: '1.0.0',
  steps: [{ id: 'branch', type: 'control.if', condition: true, then: [{ id: 'log', type: 'action.call', action: 'core.log', actionVersion: 1, input }] }],
});
const issuesOf = (input: unknown) => {
  const result = validateDefinition(withStep(input), { actions: catalog });
  return result.ok ? [] : result.issues.map((i) => `${i.code} ${i.path}`);
};

describe('literal action inputs against the catalog’s input schema', () => {
  it('reports literal values the schema refuses, at their path inside the step input', () => {
    expect(issuesOf({ message: 5, level: 'loud' })).toEqual(['INVALID_ACTION_INPUT steps[0].then[0].input.message', 'INVALID_ACTION_INPUT steps[0].then[0].input.level']);
    expect(issuesOf({ level: 'info' })).toEqual(['INVALID_ACTION_INPUT steps[0].then[0].input']);
    expect(issuesOf({ message: 'hi', colour: 'red' })).toContain('INVALID_ACTION_INPUT steps[0].then[0].input.colour');
  });

  it('leaves expressions and secret references to run time', () => {
    expect(issuesOf({ message: { $expr: 'input.text' } })).toEqual([]);
    expect(issuesOf({ message: { $secret: 'greeting' }, fields: { a: { $expr: 'vars.x' } } })).toEqual([]);
    expect(issuesOf({ $expr: 'input' })).toEqual([]);
  });

  it('checks nothing when the catalog has no schema (an ActionRegistry checks ids only)', () => {
    const ids = { has: () => true };
    expect(validateDefinition(withStep({ message: 5 }), { actions: ids }).ok).toBe(true);
  });
});

describe('run-time values under additionalProperties', () => {
  const headers = { type: 'object', properties: { headers: { type: 'object', additionalProperties: { type: 'string' } } } };
  const check = (schema: unknown, input: unknown) =>
    checkActionInputs([{ step: { type: 'action.call', action: 'a', actionVersion: 1, input }, path: ['steps', 0] }], { has: () => true, inputSchemaOf: () => schema });
  it('a secret or expression as the value of a string-valued map is left to run time', () => {
    expect(check(headers, { headers: { authorization: { $secret: 'token' }, other: { $expr: 'x' } } })).toEqual([]);
  });
  it('a literal wrong value, or a name additionalProperties: false forbids, is still an issue', () => {
    expect(check(headers, { headers: { authorization: { $secret: 'token' }, n: 5 } }).map((i) => i.path)).toEqual(['steps[0].input.headers.n']);
    expect(check({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { a: 'x', extra: { $secret: 's' } }).map((i) => i.path)).toEqual(['steps[0].input']);
  });
});
