import { z } from 'zod';

/** One validation issue of a request or definition, located by its path (`steps[2].then[0].condition`). */
export const ValidationIssue = z
  .object({
    path: z.string().describe('Location of the offending value, e.g. "steps[2].then[0].condition" ("" = root)'),
    message: z.string(),
    code: z.string().describe('Machine-readable issue code, e.g. DUPLICATE_STEP_ID'),
  })
  .meta({ id: 'ValidationIssue' });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** API error codes of SPEC-api. */
export const API_ERROR_CODE = {
  unauthorized: 'UNAUTHORIZED',
  notFound: 'NOT_FOUND',
  validation: 'VALIDATION_ERROR',
  invalidDefinition: 'INVALID_WORKFLOW_DEFINITION',
  versionExists: 'WORKFLOW_VERSION_EXISTS',
  taskAlreadyCompleted: 'TASK_ALREADY_COMPLETED',
  runAlreadyFinished: 'RUN_ALREADY_FINISHED',
  runNotFailed: 'RUN_NOT_FAILED',
  temporalCancelFailed: 'WORKFLOW_TEMPORAL_CANCEL_FAILED',
  temporalActionUnsupported: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED',
  correlationKeyMissing: 'CORRELATION_KEY_MISSING',
} as const;
export type ApiErrorCode = (typeof API_ERROR_CODE)[keyof typeof API_ERROR_CODE];

/** Body of every non-2xx answer: `{error: {code, message, ...details}}`. */
export const ErrorResponse = z
  .object({
    error: z.looseObject({
      code: z.string().describe('Machine-readable error code, e.g. RUN_NOT_FAILED'),
      message: z.string(),
      issues: z.array(ValidationIssue).optional().describe('Present on validation failures'),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Extra fields of an "unsupported action for this engine" error (409 WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED). */
export const UnsupportedActionError = z
  .object({
    code: z.literal('WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED'),
    message: z.string(),
    action: z.string().describe('The refused operation, e.g. "retry"'),
    engine: z.string(),
    runId: z.string(),
    hint: z.string(),
  })
  .meta({ id: 'UnsupportedActionError' });
export type UnsupportedActionError = z.infer<typeof UnsupportedActionError>;
