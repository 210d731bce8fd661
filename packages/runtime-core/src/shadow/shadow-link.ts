// How a shadow run and its primary know each other. Every id on one side is derived from the
// other side's id, never looked up: the shadow's run id from the primary's, and the ids the
// interpreter derives inside a run (`${runId}:${stepId}:${iteration}:${attempt}...`) by swapping
// the run-id prefix, so both drivers and the run service agree without a mapping table.
import type { EngineKind } from '@baton/event-schemas';
import { uuidFromName } from '../hashing/content-hash.js';
import { childRunIdFor } from '../interpreter/ids.js';

/** What a run is in a shadow pair: the primary (its effects are real) or its shadow (no effects). */
export type ShadowLink =
  | { readonly role: 'primary'; readonly shadowRunId: string; readonly shadowEngine: EngineKind }
  | { readonly role: 'shadow'; readonly primaryRunId: string; readonly primaryEngine: EngineKind };

/** The run id of the shadow of `primaryRunId`: a UUID derived from it, the same in every process. */
export function shadowRunIdFor(primaryRunId: string): string {
  return uuidFromName(`${primaryRunId}:shadow`);
}

/** The other engine. */
export function otherEngine(engine: EngineKind): EngineKind {
  return engine === 'db' ? 'temporal' : 'db';
}

/**
 * The key of one action attempt inside its run, without the run id: `${stepId}:${iteration}:${attempt}`
 * (the interpreter's `commandId` is `${runId}:` + this). The shadow's attempt and the primary's attempt of
 * the same step, iteration and attempt number have the same key.
 */
export function invocationKeyOf(runId: string, commandId: string): string {
  return commandId.startsWith(`${runId}:`) ? commandId.slice(runId.length + 1) : commandId;
}

/** An interpreter id of run `fromRunId` (task, wait, attempt id) as the same id in run `toRunId`. */
export function counterpartId(id: string, fromRunId: string, toRunId: string): string {
  return id.startsWith(`${fromRunId}:`) ? `${toRunId}${id.slice(fromRunId.length)}` : id;
}

/** The run id the counterpart run gives the child it starts at the same step attempt (`attemptId` of this run). */
export function counterpartChildRunId(attemptId: string, runId: string, counterpartRunId: string): string {
  return childRunIdFor(counterpartId(attemptId, runId, counterpartRunId));
}

/**
 * The link of a child started by a run linked by `link`: the child of a shadow is a shadow of the
 * primary's child at the same step attempt, and the child of a primary is shadowed by that child.
 */
export function childShadowLink(link: ShadowLink, runId: string, engine: EngineKind, attemptId: string): ShadowLink {
  if (link.role === 'shadow') {
    return { role: 'shadow', primaryRunId: counterpartChildRunId(attemptId, runId, link.primaryRunId), primaryEngine: link.primaryEngine };
  }
  return { role: 'primary', shadowRunId: counterpartChildRunId(attemptId, runId, link.shadowRunId), shadowEngine: link.shadowEngine };
}
