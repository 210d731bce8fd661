import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createActionRegistry } from '../actions/builtin/builtin-actions.js';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import { everyStepType } from './__fixtures__/every-step-type.js';
import { definitionHash, validateDefinition } from './validate-definition.js';

const actions = createActionRegistry();
const jsonSchema = createRequire(import.meta.url)('@baton/event-schemas/workflow-definition.schema.json') as object;

describe('validateDefinition', () => {
  it('accepts a definition with every step type and returns it with its content hash', () => {
    const result = validateDefinition(everyStepType, { actions });
    expect(result).toEqual({ ok: true, definition: everyStepType, hash: definitionHash(everyStepType) });
    if (result.ok) expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the exported JSON Schema accepts the same definition and rejects a wrong step type', () => {
    expect(validateAgainstJsonSchema(jsonSchema, everyStepType)).toEqual({ ok: true });
    const wrong = structuredClone(everyStepType) as { steps: { type: string }[] };
    wrong.steps[0]!.type = 'control.while';
    expect(validateAgainstJsonSchema(jsonSchema, wrong).ok).toBe(false);
    const extra = { ...structuredClone(everyStepType), owner: 'me' };
    expect(validateAgainstJsonSchema(jsonSchema, extra).ok).toBe(false);
  });

  it('reports every issue at once, each with its path and code', () => {
    const result = validateDefinition(
      {
        name: 'bad.flow',
        version: '1.0.0',
        inputSchema: { type: 'thing' },
        steps: [
          { id: 'a', type: 'transform.assign', assign: { 'vars.ok': 1, 'state.x': 2, 'vars.__proto__.polluted': true } },
          {
            id: 'check',
            type: 'control.if',
            condition: { $expr: 'vars.ok =' },
            then: [
              { id: 'a', type: 'action.call', action: 'nope.missing', actionVersion: 3, saveAs: 'vars.constructor' },
              { id: 'ask', type: 'human.task', taskType: 't', title: 'x', formSchema: { required: 'ok' } },
              { id: 'call', type: 'control.callWorkflow', workflow: 'other', version: 'not a range' },
              { id: 'bad', type: 'control.loop' },
            ],
          },
          { id: 'fn', type: 'transform.assign', assign: { 'vars.t': { $expr: '$random()' } } },
        ],
      },
      { actions },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.issues.map((i) => `${i.code} ${i.path}`).sort();
    expect(found).toEqual(
      [
        'DUPLICATE_STEP_ID steps[1].then[0].id',
        'INVALID_ASSIGN_PATH steps[0].assign["state.x"]',
        'INVALID_ASSIGN_PATH steps[0].assign["vars.__proto__.polluted"]',
        'INVALID_ASSIGN_PATH steps[1].then[0].saveAs',
        'INVALID_EXPR steps[1].condition.$expr',
        'INVALID_EXPR steps[2].assign["vars.t"].$expr',
        'INVALID_INPUT_SCHEMA inputSchema',
        'INVALID_INPUT_SCHEMA steps[1].then[1].formSchema',
        'INVALID_WORKFLOW_DEFINITION steps[1].then[2].version',
        'INVALID_WORKFLOW_DEFINITION steps[1].then[3].type',
        'UNKNOWN_ACTION steps[1].then[0].action',
      ].sort(),
    );
    const expr = result.issues.find((i) => i.path === 'steps[1].condition.$expr')!;
    expect(expr.message).toContain('SYNTAX');
    expect(expr.position).toBeTypeOf('number');
    expect(result.issues.find((i) => i.path === 'steps[2].assign["vars.t"].$expr')!.message).toContain('DISALLOWED_FUNCTION');
    expect(result.issues.find((i) => i.code === 'DUPLICATE_STEP_ID')!.message).toBe('step id "a" is already used at steps[0]');
  });

  it('rejects an object that mixes $expr with other keys', () => {
    const result = validateDefinition({ name: 'x', version: '1.0.0', steps: [{ id: 's', type: 'control.return', output: { $expr: '1', other: 2 } }] });
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'INVALID_EXPR', path: 'steps[0].output.$expr' }] });
  });

  it('skips the action check without a registry and checks expressions of the trigger', () => {
    const definition = { name: 'x', version: '1.0.0', trigger: { type: 'event', eventName: 'E', input: { $expr: '(' } }, steps: [{ id: 's', type: 'action.call', action: 'custom.thing', actionVersion: 1 }] };
    expect(validateDefinition(definition)).toMatchObject({ ok: false, issues: [{ code: 'INVALID_EXPR', path: 'trigger.input.$expr' }] });
  });

  it('accepts an entity trigger and reports a bad entityKey with its path', () => {
    const steps = [{ id: 'w', type: 'event.wait', eventName: 'E', correlationKey: { $expr: 'run.entityKey' } }];
    const trigger = { type: 'event', eventName: 'E', entityKey: { $expr: 'event.payload.customerId' } };
    expect(validateDefinition({ name: 'x', version: '1.0.0', trigger, steps })).toMatchObject({ ok: true });
    expect(validateDefinition({ name: 'x', version: '1.0.0', trigger: { ...trigger, entityKey: { $expr: 'event.(' } }, steps })).toMatchObject({
      ok: false,
      issues: [{ code: 'INVALID_EXPR', path: 'trigger.entityKey.$expr' }],
    });
    const literal = validateDefinition({ name: 'x', version: '1.0.0', trigger: { ...trigger, entityKey: 'customer-1' }, steps });
    expect(literal).toMatchObject({ ok: false, issues: [{ code: 'INVALID_WORKFLOW_DEFINITION', path: 'trigger.entityKey' }] });
    const extra = validateDefinition({ name: 'x', version: '1.0.0', trigger: { ...trigger, entityKey: { $expr: 'event.payload.id', other: 1 } }, steps });
    expect(extra).toMatchObject({ ok: false });
    expect(extra.ok ? [] : extra.issues.map((i) => i.path)).toContain('trigger.entityKey');
  });

  it('enforces the size limit and refuses values that are not JSON', () => {
    expect(validateDefinition(everyStepType, { maxDefinitionBytes: 100 })).toMatchObject({ ok: false, issues: [{ code: 'INVALID_WORKFLOW_DEFINITION', path: '' }] });
    expect(validateDefinition({ name: 'x', version: '1.0.0', steps: [{ id: 's', type: 'control.return', output: Number.NaN }] })).toMatchObject({
      ok: false,
      issues: [{ code: 'INVALID_WORKFLOW_DEFINITION', path: 'steps[0].output' }],
    });
  });

  it('hashes content: key order and $schema do not matter, any change does', () => {
    const reordered = JSON.parse(JSON.stringify({ steps: everyStepType.steps, version: everyStepType.version, name: everyStepType.name, trigger: everyStepType.trigger, inputSchema: everyStepType.inputSchema, description: everyStepType.description }));
    expect(definitionHash(reordered)).toBe(definitionHash(everyStepType));
    expect(definitionHash({ ...everyStepType, description: 'changed' })).not.toBe(definitionHash(everyStepType));
  });
});
