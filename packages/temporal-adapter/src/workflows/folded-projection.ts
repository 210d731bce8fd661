// A projection batch as an action call carries it (`RunActionRequest.projection`): the activity
// input is recorded in the history, so the batch leaves out what the request already says (tenant,
// run) and the lists that are empty. Sandbox-safe, pure.
import type { ProjectionBatch } from './activity-contracts.js';

/** A folded projection batch: only the lists with items, and the run patch if any. A full batch (as recorded by older workers) is one too. */
export type FoldedProjection = Partial<Omit<ProjectionBatch, 'tenant' | 'runId'>>;

const LISTS = ['steps', 'openedWaits', 'openedTasks', 'closedWaits', 'resolvedTasks', 'closedTasks', 'inboxRequests'] as const;

/** `batch` without its tenant, run and empty lists. */
export function foldProjection(batch: ProjectionBatch): FoldedProjection {
  const folded: Record<string, unknown> = {};
  for (const list of LISTS) if (batch[list]?.length) folded[list] = batch[list];
  if (batch.run) folded['run'] = batch.run;
  return folded as FoldedProjection;
}

/** The full batch of a folded one, for the run the action call is for. */
export function unfoldProjection(tenant: string, runId: string, folded: FoldedProjection): ProjectionBatch {
  return {
    tenant,
    runId,
    steps: folded.steps ?? [],
    openedWaits: folded.openedWaits ?? [],
    openedTasks: folded.openedTasks ?? [],
    closedWaits: folded.closedWaits ?? [],
    resolvedTasks: folded.resolvedTasks ?? [],
    closedTasks: folded.closedTasks ?? [],
    ...(folded.run ? { run: folded.run } : {}),
    ...(folded.inboxRequests?.length ? { inboxRequests: folded.inboxRequests } : {}),
  };
}
