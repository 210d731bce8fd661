import { z } from 'zod';
import { ErrorCategory } from '../workflow-error.js';

/** Error categories a retry policy may list in `retryOn` (a cancellation is never retried). */
export const RetryableCategory = ErrorCategory.exclude(['Canceled']);
export type RetryableCategory = z.infer<typeof RetryableCategory>;

/** How a failed action attempt is retried; attempts are 1-based and counted per step. */
export const RetryPolicy = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(100).describe('Total attempts including the first; 1 = no retry'),
    backoffMs: z.number().int().min(0).describe('Delay before the 2nd attempt, in ms'),
    backoffMultiplier: z.number().min(1).max(100).optional().describe('Factor applied to the delay after each retry. Default 2'),
    maxDelayMs: z.number().int().min(0).optional().describe('Upper bound of any single delay, in ms'),
    jitter: z
      .boolean()
      .optional()
      .describe('Scale each delay into [50%, 100%] by a factor derived from the run id and attempt (never random). Default false'),
    retryOn: z
      .array(RetryableCategory)
      .min(1)
      .optional()
      .describe('Error categories that are retried. Default ["TransientError"]'),
  })
  .describe('Retry policy of an action.call step')
  .meta({ id: 'RetryPolicy' });
export type RetryPolicy = z.infer<typeof RetryPolicy>;
