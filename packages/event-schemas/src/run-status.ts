import { z } from 'zod';

/** Status of a run, as the API reports it. */
export const RunStatus = z.enum(['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELED']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Statuses after which a run never changes again. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

/** True for SUCCEEDED, FAILED and CANCELED. */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}
