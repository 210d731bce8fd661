// Kept free of zod values: the Temporal workflow bundle imports this constant, and every module it
// imports is initialised again for each workflow run.
import type { RetryableCategory } from './retry-policy.js';

/** Default categories retried when a policy has no `retryOn`. */
export const DEFAULT_RETRY_ON: readonly RetryableCategory[] = ['TransientError'];
