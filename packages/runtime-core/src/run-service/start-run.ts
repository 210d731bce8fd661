import type { EngineKind, StartRunBody, StartRunResponse, WorkflowPolicy } from '@baton/event-schemas';
import { isTerminalRunStatus } from '@baton/event-schemas';
import { startRequestForRun } from '../engine/start-request.js';
import type { StartRunRequest } from '../engine/workflow-engine.js';
import { isStartNotAccepted } from '../engine/start-not-accepted.js';
import { BatonError, isBatonError, validationError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import { jsonPointerToPath } from '../errors/json-pointer-path.js';
import { findUnstorable } from '../interpreter/storable-value.js';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import type { PublishedDefinition } from '../ports/definition-store.js';
import type { NewRun, RunRecord } from '../ports/run-store.js';
import { routeShadow } from '../routing/route-engine.js';
import { shadowRunIdFor, type ShadowLink } from '../shadow/shadow-link.js';
import { shadowPairOf } from '../shadow/settle-shadow-comparison.js';
import { withRunEngine, requireEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** Options of a start that the API does not expose (used by triggers and engines). */
export interface StartRunOptions {
  /** use this run id (e.g. the interpreter's deterministic child run id) @default a fresh id */
  readonly runId?: string;
  /** the parent run of a `control.callWorkflow` child */
  readonly parentRunId?: string;
  /** the event that triggered the run */
  readonly triggerEventId?: string;
  /** run on this engine regardless of policy (a child runs on its parent's engine) */
  readonly pinEngine?: EngineKind;
  /** entity workflows: the entity key the run serves */
  readonly entityKey?: string;
}

/** What `startRun` answers: the run, and whether this call created it (201) or found it (200). */
export interface StartRunResult extends StartRunResponse {
  readonly created: boolean;
}

function asStartFailure(err: unknown, engine: EngineKind, runId: string): BatonError {
  if (isBatonError(err)) return err;
  return new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${engine}' engine did not start run ${runId}: ${(err as Error)?.message ?? String(err)}`, {
    details: { engine, runId },
    cause: err,
  });
}

/** Hands a stored run to its engine (idempotent by run id on every engine); `resolved` is its definition when the caller has it. */
export async function startOnEngine(ctx: RuntimeContext, run: RunRecord, resolved?: PublishedDefinition): Promise<void> {
  const definition = resolved ?? (await ctx.registry.resolve(run.tenant, run.workflow, { runKey: run.runKey, pinVersion: run.version }));
  const request = startRequestForRun(run, definition);
  try {
    await withRunEngine(ctx.engines, run, (engine) => engine.start(request));
  } catch (err) {
    const failure = asStartFailure(err, run.engine, run.runId);
    if (isStartNotAccepted(err)) await failNotAcceptedRun(ctx, run, failure);
    throw failure;
  }
}

/**
 * A start the engine proved it did not accept leaves no RUNNING run: the run becomes FAILED with
 * `ENGINE_UNAVAILABLE` (only while it is still RUNNING, so a run the engine did report on is kept).
 * A start whose outcome is unknown is not failed here: the engine may be running it.
 */
async function failNotAcceptedRun(ctx: RuntimeContext, run: RunRecord, failure: BatonError): Promise<void> {
  const now = ctx.clock().toISOString();
  await ctx.runs.update(
    run.tenant,
    run.runId,
    {
      status: 'FAILED',
      error: { category: 'TransientError', code: ErrorCode.ENGINE_UNAVAILABLE, message: `the '${run.engine}' engine did not accept the start of this run: ${failure.message}` },
      completedAt: now,
      updatedAt: now,
    },
    { statusIn: ['RUNNING'] },
  );
}

/** A run ready to be created: its projection (no shadow link yet), its definition and the workflow's policy. */
export interface PreparedRun {
  readonly run: NewRun;
  readonly published: PublishedDefinition;
  readonly policy: WorkflowPolicy;
}

/**
 * Everything a start decides before anything is written: resolves the version (explicit exact
 * version or range, else the policy), checks the input against `inputSchema` (`VALIDATION_ERROR`)
 * and that it can be stored, and routes the engine (`ENGINE_UNAVAILABLE` if it is not wired).
 */
export async function prepareRun(ctx: RuntimeContext, tenant: string, body: StartRunBody, options: StartRunOptions = {}): Promise<PreparedRun> {
  const runId = options.runId ?? ctx.generateId();
  const executionKey = body.executionKey ?? null;
  const runKey = executionKey ?? runId;
  // One read of the policy and the versions serves both the version and the engine choice.
  const { policy, versions } = await ctx.registry.readForStart(tenant, body.workflow);
  const published = await ctx.registry.resolve(tenant, body.workflow, { runKey, policy, versions, ...(body.version === undefined ? {} : { range: body.version }) });

  const inputCheck = validateAgainstJsonSchema(published.definition.inputSchema, body.input);
  if (!inputCheck.ok) {
    throw validationError(
      `the input does not satisfy the inputSchema of ${published.name}@${published.version}`,
      inputCheck.issues.map((i) => ({ path: jsonPointerToPath('input', i.path), message: i.message, code: i.code })),
    );
  }

  // Text no store can keep (NUL, a lone UTF-16 surrogate) is refused here, with its path, rather
  // than by the store's commit (which would answer a 500, or fail a group commit of starts).
  const unstorable = findUnstorable(body.input);
  if (unstorable) {
    const path = `input${unstorable.path.slice(1)}`;
    throw validationError(`the input holds text that cannot be stored (${unstorable.reason}${unstorable.inKey ? ', in a key' : ''}) at ${path}`, [
      { path, message: unstorable.reason === 'NUL' ? 'the NUL character cannot be stored' : 'a lone UTF-16 surrogate cannot be stored', code: unstorable.reason },
    ]);
  }

  let engine: EngineKind;
  if (options.pinEngine !== undefined) {
    engine = options.pinEngine;
  } else {
    engine = ctx.router.route({
      tenant,
      workflow: body.workflow,
      executionKey: runKey,
      ...(policy.engine === undefined ? {} : { policy: policy.engine }),
      ...(body.engine === undefined ? {} : { requested: body.engine }),
    }).engine;
  }
  requireEngine(ctx.engines, engine);
  const run: NewRun = {
    runId,
    workflow: published.name,
    version: published.version,
    definitionHash: published.hash,
    engine,
    status: 'RUNNING',
    input: body.input,
    executionKey,
    runKey,
    createdAt: ctx.clock().toISOString(),
    ...(options.parentRunId === undefined ? {} : { parentRunId: options.parentRunId }),
    ...(options.triggerEventId === undefined ? {} : { triggerEventId: options.triggerEventId }),
    ...(options.entityKey === undefined ? {} : { entityKey: options.entityKey }),
  };
  return { run, published, policy };
}

/**
 * Starts a run: {@link prepareRun}, then creates the projection idempotently by
 * `(tenant, workflow, executionKey)` and hands the run to its engine. The same `executionKey`
 * answers the existing run (and re-hands an unfinished one to its engine, in case an earlier start
 * crashed in between). A start the engine proved it did not accept (`isStartNotAccepted`) fails the
 * run with `ENGINE_UNAVAILABLE` and answers 503.
 */
export async function startRun(ctx: RuntimeContext, tenant: string, body: StartRunBody, options: StartRunOptions = {}): Promise<StartRunResult> {
  const { run: prepared, published, policy } = await prepareRun(ctx, tenant, body, options);
  const { runId, engine, runKey } = prepared;
  const target = requireEngine(ctx.engines, engine);

  // A shadow only for a run the policy routes (not a pinned child) and on an engine this process has.
  const shadowEngine = options.pinEngine === undefined ? routeShadow(policy.shadow, engine, { tenant, workflow: body.workflow, executionKey: runKey }) : undefined;
  const shadow: ShadowLink | undefined =
    shadowEngine !== undefined && ctx.engines[shadowEngine] !== undefined ? { role: 'primary', shadowRunId: shadowRunIdFor(runId), shadowEngine } : undefined;

  if (shadow === undefined && target.capabilities.storesRunOnStart && target.createAndStart) {
    // One durable write: the engine stores the run and makes it runnable in the same commit (a
    // shadowed primary takes the general path: its shadow is stored beside it first).
    const request: StartRunRequest = {
      tenant,
      runId,
      workflow: { name: published.name, version: published.version, hash: published.hash },
      definition: published.definition,
      input: prepared.input,
      executionKey: prepared.executionKey,
      runKey,
      startedAt: prepared.createdAt,
      ...(prepared.parentRunId === undefined ? {} : { parentRunId: prepared.parentRunId }),
      ...(prepared.triggerEventId === undefined ? {} : { triggerEventId: prepared.triggerEventId }),
      ...(prepared.entityKey === undefined ? {} : { entityKey: prepared.entityKey }),
    };
    let started;
    try {
      started = await target.createAndStart(request);
    } catch (err) {
      throw asStartFailure(err, engine, runId);
    }
    if (started.created) return { runId, workflow: published.name, version: published.version, engine, status: 'RUNNING', created: true };
    const existing = await ctx.runs.get(tenant, started.runId);
    if (!existing) throw new BatonError(ErrorCode.INTERNAL, `run ${started.runId} was reported existing but is not found`, { details: { runId: started.runId } });
    return startExisting(ctx, existing);
  }

  const { run, created } = await ctx.runs.create(tenant, { ...prepared, ...(shadow === undefined ? {} : { shadow }) });
  if (!created) return startExisting(ctx, run);
  const shadowRun = run.shadow?.role === 'primary' ? await createShadowRun(ctx, run) : undefined;
  const pair = shadowRun ? shadowPairOf(run) : undefined;
  if (pair) await ctx.shadowComparisons?.open(tenant, pair);
  await startOnEngine(ctx, run, published);
  if (shadowRun) startShadow(ctx, shadowRun, published);
  return { runId: run.runId, workflow: run.workflow, version: run.version, engine: run.engine, status: run.status, created: true };
}

/** The same `executionKey` again: answers the existing run, re-handing an unfinished one to its engine (an earlier start may have crashed in between). */
async function startExisting(ctx: RuntimeContext, run: RunRecord): Promise<StartRunResult> {
  if (!isTerminalRunStatus(run.status)) await startOnEngine(ctx, run);
  const current = (await ctx.runs.get(run.tenant, run.runId)) ?? run;
  return { runId: current.runId, workflow: current.workflow, version: current.version, engine: current.engine, status: current.status, created: false };
}

/** Stores the shadow of a new primary: same definition version, input, run key and start time, on the shadow engine. */
async function createShadowRun(ctx: RuntimeContext, primary: RunRecord): Promise<RunRecord | undefined> {
  if (primary.shadow?.role !== 'primary') return undefined;
  const { run } = await ctx.runs.create(primary.tenant, {
    runId: primary.shadow.shadowRunId,
    workflow: primary.workflow,
    version: primary.version,
    definitionHash: primary.definitionHash,
    engine: primary.shadow.shadowEngine,
    status: 'RUNNING',
    input: primary.input,
    executionKey: null,
    runKey: primary.runKey,
    createdAt: primary.createdAt,
    ...(primary.triggerEventId === undefined ? {} : { triggerEventId: primary.triggerEventId }),
    shadow: { role: 'shadow', primaryRunId: primary.runId, primaryEngine: primary.engine },
  });
  return run;
}

/**
 * Hands the shadow to its engine without holding up the primary's start: a shadow never delays or
 * fails its primary. A shadow its engine did not start is FAILED (`ENGINE_UNAVAILABLE`), which the
 * comparison reports as a difference.
 */
function startShadow(ctx: RuntimeContext, shadow: RunRecord, published: PublishedDefinition): void {
  startOnEngine(ctx, shadow, published).catch(async (err: unknown) => {
    const now = ctx.clock().toISOString();
    const message = err instanceof Error ? err.message : String(err);
    await ctx.runs
      .update(
        shadow.tenant,
        shadow.runId,
        { status: 'FAILED', error: { category: 'TransientError', code: ErrorCode.ENGINE_UNAVAILABLE, message: `the shadow did not start: ${message}` }, completedAt: now, updatedAt: now },
        { statusIn: ['RUNNING'] },
      )
      .catch(() => undefined);
  });
}
