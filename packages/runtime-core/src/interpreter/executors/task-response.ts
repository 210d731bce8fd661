import type { JsonValue, WorkflowError } from '@baton/event-schemas';
import { validateAgainstJsonSchema } from '../../json-schema/validate-json-schema.js';
import { REJECTION_CODE, workflowError } from '../workflow-errors.js';

/** The VALIDATION_ERROR rejection of a task response that does not satisfy the form schema, if any. */
export function taskResponseRejection(formSchema: JsonValue | undefined, response: JsonValue, stepId: string): WorkflowError | undefined {
  const result = validateAgainstJsonSchema(formSchema, response);
  if (result.ok) return undefined;
  const issues = result.issues.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }));
  return workflowError(
    'ValidationError',
    REJECTION_CODE.VALIDATION_ERROR,
    `the response does not satisfy the form schema: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    stepId,
    { issues },
  );
}
