import { DEFAULT_RETRY_ON, type RetryPolicy, type WorkflowError } from '@baton/event-schemas';
import { unitIntervalOf } from '../hashing/content-hash.js';

/** Default multiplier of a retry policy. */
export const DEFAULT_BACKOFF_MULTIPLIER = 2;

/** True when the policy retries this error after `attempt` (1-based) failed. */
export function shouldRetry(policy: RetryPolicy | undefined, error: WorkflowError, attempt: number): boolean {
  if (!policy || attempt >= policy.maxAttempts || error.category === 'Canceled') return false;
  const retryOn: readonly string[] = policy.retryOn ?? DEFAULT_RETRY_ON;
  return retryOn.includes(error.category);
}

/**
 * Delay before the attempt after `attempt` failed: `backoffMs * multiplier^(attempt-1)`, capped
 * by `maxDelayMs`; with `jitter`, scaled into [50%, 100%] by a factor derived from the run id
 * and attempt (sha-256, never a random source), so replays agree.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, runId: string): number {
  const multiplier = policy.backoffMultiplier ?? DEFAULT_BACKOFF_MULTIPLIER;
  let delay = policy.backoffMs * multiplier ** (attempt - 1);
  if (policy.maxDelayMs !== undefined) delay = Math.min(delay, policy.maxDelayMs);
  if (policy.jitter) delay *= 0.5 + unitIntervalOf(`${runId}:${attempt}`) / 2;
  return Math.round(Math.min(delay, Number.MAX_SAFE_INTEGER));
}
