import { WorkflowUpdateFailedError, type WorkflowClient } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { JsonObject, RoutedEvent, ValidationIssue, WorkflowError } from '@baton/event-schemas';
import {
  BatonError,
  ErrorCode,
  assertEngineAuthority,
  createRunRef,
  defineCapabilities,
  startNotAcceptedError,
  taskClosedBatonError,
  type CancelOptions,
  type CancelOutcome,
  type HumanTaskCompletion,
  type RunRef,
  type RunUpgradeOutcome,
  type RunUpgradeRequest,
  type StartRunRequest,
  type WorkflowEngine,
} from '@baton/runtime-core';
import type { BatonRunArgs, BatonRunSettings } from '../workflows/run-args.js';
import {
  BATON_WORKFLOW_TYPE,
  cancelReasonSignal,
  completeTaskUpdate,
  eventSignal,
  stateQuery,
  upgradeDefinitionUpdate,
  workflowIdForRun,
  type BatonRunStateView,
} from '../workflows/workflow-messages.js';
import { TASK_REJECTION_CODE } from '../workflows/task-rejection.js';
import { UPGRADE_SKIPPED, type UpgradeDefinitionResult } from '../workflows/definition-upgrade.js';
import { neverReachedTemporal } from './start-not-accepted.js';

/** The part of a Temporal `Client` the engine uses (pass your own `Client`; one shared connection). */
export interface TemporalEngineClient {
  readonly workflow: Pick<WorkflowClient, 'start' | 'getHandle'>;
}

/** Options of {@link createTemporalEngine}. */
export interface TemporalEngineOptions {
  /** A client on the application's one shared connection. */
  readonly client: TemporalEngineClient;
  /** Task queue the Baton workers poll. @default 'baton' */
  readonly taskQueue?: string;
  /** Workflow tuning given to every run started by this engine. @default {} */
  readonly settings?: BatonRunSettings;
}

/** The Temporal engine, with a read of a run's live state besides the engine interface. */
export interface TemporalEngine extends WorkflowEngine<'temporal'> {
  /** The live state of a run, answered by its workflow (`baton.state` query). */
  queryState(run: RunRef<'temporal'>): Promise<BatonRunStateView>;
  /** The run's variables, answered by its workflow (`baton.state` query). */
  readVariables(run: RunRef<'temporal'>): Promise<JsonObject | undefined>;
  /** Moves the run to another version at its current wait (update `baton.upgradeDefinition`); never audits (`audited: false`). */
  upgradeRun(run: RunRef<'temporal'>, request: RunUpgradeRequest): Promise<RunUpgradeOutcome>;
}

/** How long `cancel` waits for the workflow to close by default, and how often it looks. */
const DEFAULT_SETTLE_MS = 10_000;
const SETTLE_POLL_MS = 100;

/**
 * The outcome of a closed workflow (`undefined` while it runs, or continued as new). A workflow
 * terminated or timed out outside Baton counts as finished only once the cancel was accepted (`afterCancel`);
 * a cancel Temporal refused for that reason stays a refusal.
 */
async function closedOutcome(handle: { describe(): Promise<{ status: { name: string } }> }, afterCancel: boolean): Promise<CancelOutcome | undefined> {
  const { status } = await handle.describe();
  switch (status.name) {
    case 'CANCELLED':
      return { settled: 'canceled' };
    case 'COMPLETED':
      return { settled: 'finished', status: 'SUCCEEDED' };
    case 'FAILED':
      return { settled: 'finished', status: 'FAILED' };
    case 'TERMINATED':
    case 'TIMED_OUT':
      return afterCancel ? { settled: 'finished', status: 'FAILED' } : undefined;
    default:
      return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function issuesOf(error: WorkflowError): ValidationIssue[] {
  const details = error.details;
  const raw = details && typeof details === 'object' && !Array.isArray(details) ? details['issues'] : undefined;
  if (!Array.isArray(raw)) return [{ path: '', message: error.message, code: error.code }];
  return raw.map((issue) => {
    const entry = issue && typeof issue === 'object' && !Array.isArray(issue) ? issue : {};
    return {
      path: typeof entry['path'] === 'string' ? entry['path'] : '',
      message: typeof entry['message'] === 'string' ? entry['message'] : error.message,
      code: typeof entry['code'] === 'string' ? entry['code'] : error.code,
    };
  });
}

/** Maps a rejected `baton.completeTask` update to the API error the caller expects. */
function taskRejection(runId: string, taskId: string, error: WorkflowUpdateFailedError): BatonError {
  const cause = error.cause;
  const carried = cause instanceof ApplicationFailure ? (cause.details?.[0] as WorkflowError | undefined) : undefined;
  if (cause instanceof ApplicationFailure && cause.type === TASK_REJECTION_CODE.TASK_ALREADY_CLOSED) {
    const details = carried?.details;
    const reason = details && typeof details === 'object' && !Array.isArray(details) && details['closeReason'] === 'TIMED_OUT' ? 'TIMED_OUT' : 'CANCELED';
    return taskClosedBatonError(taskId, reason, runId);
  }
  if (cause instanceof ApplicationFailure && cause.type === TASK_REJECTION_CODE.TASK_NOT_FOUND) {
    return new BatonError(ErrorCode.TASK_NOT_FOUND, `task ${taskId} is not open in run ${runId}`, { details: { runId, taskId } });
  }
  if (carried && typeof carried === 'object' && typeof carried.message === 'string') {
    return new BatonError(ErrorCode.VALIDATION_ERROR, carried.message, { details: { runId, taskId, issues: issuesOf(carried) } });
  }
  return new BatonError(ErrorCode.VALIDATION_ERROR, messageOf(cause ?? error), { details: { runId, taskId }, cause: error });
}

/**
 * Creates the Temporal engine: each run is one `batonRun` workflow with id `baton:run:<runId>`;
 * events are signals, task completions an update, cancellation a Temporal cancel request.
 */
export function createTemporalEngine(options: TemporalEngineOptions): TemporalEngine {
  const { client } = options;
  const taskQueue = options.taskQueue ?? 'baton';
  const handleOf = (run: RunRef<'temporal'>) => client.workflow.getHandle(workflowIdForRun(run.runId));

  const engine: TemporalEngine = {
    kind: 'temporal',
    capabilities: defineCapabilities({ asyncCancel: true }),

    async start(req: StartRunRequest): Promise<RunRef<'temporal'>> {
      const args: BatonRunArgs = {
        context: {
          runId: req.runId,
          tenant: req.tenant,
          workflow: req.workflow.name,
          version: req.workflow.version,
          engine: 'temporal',
          startedAt: req.startedAt,
          ...(req.entityKey !== undefined ? { entityKey: req.entityKey } : {}),
        },
        definition: req.definition,
        definitionHash: req.workflow.hash,
        input: req.input,
        runKey: req.runKey,
        ...(options.settings ? { settings: options.settings } : {}),
        ...(req.shadow ? { shadow: req.shadow } : {}),
      };
      try {
        await client.workflow.start(BATON_WORKFLOW_TYPE, {
          taskQueue,
          workflowId: workflowIdForRun(req.runId),
          args: [args],
          // A run id starts one workflow, ever: a repeated start (running or closed) is a no-op.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          if (neverReachedTemporal(error)) {
            throw startNotAcceptedError('temporal', req.runId, `Temporal did not accept the start of run ${req.runId}: ${messageOf(error)}`, error);
          }
          throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `Temporal did not start run ${req.runId}: ${messageOf(error)}`, {
            details: { runId: req.runId, engine: 'temporal' },
            cause: error,
          });
        }
      }
      return createRunRef('temporal', req.tenant, req.runId);
    },

    async deliverEvent(run: RunRef<'temporal'>, event: RoutedEvent): Promise<void> {
      assertEngineAuthority(engine, run);
      try {
        await handleOf(run).signal(eventSignal, event);
      } catch (error) {
        throw new BatonError(ErrorCode.ENGINE_DELIVERY_FAILED, `event ${event.eventId} was not delivered to run ${run.runId}: ${messageOf(error)}`, {
          details: { runId: run.runId, eventId: event.eventId, engine: 'temporal' },
          cause: error,
        });
      }
    },

    async completeHumanTask(run: RunRef<'temporal'>, task: HumanTaskCompletion): Promise<void> {
      assertEngineAuthority(engine, run);
      try {
        await handleOf(run).executeUpdate(completeTaskUpdate, {
          args: [{ taskId: task.taskId, response: task.response, ...(task.completedBy ? { completedBy: task.completedBy } : {}) }],
        });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) throw taskRejection(run.runId, task.taskId, error);
        const code = error instanceof WorkflowNotFoundError ? ErrorCode.RUN_NOT_FOUND : ErrorCode.ENGINE_DELIVERY_FAILED;
        throw new BatonError(code, `task ${task.taskId} was not delivered to run ${run.runId}: ${messageOf(error)}`, {
          details: { runId: run.runId, taskId: task.taskId, engine: 'temporal' },
          cause: error,
        });
      }
    },

    async cancel(run: RunRef<'temporal'>, reason: string, options: CancelOptions = {}): Promise<CancelOutcome> {
      assertEngineAuthority(engine, run);
      const handle = handleOf(run);
      try {
        // The reason travels as a signal: a Temporal cancel request has no payload the workflow sees.
        await handle.signal(cancelReasonSignal, reason);
        await handle.cancel();
      } catch (error) {
        // Refused because the workflow had closed already: Temporal says how it ended.
        const closed = await closedOutcome(handle, false).catch(() => undefined);
        if (closed) return closed;
        throw new BatonError(ErrorCode.WORKFLOW_TEMPORAL_CANCEL_FAILED, `Temporal refused to cancel run ${run.runId}: ${messageOf(error)}`, {
          details: { runId: run.runId, engine: 'temporal' },
          cause: error,
        });
      }
      // Temporal is the authority: wait (bounded) until the workflow closed, and answer how.
      const deadline = Date.now() + (options.settleMs ?? DEFAULT_SETTLE_MS);
      for (;;) {
        const closed = await closedOutcome(handle, true).catch(() => undefined);
        if (closed) return closed;
        const left = deadline - Date.now();
        if (left <= 0) return { settled: 'requested' };
        await new Promise((resolve) => setTimeout(resolve, Math.min(SETTLE_POLL_MS, left)));
      }
    },

    async upgradeRun(run: RunRef<'temporal'>, request: RunUpgradeRequest): Promise<RunUpgradeOutcome> {
      assertEngineAuthority(engine, run);
      const message = { from: { version: request.from.version, hash: request.from.hash }, to: request.to };
      let result: UpgradeDefinitionResult;
      try {
        result = await handleOf(run).executeUpdate(upgradeDefinitionUpdate, { args: [message] });
      } catch (error) {
        // The validator refused the move (runtime-core's decision on the live state): no history event.
        const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === UPGRADE_SKIPPED && cause.details?.[0]) result = cause.details[0] as UpgradeDefinitionResult;
        else if (await closedOutcome(handleOf(run), true).catch(() => undefined)) result = { moved: false, class: 'CANNOT_MOVE', reason: 'RUN_FINISHED' };
        else {
          const code = error instanceof WorkflowNotFoundError ? ErrorCode.RUN_NOT_FOUND : ErrorCode.ENGINE_DELIVERY_FAILED;
          throw new BatonError(code, `run ${run.runId} was not moved to version ${request.to.version}: ${messageOf(error)}`, {
            details: { runId: run.runId, engine: 'temporal' },
            cause: error,
          });
        }
      }
      return result.moved ? { moved: true, audited: false } : { ...result, audited: false };
    },

    async readVariables(run: RunRef<'temporal'>) {
      assertEngineAuthority(engine, run);
      return (await handleOf(run).query(stateQuery)).vars;
    },

    async queryState(run: RunRef<'temporal'>): Promise<BatonRunStateView> {
      assertEngineAuthority(engine, run);
      return handleOf(run).query(stateQuery);
    },
  };
  return engine;
}
