// The port both drivers use to make a shadow's action calls effect-free: the primary records each
// action attempt's outcome, the shadow's executor answers the same attempt from that record.
import type { JsonValue, RunStatus, WorkflowError } from '@baton/event-schemas';
import { isTerminalRunStatus } from '@baton/event-schemas';
import type { ActionResult } from '../actions/execute-action.js';
import type { RunActionCommand } from '../interpreter/protocol.js';
import { invocationKeyOf } from './shadow-link.js';

import { SHADOW_STOP_CODE } from './stop-shadow-run.js';

export { SHADOW_STOP_CODE };

/** What the primary recorded for one action attempt. */
export type RecordedInvocation = { readonly ok: true; readonly output: JsonValue } | { readonly ok: false; readonly error: WorkflowError };

/** What a shadow sees of its primary when it asks for one attempt. */
export interface PrimaryInvocationLookup {
  readonly recorded?: RecordedInvocation;
  /** the primary's run status; `undefined` when the primary run does not exist */
  readonly primaryStatus?: RunStatus;
}

/** Storage of the primaries' action outcomes for their shadows (a table in the Postgres adapter). */
export interface ShadowInvocationLog {
  /** Records the outcome of one attempt of the primary; the first record of a key wins. */
  record(tenant: string, primaryRunId: string, key: string, outcome: RecordedInvocation): Promise<void>;
  /** The recorded outcome of `key`, and the primary's current status (one read). */
  lookup(tenant: string, primaryRunId: string, key: string): Promise<PrimaryInvocationLookup>;
}

/** The outcome of an attempt as the primary records it. */
export function recordedInvocationOf(result: ActionResult): RecordedInvocation {
  return result.ok ? { ok: true, output: result.output } : { ok: false, error: result.error };
}

/** What a shadow's action executor does next. */
export type ShadowActionDecision =
  | { readonly kind: 'answer'; readonly result: ActionResult }
  | { readonly kind: 'wait' }
  | { readonly kind: 'stop'; readonly error: WorkflowError };

/**
 * The shadow's answer to one of its action attempts (pure): the primary's recorded outcome of the
 * same step, iteration and attempt; else wait while the primary may still make the call (it is
 * unfinished and `waitedMs < boundMs`); else the shadow stops with `ACTION_NOT_CALLED_BY_PRIMARY`.
 */
export function decideShadowAction(command: RunActionCommand, lookup: PrimaryInvocationLookup, waitedMs: number, boundMs: number): ShadowActionDecision {
  if (lookup.recorded) {
    const r = lookup.recorded;
    return { kind: 'answer', result: r.ok ? { ok: true, output: r.output, reused: true } : { ok: false, error: { ...r.error, stepId: command.stepId } } };
  }
  // A primary not stored yet (a Temporal child is projected after it starts) is waited for like a
  // running one: only a finished primary, or the bound, ends the wait.
  const finished = lookup.primaryStatus !== undefined && isTerminalRunStatus(lookup.primaryStatus);
  if (!finished && waitedMs < boundMs) return { kind: 'wait' };
  const why = finished ? `the primary run ended ${lookup.primaryStatus ?? '(missing)'} without it` : `the primary did not make it within ${boundMs} ms`;
  return {
    kind: 'stop',
    error: {
      category: 'ActionError',
      code: SHADOW_STOP_CODE.ACTION_NOT_CALLED_BY_PRIMARY,
      message: `shadow called ${command.action}@${command.actionVersion} at ${command.path} (attempt ${command.attempt}), which its primary did not call: ${why}`,
      stepId: command.stepId,
      details: { path: command.path, action: command.action, attempt: command.attempt },
    },
  };
}

/** Options of {@link answerFromPrimary}. */
export interface AnswerFromPrimaryOptions {
  /** how long the shadow waits for the primary to record the call @default 60000 */
  readonly boundMs?: number;
  /** first poll interval (doubles up to 250 ms) @default 20 */
  readonly pollMs?: number;
  /** stops waiting (worker shutdown, activity cancel) */
  readonly signal?: AbortSignal;
}

/** Default of {@link AnswerFromPrimaryOptions.boundMs}. */
export const SHADOW_ACTION_WAIT_MS = 60_000;

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The shadow's action executor: polls the log until {@link decideShadowAction} answers or stops.
 * Never runs the action. An aborted signal answers a TransientError (the driver discards it).
 */
export async function answerFromPrimary(
  log: ShadowInvocationLog,
  shadow: { readonly tenant: string; readonly runId: string; readonly primaryRunId: string },
  command: RunActionCommand,
  options: AnswerFromPrimaryOptions = {},
): Promise<Exclude<ShadowActionDecision, { kind: 'wait' }>> {
  const key = invocationKeyOf(shadow.runId, command.commandId);
  const boundMs = options.boundMs ?? SHADOW_ACTION_WAIT_MS;
  let pollMs = options.pollMs ?? 20;
  const started = performance.now();
  for (;;) {
    const lookup = await log.lookup(shadow.tenant, shadow.primaryRunId, key);
    const decision = decideShadowAction(command, lookup, performance.now() - started, boundMs);
    if (decision.kind !== 'wait') return decision;
    if (options.signal?.aborted) {
      return { kind: 'answer', result: { ok: false, error: { category: 'TransientError', code: 'SHADOW_WAIT_ABORTED', message: 'stopped waiting for the primary', stepId: command.stepId } } };
    }
    await delay(pollMs, options.signal);
    pollMs = Math.min(250, pollMs * 2);
  }
}
