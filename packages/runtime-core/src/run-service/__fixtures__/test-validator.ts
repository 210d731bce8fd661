import { createHash } from 'node:crypto';
import { WorkflowDefinition } from '@baton/event-schemas';
import { zodIssuesToValidationIssues } from '../../errors/zod-issues.js';
import type { DefinitionValidator } from '../../registry/definition-validator.js';

/** Schema-only validation with a sha-256 of the JSON, standing in for the full `validateDefinition`. */
export const schemaOnlyValidator: DefinitionValidator = (json) => {
  const parsed = WorkflowDefinition.safeParse(json);
  if (!parsed.success) return { ok: false, issues: zodIssuesToValidationIssues(parsed.error) };
  return { ok: true, definition: parsed.data, hash: createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex') };
};
