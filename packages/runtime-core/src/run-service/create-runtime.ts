import type {
  CompleteTaskBody,
  CompleteTaskResponse,
  EngineKind,
  EntityView,
  ListEventsQuery,
  ListEventsResponse,
  ListRunsQuery,
  ListRunsResponse,
  ListTasksQuery,
  ListTasksResponse,
  ListWorkflowsResponse,
  RunStepsResponse,
  RunView,
  ShadowReport,
  UpgradePlan,
  UpgradeApplyBody,
  UpgradeApplyResult,
  ListUpgradesQuery,
  ListUpgradesResponse,
  StartRunBody,
  WorkflowPolicy,
  RetiredVersion,
  WorkflowSummary,
  WorkflowVersionView,
} from '@baton/event-schemas';
import { EMPTY_CORRELATION_CONFIG, parseCorrelationConfig, type CorrelationConfig } from '../correlation/correlation-config.js';
import type { ActionCatalog } from '../definition-validation/semantic-checks.js';
import { validateDefinition } from '../definition-validation/validate-definition.js';
import type { EngineSet } from '../engine/workflow-engine.js';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { DefinitionStore } from '../ports/definition-store.js';
import type { EntityStore } from '../ports/entity-store.js';
import type { EventAudit } from '../ports/event-audit.js';
import type { RunCompletionFeed } from '../ports/run-completion-feed.js';
import type { RunStore } from '../ports/run-store.js';
import type { ShadowComparisonStore } from '../ports/shadow-comparison-store.js';
import type { ShadowFiguresSource } from '../ports/shadow-figures-source.js';
import type { StuckRunSource } from '../ports/stuck-run-source.js';
import type { TaskStore } from '../ports/task-store.js';
import type { WaitIndex } from '../ports/wait-index.js';
import { createDefinitionRegistry, type DefinitionRegistry, type PolicyChangeOptions, type PublishResult } from '../registry/definition-registry.js';
import type { DefinitionValidator } from '../registry/definition-validator.js';
import { knownSecretsFor } from '../secrets/known-secrets.js';
import { EMPTY_SECRET_STORE, type SecretStore } from '../secrets/secret-store.js';
import type { RunControlAction } from '../run-control/plan-run-control.js';
import { createEngineRouter, type EngineRouter } from '../routing/engine-router.js';
import { awaitRunView } from './await-run.js';
import { completeTask } from './complete-task.js';
import { shadowReport } from './shadow-report.js';
import { shadowViewOf } from './shadow-view.js';
import { getEntity } from './get-entity.js';
import { drainTaskHandoffs, type DrainTaskHandoffsOptions, type DrainTaskHandoffsResult } from './task-handoff.js';
import { controlRun, type RunControlBody, type RunControlResult } from './control-run.js';
import { acceptEventEnvelope, deliverEvent, type EventDeliveryResult } from './deliver-event.js';
import { createEventBatcher, type EventBatchingOptions } from './event-batcher.js';
import { routeEventBatch } from './route-event-batch.js';
import type { RuntimeContext } from './runtime-context.js';
import { startRun, type StartRunOptions, type StartRunResult } from './start-run.js';
import { listStuckRuns } from './list-stuck-runs.js';
import { planUpgrade } from './upgrade-plan.js';
import { applyUpgrade, listUpgrades } from './upgrade-apply.js';
import type { UpgradeAuditStore } from '../ports/upgrade-audit-store.js';
import { toEventView, toRunSummary, toRunView, toTaskView } from './views.js';

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** the engines of this process; a run on an engine not given answers `ENGINE_UNAVAILABLE` */
  readonly engines: EngineSet;
  readonly definitions: DefinitionStore;
  readonly runs: RunStore;
  readonly waits: WaitIndex;
  readonly events: EventAudit;
  readonly tasks: TaskStore;
  /** entity workflows' claims and event queues (SPEC-dsl "Entity workflows") @default none: entity triggers answer `ENTITIES_UNSUPPORTED` */
  readonly entities?: EntityStore;
  /** the registered actions publish checks `action.call` steps against @default unchecked */
  readonly actions?: ActionCatalog;
  /** the tenants' secrets: publishing refuses a `{"$secret": name}` the tenant lacks (`UNKNOWN_SECRET`) @default none: every reference is unknown */
  readonly secrets?: SecretStore;
  /** validates and hashes a definition on publish @default (json) => validateDefinition(json, { actions, secrets }) */
  readonly validateDefinition?: DefinitionValidator;
  /** chooses the engine of new runs @default createEngineRouter({ defaultPolicy: { type: defaultEngine } }) */
  readonly router?: EngineRouter;
  /** the engine of workflows without an engine policy (`BATON_DEFAULT_ENGINE`); ignored when `router` is given @default 'db' */
  readonly defaultEngine?: EngineKind;
  /** correlation derivation paths, parsed or as `BATON_EVENT_CORRELATION_PATHS` JSON @default no paths */
  readonly correlation?: CorrelationConfig | string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** run ids @default crypto.randomUUID */
  readonly generateId?: () => string;
  /**
   * Route concurrent `deliverEvent` calls together (one store call per step for the whole batch);
   * `false` routes each event on its own. @default {} (on, with `EVENT_BATCHING_DEFAULTS`)
   */
  readonly eventBatching?: EventBatchingOptions | false;
  /**
   * Tells `getRun` with `waitMs` that a run finished; without it such a call answers the current
   * state at once. @default none
   */
  readonly completions?: RunCompletionFeed;
  /** shadow comparison figures the rollout gate reads @default nothing compared */
  readonly shadowFigures?: ShadowFiguresSource;
  /** where shadow comparisons are filed (the rows `shadowFigures` reads) @default none: a run view computes its comparison on each read */
  readonly shadowComparisons?: ShadowComparisonStore;
  /** told once per filed shadow comparison (`baton_shadow_comparisons_total{result}`) @default none */
  readonly onShadowCompared?: (result: 'MATCH' | 'DIFFERENT') => void;
  /** the store's judge of stuck Postgres-engine runs (`GET /v1/runs?stuck=true`) @default none */
  readonly stuckRuns?: StuckRunSource;
  /** further judges of stuck runs, read after `stuckRuns` (e.g. one per engine deployment) @default none */
  readonly engineStuckRuns?: readonly StuckRunSource[];
  /** the store's judges of unfinished runs of retired definition versions (one per engine), read last @default none */
  readonly retiredVersionRuns?: readonly StuckRunSource[];
  /** How long a cancel of a run whose engine cancels asynchronously (Temporal) waits for it to settle before answering `CANCEL_REQUESTED`. @default 10000 */
  readonly cancelSettleMs?: number;
  /** the audit of definition upgrades (`applyUpgrade`, `listUpgrades`) @default none: applies keep no record */
  readonly upgradeAudits?: UpgradeAuditStore;
}

/** Options of {@link Runtime.getRun}. */
export interface GetRunOptions {
  /** answer once the run has finished, or after this many ms with its state then @default 0 */
  readonly waitMs?: number;
}

/** Page size of `listRuns` when the query gives none. */
export const DEFAULT_RUN_PAGE_SIZE = 50;
/** Largest page `listRuns` returns. */
export const MAX_RUN_PAGE_SIZE = 200;
/** Page size of `listEvents` when the query gives none. */
export const DEFAULT_EVENT_PAGE_SIZE = 50;

/**
 * The run service: everything the apps do with workflows, on any engine. Every method is scoped to
 * `tenant`; another tenant's objects are not found. Errors are `BatonError`s with SPEC-api codes.
 */
export interface Runtime {
  /** Validates and publishes a definition (`created: false` when the same content was there). */
  publishDefinition(tenant: string, json: unknown): Promise<PublishResult>;
  /** The tenant's workflow names, ascending. */
  listWorkflows(tenant: string): Promise<ListWorkflowsResponse>;
  /** A workflow's versions and policy; `WORKFLOW_NOT_FOUND`. */
  getWorkflow(tenant: string, name: string): Promise<WorkflowSummary>;
  /** A published version with its definition; `WORKFLOW_NOT_FOUND`. */
  getWorkflowVersion(tenant: string, name: string, version: string): Promise<WorkflowVersionView>;
  /** Retires a published version (`RetireVersionBody`), idempotently; `WORKFLOW_NOT_FOUND`, `VALIDATION_ERROR`. */
  retireVersion(tenant: string, name: string, version: string, body: unknown): Promise<RetiredVersion>;
  /** Updates a workflow's policy (`UpdatePolicyBody`) and records the change; `VALIDATION_ERROR`, `WORKFLOW_NOT_FOUND`. */
  setPolicy(tenant: string, name: string, body: unknown, options?: PolicyChangeOptions): Promise<WorkflowPolicy>;
  /** Starts (or, by `executionKey`, finds) a run. */
  startRun(tenant: string, body: StartRunBody, options?: StartRunOptions): Promise<StartRunResult>;
  /** The shadow report of a workflow (`GET /v1/workflows/:name/shadow`); `WORKFLOW_NOT_FOUND`. */
  getShadowReport(tenant: string, name: string): Promise<ShadowReport>;
  /** The upgrade plan of a workflow from one version to another (`GET /v1/workflows/:name/upgrade-plan`); `WORKFLOW_NOT_FOUND`. */
  planUpgrade(tenant: string, name: string, from: string, to: string): Promise<UpgradePlan>;
  /**
   * Moves the in-flight runs of `from` classed `MOVES_NOW` to `to` at their current wait (`POST /v1/workflows/:name/upgrade`),
   * each re-checked by its engine under the run's lock, with an audit record per run handed to an engine; `WORKFLOW_NOT_FOUND`.
   */
  applyUpgrade(tenant: string, name: string, body: UpgradeApplyBody, options: { readonly actor: string }): Promise<UpgradeApplyResult>;
  /** The upgrade audit records of a workflow, newest first (`GET /v1/workflows/:name/upgrades`); `WORKFLOW_NOT_FOUND`. */
  listUpgrades(tenant: string, name: string, query?: ListUpgradesQuery): Promise<ListUpgradesResponse>;
  /** A run with its open waits; `RUN_NOT_FOUND`. With `waitMs`, answered when it has finished or the time is up. */
  getRun(tenant: string, runId: string, options?: GetRunOptions): Promise<RunView>;
  /** Runs newest first, filtered, paged by cursor; with `stuck: true`, {@link Runtime.listStuckRuns}. */
  listRuns(tenant: string, query?: ListRunsQuery): Promise<ListRunsResponse>;
  /**
   * Runs that cannot progress, each with its `stuckReason`, source by source (Postgres runs parked on
   * an action no live worker provides, oldest parked first), paged by cursor; `workflow` and
   * `engine` filter; `status`, `createdAfter`, `createdBefore` answer `VALIDATION_ERROR`.
   */
  listStuckRuns(tenant: string, query?: Omit<ListRunsQuery, 'stuck'>): Promise<ListRunsResponse>;
  /** A run's step records; `RUN_NOT_FOUND`. */
  listSteps(tenant: string, runId: string): Promise<RunStepsResponse>;
  /**
   * Routes an event envelope to waiting runs and event-triggered workflows; concurrent calls are
   * routed together in micro-batches unless `eventBatching` is `false`.
   */
  deliverEvent(tenant: string, envelope: unknown): Promise<EventDeliveryResult>;
  /** Audited events, most recently received first, paged by cursor. */
  listEvents(tenant: string, query?: ListEventsQuery): Promise<ListEventsResponse>;
  /** Human tasks, oldest first. */
  listTasks(tenant: string, query?: ListTasksQuery): Promise<ListTasksResponse>;
  /** Completes a human task with a response that satisfies its form schema. */
  completeTask(tenant: string, taskId: string, body: CompleteTaskBody): Promise<CompleteTaskResponse>;
  /** Hands the due pending task completions of every tenant to their engines (the outbox drainer); run it periodically. */
  drainTaskHandoffs(options?: DrainTaskHandoffsOptions): Promise<DrainTaskHandoffsResult>;
  /** An entity of an entity workflow: its live (or last) run, sequence and variables; `ENTITY_NOT_FOUND`. */
  getEntity(tenant: string, workflow: string, entityKey: string): Promise<EntityView>;
  /** Cancels, retries or resumes a run, refusing before any change when the rules say no. */
  control(tenant: string, runId: string, action: RunControlAction, body: RunControlBody): Promise<RunControlResult>;
  /** The definition registry, for engines resolving versions at continue-as-new and for child runs. */
  readonly registry: DefinitionRegistry;
}

/** Wires the run service from engines and ports; the apps call this and nothing lower. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const clock = options.clock ?? (() => new Date());
  const actions = options.actions;
  const secrets = options.secrets ?? EMPTY_SECRET_STORE;
  const validate: DefinitionValidator =
    options.validateDefinition ??
    (async (json, publish) =>
      validateDefinition(json, { ...(actions ? { actions } : {}), ...(publish ? { secrets: await knownSecretsFor(secrets, publish.tenant, json) } : {}) }));
  const registry = createDefinitionRegistry({
    store: options.definitions,
    validate,
    clock,
    defaultEngine: options.defaultEngine ?? 'db',
    ...(options.shadowFigures ? { shadowFigures: options.shadowFigures } : {}),
  });
  const correlation =
    options.correlation === undefined
      ? EMPTY_CORRELATION_CONFIG
      : typeof options.correlation === 'string'
        ? parseCorrelationConfig(options.correlation)
        : options.correlation;
  const ctx: RuntimeContext = {
    engines: options.engines,
    definitions: options.definitions,
    runs: options.runs,
    waits: options.waits,
    events: options.events,
    tasks: options.tasks,
    ...(options.entities ? { entities: options.entities } : {}),
    registry,
    router: options.router ?? createEngineRouter({ defaultPolicy: { type: options.defaultEngine ?? 'db' } }),
    correlation,
    clock,
    generateId: options.generateId ?? (() => globalThis.crypto.randomUUID()),
    ...(options.shadowComparisons ? { shadowComparisons: options.shadowComparisons } : {}),
    ...(options.shadowFigures ? { shadowFigures: options.shadowFigures } : {}),
    ...(options.onShadowCompared ? { onShadowCompared: options.onShadowCompared } : {}),
    ...(options.upgradeAudits ? { upgradeAudits: options.upgradeAudits } : {}),
  };

  const stuckSources: readonly StuckRunSource[] = [
    ...(options.stuckRuns ? [options.stuckRuns] : []),
    ...(options.engineStuckRuns ?? []),
    ...(options.retiredVersionRuns ?? []),
  ];
  const batcher = options.eventBatching === false ? undefined : createEventBatcher((tenant, batch, release) => routeEventBatch(ctx, tenant, batch, release), options.eventBatching);

  const runNotFound = (runId: string) => new BatonError(ErrorCode.RUN_NOT_FOUND, `run ${runId} not found`, { details: { runId } });

  async function requireRun(tenant: string, runId: string) {
    const run = await ctx.runs.get(tenant, runId);
    if (!run) throw runNotFound(runId);
    return run;
  }

  /** The run and its open waits: in one read when the store has one, else the run, then its waits. */
  async function requireRunWithOpenWaits(tenant: string, runId: string) {
    if (ctx.runs.getWithOpenWaits) {
      const found = await ctx.runs.getWithOpenWaits(tenant, runId);
      if (!found) throw runNotFound(runId);
      return found;
    }
    const run = await requireRun(tenant, runId);
    return { run, openWaits: await ctx.waits.listForRun(tenant, runId, { status: 'WAITING' }) };
  }

  return {
    registry,
    publishDefinition: (tenant, json) => registry.publish(tenant, json),
    getWorkflow: (tenant, name) => registry.describe(tenant, name),

    async listWorkflows(tenant) {
      return { items: (await ctx.definitions.listNames(tenant)).map((name) => ({ name })) };
    },

    async getWorkflowVersion(tenant, name, version) {
      const found = await ctx.definitions.get(tenant, name, version);
      if (!found) {
        throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `version ${version} of '${name}' is not published`, { details: { workflow: name, version } });
      }
      return { name: found.name, version: found.version, hash: found.hash, publishedAt: found.publishedAt, definition: found.definition };
    },
    retireVersion: (tenant, name, version, body) => registry.retire(tenant, name, version, body),
    setPolicy: (tenant, name, body, changeOptions) => registry.setPolicy(tenant, name, body, changeOptions),
    startRun: (tenant, body, startOptions) => startRun(ctx, tenant, body, startOptions),
    getShadowReport: (tenant, name) => shadowReport(ctx, tenant, name),
    planUpgrade: (tenant, name, from, to) => planUpgrade(ctx, tenant, name, from, to),
    applyUpgrade: (tenant, name, body, applyOptions) => applyUpgrade(ctx, tenant, name, body, applyOptions.actor),
    listUpgrades: (tenant, name, query = {}) => listUpgrades(ctx, tenant, name, query),

    getRun(tenant, runId, getOptions = {}) {
      const read = async () => {
        const { run, openWaits } = await requireRunWithOpenWaits(tenant, runId);
        const shadow = await shadowViewOf(ctx, run);
        const view = toRunView(run, openWaits);
        return shadow ? { ...view, shadow } : view;
      };
      return awaitRunView({ read, feed: options.completions, tenant, runId, waitMs: getOptions.waitMs ?? 0 });
    },

    async listRuns(tenant, query = {}) {
      const limit = Math.min(MAX_RUN_PAGE_SIZE, Math.max(1, query.limit ?? DEFAULT_RUN_PAGE_SIZE));
      if (query.stuck === true) return listStuckRuns(stuckSources, tenant, query, limit);
      const page = await ctx.runs.list(tenant, {
        limit,
        ...(query.workflow === undefined ? {} : { workflow: query.workflow }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.engine === undefined ? {} : { engine: query.engine }),
        ...(query.createdAfter === undefined ? {} : { createdAfter: query.createdAfter }),
        ...(query.createdBefore === undefined ? {} : { createdBefore: query.createdBefore }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      return { items: page.items.map(toRunSummary), nextCursor: page.nextCursor };
    },

    listStuckRuns(tenant, query = {}) {
      return listStuckRuns(stuckSources, tenant, query, Math.min(MAX_RUN_PAGE_SIZE, Math.max(1, query.limit ?? DEFAULT_RUN_PAGE_SIZE)));
    },

    async listSteps(tenant, runId) {
      await requireRun(tenant, runId);
      return { items: [...(await ctx.runs.listSteps(tenant, runId))] };
    },

    async deliverEvent(tenant, envelope) {
      if (!batcher) return deliverEvent(ctx, tenant, envelope);
      return batcher.deliver(tenant, acceptEventEnvelope(ctx, envelope));
    },

    async listEvents(tenant, query = {}) {
      const limit = Math.min(MAX_RUN_PAGE_SIZE, Math.max(1, query.limit ?? DEFAULT_EVENT_PAGE_SIZE));
      const page = await ctx.events.list(tenant, {
        limit,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.runId === undefined ? {} : { runId: query.runId }),
      });
      return { items: page.items.map(toEventView), nextCursor: page.nextCursor };
    },

    async listTasks(tenant, query = {}) {
      const tasks = await ctx.tasks.list(tenant, {
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.runId === undefined ? {} : { runId: query.runId }),
      });
      return { items: tasks.map(toTaskView) };
    },

    completeTask: (tenant, taskId, body) => completeTask(ctx, tenant, taskId, body),
    getEntity: (tenant, workflow, entityKey) => getEntity(ctx, tenant, workflow, entityKey),
    drainTaskHandoffs: (options) => drainTaskHandoffs(ctx, options),
    control: (tenant, runId, action, body) =>
      controlRun(ctx, tenant, runId, action, body, options.cancelSettleMs === undefined ? {} : { cancelSettleMs: options.cancelSettleMs }),
  };
}
