import { z } from 'zod';
import { JsonValue } from './json-value.js';

/** Error categories of SPEC-dsl "Errors"; they decide retry and catch behaviour. */
export const ErrorCategory = z.enum([
  'ValidationError',
  'ExpressionError',
  'ActionError',
  'TransientError',
  'TimeoutError',
  'ChildWorkflowError',
  'Canceled',
]);
export type ErrorCategory = z.infer<typeof ErrorCategory>;

/** An error as data: what a failed step, action or run carries. */
export const WorkflowError = z.object({
  category: ErrorCategory,
  code: z.string().min(1),
  message: z.string(),
  stepId: z.string().optional(),
  details: JsonValue.optional(),
});
export type WorkflowError = z.infer<typeof WorkflowError>;
