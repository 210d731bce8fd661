import { Context } from '@temporalio/activity';
import { isTerminalRunStatus } from '@baton/event-schemas';
import {
  answerFromPrimary,
  BatonError,
  createDefinitionRegistry,
  executeAction,
  invocationKeyOf,
  recordedInvocationOf,
  settleShadowComparison,
  validateDefinition,
  type ActionRegistry,
  type ActionResultStore,
  type DefinitionStore,
  type RunStore,
  type ActionResult,
  type DriverTestHooks,
  type ShadowComparisonStore,
  type ShadowInvocationLog,
  type SecretStore,
} from '@baton/runtime-core';
import type {
  BatonActivities,
  ProjectionBatch,
  ProjectionWriteResult,
  ResolveDefinitionRequest,
  ResolvedDefinition,
  RunActionRequest,
  RunActionResponse,
} from '../workflows/activity-contracts.js';
import { toApplicationFailure } from '../workflows/failure-types.js';
import { unfoldProjection } from '../workflows/folded-projection.js';
import { writeProjection, type ProjectionStores } from './write-projection.js';
import { createAdvanceActivity, type AdvanceActivityOptions } from './advance-activity.js';

/** The ports a Baton worker reads definitions from and writes projections to. */
export interface BatonWorkerStores extends ProjectionStores {
  readonly definitions: DefinitionStore;
  readonly runs: RunStore;
  /** The primaries' action outcomes their shadows answer from (the Postgres stores have it); needed for shadow runs. */
  readonly shadowInvocations?: ShadowInvocationLog;
  /** Where shadow comparisons are filed (the Postgres stores have it); a finished run of a pair files its comparison. */
  readonly shadowComparisons?: ShadowComparisonStore;
}

/** Options of {@link createBatonActivities}. */
export interface BatonActivitiesOptions {
  /** The actions this worker can run. */
  readonly actions: ActionRegistry;
  /** Definitions, run/step/wait/task projections (the Postgres stores in production). */
  readonly store: BatonWorkerStores;
  /** Stored outputs by idempotency key: a completed invocation is not run again. @default none (every attempt runs) */
  readonly actionResults?: ActionResultStore;
  /** How long a shadow's action call waits for its primary to record the same call. @default 60000 */
  readonly shadowActionWaitMs?: number;
  /**
   * Where `{"$secret": name}` references resolve from, inside the activity: the activity input (and so
   * the history) carries the reference, never the value. @default none (a reference fails `UNKNOWN_SECRET`)
   */
  readonly secrets?: SecretStore;
  /** Test-only hooks that make this driver differ (shadow comparison tests). @default none */
  readonly testHooks?: DriverTestHooks;
  /** Told once per shadow comparison this worker filed (a pair whose last run finished here). @default none */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /** The interpreter activity of `localActivity` mode: its `advance` and a test hook. @default runtime-core's advance */
  readonly interpreter?: Pick<AdvanceActivityOptions, 'advance' | 'respond'>;
}

const HEARTBEAT_EVERY_MS = 2_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the activities the Baton workflow calls: one action attempt (with the folded
 * projection write), a projection write, and definition resolution for children and
 * continue-as-new.
 */
export function createBatonActivities(options: BatonActivitiesOptions): BatonActivities {
  const { actions, store } = options;
  // Resolution only reads; the validator is the one publishing would use.
  const registry = createDefinitionRegistry({ store: store.definitions, validate: (json) => validateDefinition(json, { actions }) });

  const batonAdvance = createAdvanceActivity({ definitions: store.definitions, runs: store.runs, ...options.interpreter });
  const hook = options.testHooks?.actionResult;
  const hooked = (request: RunActionRequest, result: ActionResult): ActionResult =>
    hook ? hook({ tenant: request.tenant, runId: request.runId, ...(request.shadow ? { shadow: request.shadow } : {}) }, request.command, result) : result;

  return {
    batonAdvance,

    async batonRunAction(request: RunActionRequest): Promise<RunActionResponse> {
      let projectionFailed = false;
      if (request.projection) {
        try {
          await writeProjection(store, unfoldProjection(request.tenant, request.runId, request.projection));
        } catch (error) {
          // The action still runs; the workflow writes the batch again with a retrying activity.
          projectionFailed = true;
          Context.current().log.warn('projection write failed; the workflow retries it', { runId: request.runId, error: messageOf(error) });
        }
      }
      const context = Context.current();
      // A cancel request reaches an activity only with a heartbeat; a long action then sees its
      // abort signal fire (the SDK throttles the heartbeats it actually sends).
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      const shadows = store.shadowInvocations;
      let result;
      try {
        if (request.shadow?.role === 'shadow') {
          // A shadow never runs an action: the primary's outcome of the same attempt answers it.
          if (!shadows) throw new Error('this worker has no shadow invocation log: shadow runs need the Postgres stores');
          const decision = await answerFromPrimary(shadows, { tenant: request.tenant, runId: request.runId, primaryRunId: request.shadow.primaryRunId }, request.command, {
            signal: context.cancellationSignal,
            ...(options.shadowActionWaitMs !== undefined ? { boundMs: options.shadowActionWaitMs } : {}),
          });
          const answer = decision.kind === 'stop' ? { ok: false as const, error: decision.error } : hooked(request, decision.result);
          if (!answer.ok) throw toApplicationFailure(answer.error, projectionFailed ? { projectionFailed } : undefined);
          return projectionFailed ? { output: answer.output, projectionFailed } : { output: answer.output };
        }
        result = await executeAction(actions, request.command, {
          runId: request.runId,
          tenant: request.tenant,
          signal: context.cancellationSignal,
          logger: { log: (level, message, fields) => context.log[level](message, fields) },
          ...(options.actionResults ? { results: options.actionResults } : {}),
          ...(options.secrets ? { secrets: options.secrets } : {}),
        });
      } finally {
        clearInterval(heartbeat);
      }
      if (request.shadow?.role === 'primary' && shadows) {
        await shadows.record(request.tenant, request.runId, invocationKeyOf(request.runId, request.command.commandId), recordedInvocationOf(result));
      }
      result = hooked(request, result);
      if (!result.ok) throw toApplicationFailure(result.error, projectionFailed ? { projectionFailed } : undefined);
      return projectionFailed ? { output: result.output, projectionFailed } : { output: result.output };
    },

    async batonWriteProjection(batch: ProjectionBatch): Promise<ProjectionWriteResult> {
      const written = await writeProjection(store, batch);
      if (store.shadowComparisons && batch.run?.status !== undefined && isTerminalRunStatus(batch.run.status)) {
        // The run of a shadow pair that finished last files the pair's comparison; a failure here
        // leaves the pair PENDING until a read of the primary files it, and never fails the run.
        try {
          await settleShadowComparison(
            { runs: store.runs, comparisons: store.shadowComparisons, ...(options.onShadowCompared ? { onCompared: options.onShadowCompared } : {}) },
            batch.tenant,
            batch.runId,
          );
        } catch (error) {
          Context.current().log.warn('shadow comparison not filed; a read of the primary files it', { runId: batch.runId, error: messageOf(error) });
        }
      }
      return written;
    },

    async batonResolveDefinition(request: ResolveDefinitionRequest): Promise<ResolvedDefinition> {
      let resolved;
      try {
        resolved = await registry.resolve(request.tenant, request.workflow, {
          runKey: request.runKey,
          ...(request.range !== undefined ? { range: request.range } : {}),
          ...(request.pinVersion !== undefined ? { pinVersion: request.pinVersion } : {}),
        });
      } catch (error) {
        // A version that does not resolve will not resolve on retry either.
        if (error instanceof BatonError) {
          throw toApplicationFailure({ category: 'ValidationError', code: error.code, message: error.message, details: { workflow: request.workflow } });
        }
        throw error;
      }
      if (request.child) {
        await store.runs.create(request.tenant, {
          runId: request.child.runId,
          workflow: resolved.name,
          version: resolved.version,
          definitionHash: resolved.hash,
          engine: 'temporal',
          status: 'RUNNING',
          input: request.child.input,
          executionKey: null,
          runKey: request.child.runId,
          parentRunId: request.child.parentRunId,
          createdAt: request.child.createdAt,
          ...(request.child.shadow ? { shadow: request.child.shadow } : {}),
        });
      }
      return { version: resolved.version, hash: resolved.hash, definition: resolved.definition };
    },
  };
}
