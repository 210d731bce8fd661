import { z } from 'zod';
import { TimeWaitStep } from './leaf-steps.js';
import { WorkflowDefinition } from './workflow-definition.js';

/** The JSON Schema (draft 2020-12) of {@link WorkflowDefinition}, for editors (`"$schema"`) and other tools. */
export function workflowDefinitionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(WorkflowDefinition, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      // zod refinements have no JSON Schema form; spell out "exactly one of durationMs or until".
      if (ctx.zodSchema === TimeWaitStep) ctx.jsonSchema.oneOf = [{ required: ['durationMs'] }, { required: ['until'] }];
    },
  }) as Record<string, unknown>;
  return { ...schema, title: 'Baton workflow definition (format v1)' };
}
