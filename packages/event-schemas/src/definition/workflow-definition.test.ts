import { describe, expect, it } from 'vitest';
import { everyStepType } from '../__fixtures__/every-step-type.js';
import { formatIssues } from '../format-issues.js';
import { isExpr } from './expr.js';
import { STEP_TYPE } from './step-type.js';
import { WorkflowDefinition } from './workflow-definition.js';
import { workflowDefinitionJsonSchema } from './json-schema-export.js';

function stepTypesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => stepTypesIn(v, found));
  else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.type === 'string' && typeof obj.id === 'string') found.add(obj.type);
    Object.values(obj).forEach((v) => stepTypesIn(v, found));
  }
  return found;
}

describe('WorkflowDefinition', () => {
  it('accepts a definition that uses every step type, unchanged', () => {
    expect([...stepTypesIn(everyStepType.steps)].sort()).toEqual(Object.values(STEP_TYPE).sort());
    const parsed = WorkflowDefinition.parse(everyStepType);
    expect(parsed).toEqual(everyStepType);
  });

  it('rejects unknown fields (strict objects) with the path of the field', () => {
    const bad = structuredClone(everyStepType) as Record<string, unknown>;
    (bad.steps as Record<string, unknown>[])[0]!.saveAs = 'vars.x';
    const result = WorkflowDefinition.safeParse(bad);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toContain('steps[0]: Unrecognized key: "saveAs"');
  });

  it('rejects an unknown step type at steps[i].type, also deep inside branches', () => {
    const bad = structuredClone(everyStepType);
    (bad.steps[2] as { then: unknown[] }).then[0] = { id: 'x', type: 'control.while' };
    const result = WorkflowDefinition.safeParse(bad);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toMatch(/^steps\[2\]\.then\[0\]\.type: Invalid discriminator value/m);
  });

  it('reports every schema issue at once, one line per issue with its path', () => {
    const result = WorkflowDefinition.safeParse({
      name: 'Bad Name',
      version: '1.0',
      steps: [
        { id: 'a', type: 'control.if', condition: 'yes', then: [] },
        { id: 'b', type: 'action.call', action: 'core.echo', actionVersion: 0 },
        { id: 'c', type: 'time.wait' },
      ],
    });
    expect(result.success).toBe(false);
    const lines = formatIssues(result.error!).split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      'name',
      'version',
      'steps[0].condition',
      'steps[1].actionVersion',
      'steps[2]',
    ]);
    expect(lines[4]).toBe('steps[2]: time.wait needs exactly one of durationMs or until');
  });

  it('requires at least one step and a lower-case name', () => {
    expect(WorkflowDefinition.safeParse({ name: 'ok.name', version: '1.0.0', steps: [] }).success).toBe(false);
    expect(WorkflowDefinition.safeParse({ name: 'ok.name-2_x', version: '1.0.0-rc.1', steps: [{ id: 's', type: 'control.return' }] }).success).toBe(true);
  });

  it('rejects a reserved item variable name', () => {
    const result = WorkflowDefinition.safeParse({
      name: 'w',
      version: '1.0.0',
      steps: [{ id: 'l', type: 'control.forEach', items: [], itemVar: 'vars', body: [] }],
    });
    expect(formatIssues(result.error!)).toBe('steps[0].itemVar: is a reserved context name');
  });
});

describe('workflowDefinitionJsonSchema', () => {
  it('is a draft 2020-12 schema whose step union lists every step type', () => {
    const schema = workflowDefinitionJsonSchema() as { $schema: string; $defs: Record<string, { oneOf?: unknown[] }> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$defs.Step!.oneOf).toHaveLength(Object.values(STEP_TYPE).length);
    expect(schema.$defs.TimeWaitStep!.oneOf).toEqual([{ required: ['durationMs'] }, { required: ['until'] }]);
  });
});

describe('isExpr', () => {
  it('recognises exactly {"$expr": string}', () => {
    expect(isExpr({ $expr: 'a' })).toBe(true);
    expect(isExpr({ $expr: 'a', b: 1 })).toBe(false);
    expect(isExpr({ $expr: 1 })).toBe(false);
    expect(isExpr(['$expr'])).toBe(false);
    expect(isExpr(null)).toBe(false);
  });
});
