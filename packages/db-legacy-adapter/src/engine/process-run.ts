import type { JsonValue, WorkflowError } from '@baton/event-schemas';
import {
  actionResultInput,
  advance,
  answerFromPrimary,
  childShadowLink,
  invocationKeyOf,
  recordedInvocationOf,
  stopShadowRun,
  BatonError,
  childFailureError,
  eventInboxRequests,
  executeAction,
  failUnstorableRun,
  toStorable,
  unstorableRunError,
  type ActionResult,
  type ActionResultStore,
  type EventInbox,
  type AdvanceOptions,
  type InterpreterInput,
  type RunActionCommand,
  type ShadowInvocationLog,
  type ShadowLink,
} from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { buildRunCommit, cachedPending, type Resolution } from './build-run-commit.js';
import { clearNeedsActionStatement, parkStatement, type ClaimedRun } from './claim-runs.js';
import type { CommitBatcher } from './commit-batcher.js';
import { isDeterministicWriteError, sqlStateOf } from './commit-errors.js';
import { applyResult, type RunCursor } from './continue-generation.js';
import type { DefinitionSource } from './definition-source.js';
import { EngineErrorCode, RunProcessingStopped } from './engine-errors.js';
import type { ResolvedEngineOptions, SettledRun } from './engine-options.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { withClient } from './pooled-client.js';
import type { ChildToStart, InvocationToRecord } from './run-commit.js';
import type { TableNames } from './sql-names.js';

/** What processing a claimed run needs. */
export interface ProcessRunDeps {
  readonly options: ResolvedEngineOptions;
  readonly pool: PgPoolLike;
  readonly names: TableNames;
  readonly definitions: DefinitionSource;
  readonly batcher: CommitBatcher;
  readonly leases: LeaseKeeper;
  readonly inbox: EventInbox;
  /** the primaries' action outcomes (recorded by shadowed runs, answered from for shadows) */
  readonly shadows: ShadowInvocationLog;
}

interface StoredInvocation {
  readonly status: 'COMPLETED' | 'FAILED';
  readonly output: JsonValue | null;
}

interface ChildRow {
  readonly run_id: string;
  readonly status: string;
  readonly output: JsonValue | null;
  readonly error: WorkflowError | null;
}

function query<R>(pool: PgPoolLike, text: string, params: unknown[]): Promise<R[]> {
  return withClient(pool, async (client) => (await client.query<R>(text, params)).rows);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The step error of an action no live worker provided within the wait limit. */
function actionUnavailable(command: RunActionCommand, waitMs: number): WorkflowError {
  return {
    category: 'ActionError',
    code: 'ACTION_UNAVAILABLE',
    message: `no live worker provides ${command.action}@${command.actionVersion}: waited ${Math.round(waitMs / 1000)} s for one`,
    stepId: command.stepId,
  };
}

/**
 * Drives one claimed run until it waits or finishes: pure steps run inside `advance`, actions run
 * through runtime-core's `executeAction` (a completed invocation's stored output is reused), and
 * after each action the step results, action result and state go to the group commit, fenced by
 * the claim's token. Resolves with the final status when the run finished; throws
 * {@link RunProcessingStopped} when the lease was lost.
 */
export async function processRun(deps: ProcessRunDeps, claimed: ClaimedRun, signal: AbortSignal): Promise<SettledRun | undefined> {
  const { options, definitions, names } = deps;
  const now = () => options.clock().toISOString();
  const advanceOptions: AdvanceOptions = options.limits ? { limits: options.limits } : {};
  const run = { tenant: claimed.tenant, runKey: claimed.runKey, startedAt: claimed.createdAt.toISOString() };
  const published = await definitions.get(claimed.tenant, claimed.workflow, claimed.version);

  let committed = claimed.state;
  let settled: SettledRun | undefined;
  let invocations: InvocationToRecord[] = [];
  let children: ChildToStart[] = [];
  /** waits resolved by events taken from the inbox since the last commit (their `resolved_by`) */
  let resolutions = new Map<string, Resolution>();
  /** event waits whose inbox was read after they were committed */
  const inboxRead = new Set<string>();
  const cursor: RunCursor = {
    state: claimed.state!,
    definition: published.definition,
    version: claimed.version,
    definitionHash: claimed.definitionHash,
    steps: [],
    commands: [],
  };
  const apply = async (input: InterpreterInput) => {
    const result = await advance(cursor.definition, cursor.state, input, advanceOptions);
    if (result.accepted) await applyResult(cursor, result, run, definitions, now, advanceOptions);
    return result.accepted;
  };
  if (claimed.state === null) {
    const start = await advance(
      published.definition,
      undefined,
      {
        type: 'Start',
        now: now(),
        context: {
          runId: claimed.runId,
          tenant: claimed.tenant,
          workflow: claimed.workflow,
          version: claimed.version,
          engine: 'db',
          startedAt: run.startedAt,
          ...(claimed.entityKey !== null ? { entityKey: claimed.entityKey } : {}),
        },
        input: claimed.input,
      },
      advanceOptions,
    );
    await applyResult(cursor, start, run, definitions, now, advanceOptions);
  }
  const dirty = () => committed !== cursor.state || invocations.length > 0 || children.length > 0;

  // Results stored by an earlier holder of this run (only possible once it was claimed before).
  const runPrefix = `${claimed.tenant}:${claimed.runId}:`;
  const stored = new Map<string, StoredInvocation>();
  if (BigInt(claimed.fencingToken) > 1n) {
    const rows = await query<{ idempotency_key: string } & StoredInvocation>(
      deps.pool,
      `SELECT idempotency_key, status, output FROM ${names.invocations} WHERE tenant_id = $1 AND run_id = $2`,
      [claimed.tenant, claimed.runId],
    );
    for (const r of rows) stored.set(r.idempotency_key, r);
  }
  const results: ActionResultStore = {
    async get(key) {
      let found = stored.get(key);
      if (!found && !key.startsWith(runPrefix)) {
        // A custom key may have been completed by another run.
        const rows = await query<StoredInvocation>(deps.pool, `SELECT status, output FROM ${names.invocations} WHERE tenant_id = $1 AND idempotency_key = $2`, [claimed.tenant, key]);
        found = rows[0];
      }
      return found?.status === 'COMPLETED' ? (found.output ?? null) : undefined;
    },
    async put() {
      // written with the step result by the next commit (see `invocations`)
    },
  };

  const commitOnce = async (release: boolean) => {
    const draft = buildRunCommit({
      tenant: claimed.tenant,
      runId: claimed.runId,
      fencingToken: claimed.fencingToken,
      mode: 'lease',
      before: committed,
      after: cursor.state,
      workflowVersion: cursor.version,
      definitionHash: cursor.definitionHash,
      steps: cursor.steps,
      commands: cursor.commands,
      invocations,
      startChildren: children,
      parentRunId: claimed.parentRunId,
      release,
      now: now(),
      ...(resolutions.size ? { resolutions } : {}),
    });
    const applied = await deps.batcher.submit(draft);
    if (!applied) throw new RunProcessingStopped(EngineErrorCode.LEASE_LOST, claimed.runId);
    deps.leases.renewed(claimed.runId);
    committed = cursor.state;
    cursor.steps.length = 0;
    cursor.commands.length = 0;
    invocations = [];
    children = [];
    resolutions = new Map();
    if (draft.terminal) {
      settled = {
        tenant: claimed.tenant,
        runId: claimed.runId,
        status: draft.status as SettledRun['status'],
        shadowed: claimed.shadow !== undefined,
        workflow: claimed.workflow,
        shadowRole: claimed.shadow?.role ?? null,
      };
    }
  };
  // A commit Postgres refuses for what it holds would be refused on every claim: the run is failed
  // (a storable copy of its state, its uncommitted action results dropped) instead of re-claimed.
  const commit = async (release: boolean) => {
    try {
      await commitOnce(release);
    } catch (error) {
      if (!isDeterministicWriteError(error)) throw error;
      const sqlState = sqlStateOf(error) ?? 'unknown';
      cursor.state = failUnstorableRun(cursor.state, unstorableRunError((error as Error).message, { sqlState }), now());
      cursor.steps.splice(0, cursor.steps.length, ...toStorable(cursor.steps));
      cursor.commands.splice(0, cursor.commands.length, ...toStorable(cursor.commands));
      invocations = [];
      children = [];
      await commitOnce(release);
    }
  };

  const shadow: ShadowLink | undefined = claimed.shadow;
  const hook = options.testHooks?.actionResult;
  const hooked = (command: RunActionCommand, result: ActionResult): ActionResult =>
    hook ? hook({ tenant: claimed.tenant, runId: claimed.runId, ...(shadow ? { shadow } : {}) }, command, result) : result;
  const runAction = async (command: RunActionCommand) => {
    if (shadow?.role === 'shadow') {
      // A shadow never runs an action: the primary's outcome of the same attempt answers it.
      const decision = await answerFromPrimary(deps.shadows, { tenant: claimed.tenant, runId: claimed.runId, primaryRunId: shadow.primaryRunId }, command, {
        signal,
        ...(options.shadowActionWaitMs !== undefined ? { boundMs: options.shadowActionWaitMs } : {}),
      });
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new RunProcessingStopped(EngineErrorCode.LEASE_LOST, claimed.runId);
      if (decision.kind === 'stop') {
        cursor.state = stopShadowRun(cursor.state, decision.error, now());
        return;
      }
      await apply(actionResultInput(command, hooked(command, decision.result), now()));
      return;
    }
    const result = await executeAction(options.actions, command, {
      runId: claimed.runId,
      tenant: claimed.tenant,
      signal,
      results,
      ...(options.actionLogger ? { logger: options.actionLogger } : {}),
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new RunProcessingStopped(EngineErrorCode.LEASE_LOST, claimed.runId);
    if (!(result.ok && result.reused)) {
      invocations.push({
        idempotencyKey: command.idempotencyKey,
        stepId: command.stepId,
        action: command.action,
        actionVersion: command.actionVersion,
        attempt: command.attempt,
        status: result.ok ? 'COMPLETED' : 'FAILED',
        ...(result.ok ? { output: result.output } : { error: result.error }),
      });
    }
    // Recorded before the interpreter moves on, so the shadow waits no longer than the action took.
    if (shadow?.role === 'primary') await deps.shadows.record(claimed.tenant, claimed.runId, invocationKeyOf(claimed.runId, command.commandId), recordedInvocationOf(result));
    await apply(actionResultInput(command, hooked(command, result), now()));
  };

  /**
   * SPEC-dsl "Event inbox": offers each newly opened event wait the inbox events it may take,
   * earliest first, until the interpreter accepts one. The wait is committed before the inbox is
   * read: an event recorded after that read finds the wait in the routing index and is delivered to
   * it; one recorded before is in what the read returns. True when an event was taken.
   */
  const takeFromInbox = async (): Promise<boolean> => {
    const requests = eventInboxRequests(cursor.state).filter((r) => !inboxRead.has(r.waitId));
    if (requests.length === 0) return false;
    if (dirty()) await commit(false);
    for (const request of requests) {
      inboxRead.add(request.waitId);
      const candidates = await deps.inbox.candidates(claimed.tenant, { ...request, runId: claimed.runId });
      for (const event of candidates) {
        if (await apply({ type: 'EventReceived', now: now(), waitId: request.waitId, event })) {
          resolutions.set(request.waitId, { by: event.eventId });
          return true;
        }
      }
    }
    return false;
  };

  // An action result must be durable before the next action runs; committing it lazily, at the
  // next decision, lets the last step's result and the final (or waiting) state share one commit.
  let resultPending = false;
  let needsActionCleared = false;
  for (;;) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new RunProcessingStopped(EngineErrorCode.WORKER_STOPPING, claimed.runId);
    if (cursor.state.status !== 'running') {
      await commit(true);
      return settled;
    }
    const pending = cachedPending(cursor.state);
    const action = pending.find((c): c is RunActionCommand => c.type === 'RunAction');
    if (action && !options.actions.has(action.action, action.actionVersion)) {
      const key = `${action.action}@${action.actionVersion}`;
      if (claimed.needsAction === key && claimed.needsActionExpired) {
        // Waited past the limit and no live worker provides it: the step fails like any action error.
        await apply({ type: 'ActionFailed', now: now(), commandId: action.commandId, error: actionUnavailable(action, options.actionWaitTimeoutMs) });
        await query(deps.pool, clearNeedsActionStatement(names), [claimed.runId, claimed.fencingToken]);
        needsActionCleared = true;
        resultPending = true;
        continue;
      }
      // A rolling upgrade: leave the run to a worker that provides the action, without failing it.
      if (dirty()) await commit(false);
      await query(deps.pool, parkStatement(names), [claimed.runId, claimed.fencingToken, options.workerId, key, Math.round(options.actionWaitTimeoutMs)]);
      await query(deps.pool, `UPDATE ${names.steps} SET status = 'WAITING' WHERE run_id = $1 AND step_id = $2 AND status = 'RUNNING'`, [claimed.runId, action.stepId]);
      options.onActionMissing?.({ tenant: claimed.tenant, runId: claimed.runId, action: key });
      return undefined;
    }
    if (action && claimed.needsAction !== null && !needsActionCleared) {
      await query(deps.pool, clearNeedsActionStatement(names), [claimed.runId, claimed.fencingToken]);
      needsActionCleared = true;
    }
    if (action) {
      if (resultPending) await commit(false);
      resultPending = false;
      if (cursor.state.status !== 'running') continue;
      await runAction(action);
      resultPending = true;
      continue;
    }
    const nowMs = options.clock().getTime();
    const dueTimer = pending.find((c) => c.type === 'StartTimer' && Date.parse(c.fireAt) <= nowMs);
    if (dueTimer && dueTimer.type === 'StartTimer') {
      await apply({ type: 'TimerFired', now: now(), timerId: dueTimer.timerId });
      continue;
    }
    const awaited = pending.filter((c) => c.type === 'StartChild');
    if (awaited.length) {
      const rows = await query<ChildRow>(
        deps.pool,
        `SELECT run_id, status, output, error FROM ${names.runs} WHERE tenant_id = $1 AND parent_run_id = $2 AND run_id = ANY($3::text[])`,
        [claimed.tenant, claimed.runId, awaited.map((c) => c.childRunId)],
      );
      const byId = new Map(rows.map((r) => [r.run_id, r]));
      let progressed = false;
      for (const c of awaited) {
        const row = byId.get(c.childRunId);
        if (row?.status === 'SUCCEEDED') {
          progressed = (await apply({ type: 'ChildCompleted', now: now(), childRunId: c.childRunId, output: row.output })) || progressed;
        } else if (row?.status === 'FAILED' || row?.status === 'CANCELED') {
          const error: WorkflowError =
            row.status === 'CANCELED'
              ? childFailureError({ kind: 'canceled', ...(row.error?.message ? { reason: row.error.message } : {}) })
              : childFailureError({ kind: 'failed', error: row.error ?? { category: 'ChildWorkflowError', code: 'CHILD_FAILED', message: `child run ${c.childRunId} failed` } });
          progressed = (await apply({ type: 'ChildFailed', now: now(), childRunId: c.childRunId, error })) || progressed;
        } else if (!row && !children.some((k) => k.runId === c.childRunId)) {
          try {
            const child = await definitions.resolve(claimed.tenant, c.workflow, c.childRunId, c.versionRange !== undefined ? { range: c.versionRange } : {});
            const link = shadow && c.attemptId !== undefined ? childShadowLink(shadow, claimed.runId, 'db', c.attemptId) : undefined;
            children.push({
              runId: c.childRunId,
              stepId: c.stepId,
              workflow: child.name,
              version: child.version,
              definitionHash: child.hash,
              input: c.input,
              ...(link?.role === 'shadow' ? { shadowOf: link.primaryRunId } : link?.role === 'primary' ? { shadowRunId: link.shadowRunId } : {}),
            });
          } catch (error) {
            if (!(error instanceof BatonError)) throw error;
            const failure = childFailureError({ kind: 'unresolvable', workflow: c.workflow, reason: error.message, reasonCode: error.code });
            progressed = (await apply({ type: 'ChildFailed', now: now(), childRunId: c.childRunId, error: failure })) || progressed;
          }
        }
      }
      if (progressed) continue;
    }
    if (await takeFromInbox()) {
      resultPending = true;
      continue;
    }
    const timers = pending.filter((c) => c.type === 'StartTimer').map((c) => Date.parse(c.fireAt));
    const nextTimer = timers.length ? Math.min(...timers) : undefined;
    if (nextTimer !== undefined && nextTimer - nowMs <= options.inlineTimerMaxMs && children.length === 0) {
      if (dirty()) await commit(false);
      resultPending = false;
      if (cursor.state.status !== 'running') continue;
      await sleep(nextTimer - nowMs, signal);
      continue;
    }
    await commit(true);
    return settled;
  }
}
