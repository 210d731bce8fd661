// Drives runtime-core's interpreter inside the Temporal sandbox: turns commands into
// activities, timers and child workflows, and feeds their results back as inputs. All
// semantics (retries, catch, timeouts, filters) live in the interpreter; this file only moves
// data between it and Temporal. Sandbox-safe: deterministic code only.
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { JsonValue, RunWait, WorkflowError } from '@baton/event-schemas';
import {
  canceledRunOutcome,
  childFailureError,
  decideTaskCompletion,
  childShadowLink,
  isShadowStop,
  stopShadowRun,
  eventInboxRequests,
  executedStepCount,
  generationLimitState,
  MAX_BACK_TO_BACK_GENERATIONS,
  memoizedWaitQueries,
  planNextGeneration,
  resolveLimits,
  runOutcome,
  runStatus,
  terminalOutcome,
  runVariables,
  validateTaskResponse,
  waitChanges,
  type AdvanceOptions,
  type AdvanceResult,
  type ContinueAsNewCommand,
  type EventInboxRequest,
  type InterpreterCommand,
  type InterpreterInput,
  type InterpreterState,
  type PendingCommand,
  type RunActionCommand,
  type StartChildCommand,
  type StartTimerCommand,
  type TaskCloseReason,
  type TaskCompletionVerdict,
  type WaitClosure,
} from '@baton/runtime-core/pure';
import type { BatonActivities, ProjectionBatch, ResolvedDefinition } from './activity-contracts.js';
import { RunAbort, type Advancer, type AdvancerFactory } from './advancer.js';
import { actionFailureNoteOf, childErrorOf, toApplicationFailure, workflowErrorOf } from './failure-types.js';
import { MessageInbox, type InboxMatch } from './message-inbox.js';
import { foldProjection } from './folded-projection.js';
import { ProjectionBuffer } from './projection-buffer.js';
import type { BatonRunArgs } from './run-args.js';
import { decideUpgrade, skippedResult, upgradedArgs, upgradeSkippedFailure, type UpgradeDefinitionMessage, type UpgradeDefinitionResult, type UpgradeTicket } from './definition-upgrade.js';
import { BATON_WORKFLOW_TYPE, workflowIdForRun, type BatonRunStateView, type TaskCompletionMessage } from './workflow-messages.js';

/** Commands that start an effect; re-issued from `pendingCommands` after a continue-as-new. */
const STARTS_EFFECT: ReadonlySet<InterpreterCommand['type']> = new Set(['RunAction', 'StartTimer', 'StartChild']);

/** Extra time the activity gets beyond the action's own timeout (which `executeAction` enforces). */
const ACTION_TIMEOUT_MARGIN_MS = 10_000;
const DEFAULT_ACTION_TIMEOUT_MS = 300_000;
const DEFAULT_ACTION_HEARTBEAT_TIMEOUT_MS = 10_000;
const DEFAULT_LOST_ACTION_ATTEMPTS = 10;

const writeProjection = proxyLocalActivities<Pick<BatonActivities, 'batonWriteProjection'>>({
  startToCloseTimeout: '30s',
  // Projection writes are idempotent and must not be lost: retry until the store answers.
  retry: { initialInterval: '500ms', maximumInterval: '30s', backoffCoefficient: 2 },
}).batonWriteProjection;

const resolveDefinition = proxyLocalActivities<Pick<BatonActivities, 'batonResolveDefinition'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '30s', backoffCoefficient: 2 },
}).batonResolveDefinition;

/** A task completion the `baton.completeTask` update waits on. */
interface TaskTicket {
  settled: boolean;
  rejection?: { readonly code: string; readonly message: string; readonly details?: WorkflowError['details'] };
}

/** Tasks closed without a response remembered for late completions (a bounded, oldest-first window). */
const MAX_CLOSED_TASKS = 1_000;

type NewInput = { readonly [K in InterpreterInput['type']]: Omit<Extract<InterpreterInput, { type: K }>, 'now'> }[InterpreterInput['type']];

function nowIso(): string {
  return new Date().toISOString();
}

function stamp(input: NewInput): InterpreterInput {
  return { ...input, now: nowIso() } as InterpreterInput;
}

/** The state of one Temporal run of a Baton run. */
export class RunDriver {
  /** Replaced only by a definition upgrade (`baton.upgradeDefinition`). */
  #args: BatonRunArgs;
  /** Definition upgrades accepted and not applied yet (applied between two inputs). */
  readonly #upgrades: UpgradeTicket[] = [];
  /** Where `advance` runs: in this workflow, or in a local activity (the worker's interpreter mode). */
  readonly #advancer: Advancer;
  readonly #maxStepsPerRun: number;
  readonly #actionTimeoutMs: number;
  readonly #actionHeartbeatTimeoutMs: number;
  readonly #lostActionAttempts: number;
  readonly #messages: MessageInbox;
  readonly #projection: ProjectionBuffer;
  readonly #effects: InterpreterInput[] = [];
  readonly #timers = new Map<string, CancellationScope>();
  readonly #tickets = new Map<string, TaskTicket>();
  /** How the interpreter closed tasks without a response (timeout, cancel), for completions that come late. */
  readonly #closedTasks = new Map<string, TaskCloseReason>();
  readonly #actionProxies = new Map<number, BatonActivities['batonRunAction']>();
  #state: InterpreterState | undefined;
  #pending: readonly PendingCommand[] = [];
  #waits = new Map<string, RunWait>();
  /** `openWaits` / `pendingCommands` once per state (each state is diffed as `after`, then as `before`). */
  readonly #queries = memoizedWaitQueries();
  #lastRunPatch = '';
  #inFlight = 0;
  #stepsAtRunStart = 0;
  #cancelReason: string | undefined;
  #canceling = false;
  #continueRequest: ContinueAsNewCommand | undefined;
  /** The history budget is used up: continue as new before starting anything else. */
  #continueWithState = false;
  #fatal: { readonly error: unknown } | undefined;
  /** A shadow called an action its primary did not: the run stops with this error. */
  #shadowStop: WorkflowError | undefined;
  /** This Temporal run applied an input besides its generation's Start (resets the back-to-back count). */
  #tookInput = false;
  readonly #maxBackToBack: number;

  constructor(args: BatonRunArgs, advancer: AdvancerFactory) {
    this.#args = args;
    const settings = args.settings ?? {};
    const advanceOptions: AdvanceOptions = settings.limits ? { limits: settings.limits } : {};
    this.#advancer = advancer(() => this.#args, advanceOptions);
    this.#maxStepsPerRun = settings.maxStepsPerRun ?? resolveLimits(settings.limits).maxStepsPerHistory;
    this.#actionTimeoutMs = settings.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    this.#actionHeartbeatTimeoutMs = settings.actionHeartbeatTimeoutMs ?? DEFAULT_ACTION_HEARTBEAT_TIMEOUT_MS;
    this.#lostActionAttempts = Math.max(1, settings.lostActionAttempts ?? DEFAULT_LOST_ACTION_ATTEMPTS);
    this.#maxBackToBack = settings.maxBackToBackGenerations ?? MAX_BACK_TO_BACK_GENERATIONS;
    this.#messages = new MessageInbox(args.carried, settings.maxSeenEventIds === undefined ? {} : { maxSeenIds: settings.maxSeenEventIds });
    this.#projection = new ProjectionBuffer(args.context.tenant, args.context.runId);
  }

  // ---- messages from outside (signal, update and query handlers) ----

  /** `baton.event`: buffers the event unless its id was seen. */
  receiveEvent(event: Parameters<MessageInbox['offerEvent']>[0]): void {
    this.#messages.offerEvent(event);
  }

  /** `baton.humanTask` signal: buffers the completion (applied when its task is open). */
  receiveTaskSignal(completion: TaskCompletionMessage): void {
    this.#messages.offerTask(completion);
  }

  /** `baton.cancelReason`: remembers why the coming cancel request was made. */
  receiveCancelReason(reason: string): void {
    this.#cancelReason = reason;
  }

  /** The update validator's verdict, synchronously; `undefined` accepts. */
  taskCompletionProblem(completion: TaskCompletionMessage): { readonly kind: 'not-found' | 'closed' | 'invalid'; readonly error: WorkflowError } | undefined {
    const decided = this.decideCompletion(completion.taskId);
    if (decided.kind === 'taken') return undefined;
    if (decided.kind === 'closed') return { kind: 'closed', error: decided.error };
    if (decided.kind === 'unknown' || !this.#state) {
      return { kind: 'not-found', error: { category: 'ValidationError', code: 'TASK_NOT_FOUND', message: `task ${completion.taskId} is not open in this run` } };
    }
    const verdict = validateTaskResponse(this.#state, completion.taskId, completion.response);
    return verdict.ok ? undefined : { kind: 'invalid', error: verdict.error };
  }

  /** runtime-core's verdict on a completion of `taskId`: open, taken already, closed first (timeout, cancel) or unknown. */
  private decideCompletion(taskId: string): TaskCompletionVerdict {
    const closure: WaitClosure | undefined = this.#messages.isTaskCompleted(taskId) ? 'RESOLVED' : this.#closedTasks.get(taskId);
    return decideTaskCompletion(this.#state, taskId, closure);
  }

  /** `baton.completeTask` update: applies the completion and resolves once the interpreter took it. */
  async completeTask(completion: TaskCompletionMessage): Promise<{ duplicate: boolean; rejection?: { code: string; message: string } }> {
    if (this.#messages.isTaskCompleted(completion.taskId)) return { duplicate: true };
    const ticket: TaskTicket = this.#tickets.get(completion.taskId) ?? { settled: false };
    this.#tickets.set(completion.taskId, ticket);
    this.#messages.offerTask(completion);
    await condition(() => ticket.settled);
    return ticket.rejection ? { duplicate: false, rejection: ticket.rejection } : { duplicate: false };
  }

  /** `baton.upgradeDefinition` validator: refuses (no history event) a move runtime-core would not make now. */
  validateUpgrade(message: UpgradeDefinitionMessage): void {
    const decision = decideUpgrade(this.#args, this.#state, message);
    if (decision.kind === 'skip') throw upgradeSkippedFailure(decision);
  }

  /** `baton.upgradeDefinition` update: the move is applied at the next quiet point, between two inputs. */
  async upgradeDefinition(message: UpgradeDefinitionMessage): Promise<UpgradeDefinitionResult> {
    const ticket: UpgradeTicket = { message };
    this.#upgrades.push(ticket);
    // A run that finishes or continues as new first is not moved (and must not wait for this handler).
    const settled = () => {
      const status = this.#state ? runStatus(this.#state) : undefined;
      return status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELED' ? 'RUN_FINISHED' : this.#continueRequest ? 'NOT_AT_A_WAIT' : undefined;
    };
    await condition(() => ticket.result !== undefined || settled() !== undefined);
    return ticket.result ?? { moved: false, class: 'CANNOT_MOVE', reason: settled()! };
  }

  /** Decides the move again (the run may have moved on since the validator) and swaps the definition and state. */
  private async applyUpgrade(ticket: UpgradeTicket): Promise<void> {
    const decision = decideUpgrade(this.#args, this.#state, ticket.message);
    if (decision.kind === 'skip') {
      ticket.result = skippedResult(decision);
      return;
    }
    this.#args = upgradedArgs(this.#args, ticket.message);
    // Same waits, steps and effects: only the version (and the positions in the new step lists) change.
    this.project({ state: decision.state, commands: [], steps: [], accepted: true }, undefined);
    this.#projection.patchRun({ version: this.#args.context.version, definitionHash: this.#args.definitionHash, updatedAt: nowIso() });
    await this.flush();
    ticket.result = { moved: true };
  }

  /** `baton.state` query. */
  view(): BatonRunStateView {
    const { context } = this.#args;
    const currentStepId = this.#pending[0]?.stepId;
    return {
      runId: context.runId,
      workflow: context.workflow,
      version: context.version,
      status: this.#state ? runStatus(this.#state) : 'RUNNING',
      ...(currentStepId !== undefined ? { currentStepId } : {}),
      openWaits: [...this.#waits.values()],
      generation: this.#args.generation ?? 0,
      stepsThisRun: this.#state ? executedStepCount(this.#state) - this.#stepsAtRunStart : 0,
      bufferedEvents: this.#messages.bufferedEventCount,
      ...(this.#state ? { vars: runVariables(this.#state) } : {}),
    };
  }

  // ---- the run ----

  /** Runs the interpreter until the run finishes, is cancelled or continues as new. */
  async run(): Promise<JsonValue> {
    try {
      await this.begin();
      for (;;) {
        const outcome = this.#state ? runOutcome(this.#state) : undefined;
        if (outcome && outcome.status !== 'RUNNING' && outcome.status !== 'WAITING') return await this.finish();
        if (this.#continueRequest) return await this.continueGeneration(this.#continueRequest);
        // Continue as new only at a quiet point: no input waiting, no update still being applied.
        if (this.continueDue() && !this.hasWork() && allHandlersFinished()) return await this.continueWithState();
        await condition(() => this.hasWork() || (this.continueDue() && allHandlersFinished()));
        await this.step();
      }
    } catch (error) {
      if (error instanceof RunAbort) return CancellationScope.nonCancellable(() => this.abort(error.error));
      if (!isCancellation(error)) throw error;
      return CancellationScope.nonCancellable(() => this.cancel(error));
    }
  }

  /** The driver cannot go on (the interpreter answered another advance): the run fails with `error`, recorded in its projection. */
  private async abort(error: WorkflowError): Promise<never> {
    const now = nowIso();
    // Nothing routes to the run any more: its open waits and tasks close with it.
    for (const wait of this.#waits.values()) {
      this.#projection.closeWait({ waitId: wait.waitId, outcome: 'CANCELED', at: now });
      if (wait.type === 'HUMAN_TASK') this.#projection.closeTask({ taskId: wait.waitId, status: 'CANCELED', at: now });
    }
    this.#projection.patchRun({ status: 'FAILED', error, currentStepId: null, updatedAt: now, completedAt: now });
    await this.flush();
    throw toApplicationFailure(error);
  }

  private async begin(): Promise<void> {
    const { carried, context } = this.#args;
    if (carried?.state) {
      this.#state = carried.state;
      this.#pending = this.#queries.pendingCommands(carried.state);
      this.#waits = new Map(this.#queries.openWaits(carried.state).map((w) => [w.waitId, w]));
      this.#stepsAtRunStart = executedStepCount(carried.state);
      // Outstanding commands are effects of the previous Temporal run: start them here again.
      for (const command of this.#pending) this.execute(command, undefined);
      return;
    }
    const generation = this.#args.generation ?? 0;
    const start = stamp({ type: 'Start', context, input: this.#args.input, generation });
    if (generation > 0) {
      // control.continueAsNew may have moved the run to another version: the projection follows it.
      // (Only the payload of the next projection write grows; no command is added to the history.)
      this.#projection.patchRun({ version: context.version, definitionHash: this.#args.definitionHash, updatedAt: start.now });
    }
    const result = await this.#advancer.advance(undefined, start);
    await this.applyAndFlush(result);
  }

  private hasWork(): boolean {
    return (
      this.#fatal !== undefined ||
      this.#shadowStop !== undefined ||
      this.#upgrades.length > 0 ||
      this.#effects.length > 0 ||
      this.#messages.hasMatch(this.inboxRequests(), this.#pending)
    );
  }

  /** What the open event waits take (runtime-core decides the window and order). */
  private inboxRequests(): EventInboxRequest[] {
    return this.#state ? eventInboxRequests(this.#state) : [];
  }

  private continueDue(): boolean {
    return this.#continueWithState || this.shouldContinueAsNew();
  }

  /** The history budget is spent and nothing is in flight, so the state alone describes the run. */
  private shouldContinueAsNew(): boolean {
    if (this.#inFlight > 0 || !this.#state || this.#continueRequest) return false;
    const status = runStatus(this.#state);
    if (status !== 'RUNNING' && status !== 'WAITING') return false;
    const steps = executedStepCount(this.#state) - this.#stepsAtRunStart;
    return steps >= this.#maxStepsPerRun || workflowInfo().continueAsNewSuggested;
  }

  /** Takes the next input (effect results first, then buffered messages) and applies it. */
  private async step(): Promise<void> {
    if (this.#fatal) throw this.#fatal.error;
    const upgrade = this.#upgrades.shift();
    if (upgrade) return this.applyUpgrade(upgrade);
    if (this.#shadowStop && this.#state) {
      const state = stopShadowRun(this.#state, this.#shadowStop, nowIso());
      this.#shadowStop = undefined;
      this.project({ state, commands: [], steps: [], accepted: true }, undefined);
      return;
    }
    let input: InterpreterInput | undefined = this.#effects.shift();
    let match: InboxMatch | undefined;
    if (!input) {
      match = this.#messages.take(this.inboxRequests(), this.#pending);
      if (!match) return;
      input =
        match.kind === 'event'
          ? stamp({ type: 'EventReceived', waitId: match.waitId, event: match.event })
          : stamp({
              type: 'HumanTaskCompleted',
              taskId: match.completion.taskId,
              response: match.completion.response,
              ...(match.completion.completedBy !== undefined ? { completedBy: match.completion.completedBy } : {}),
            });
    }
    const result = await this.#advancer.advance(this.#state, input);
    if (match?.kind === 'task') this.settleTicket(match.completion.taskId, result);
    if (match?.kind === 'event') {
      if (result.accepted) this.#messages.eventTaken(match.event.eventId);
      else this.#messages.eventRefused(match.waitId, match.event.eventId);
    }
    // A rejected input (stale id, event filter false, invalid response) changes nothing.
    if (!result.accepted) return;
    this.#tookInput = true;
    await this.applyAndFlush(result, input);
    this.settleClosedTasks();
  }

  /** Updates waiting on a task that closed meanwhile (timed out, run finished) get their answer now. */
  private settleClosedTasks(): void {
    for (const [taskId, ticket] of this.#tickets) {
      const decided = this.decideCompletion(taskId);
      if (decided.kind === 'apply') continue;
      ticket.settled = true;
      ticket.rejection =
        decided.kind === 'closed'
          ? { code: decided.error.code, message: decided.error.message, ...(decided.error.details !== undefined ? { details: decided.error.details } : {}) }
          : { code: 'TASK_NOT_FOUND', message: `task ${taskId} closed before its completion was applied` };
      this.#tickets.delete(taskId);
      this.#messages.dropTask(taskId);
    }
  }

  private rememberClosedTask(taskId: string, reason: TaskCloseReason): void {
    this.#closedTasks.set(taskId, reason);
    if (this.#closedTasks.size > MAX_CLOSED_TASKS) this.#closedTasks.delete(this.#closedTasks.keys().next().value!);
  }

  private settleTicket(taskId: string, result: AdvanceResult): void {
    if (result.accepted) this.#messages.markTaskCompleted(taskId);
    const ticket = this.#tickets.get(taskId);
    if (!ticket) return;
    ticket.settled = true;
    if (!result.accepted && result.rejection) {
      const { code, message, details } = result.rejection;
      ticket.rejection = { code, message, ...(details !== undefined ? { details } : {}) };
    }
    this.#tickets.delete(taskId);
  }

  /**
   * Applies an accepted result: projection, then effects; writes the projection unless an
   * action call carries it. When the history budget is spent, new effects are not started
   * here: the next Temporal run starts them from the carried state.
   */
  private async applyAndFlush(result: AdvanceResult, input?: InterpreterInput): Promise<void> {
    this.project(result, input);
    const defer = this.shouldContinueAsNew();
    let carried = false;
    for (const command of result.commands) {
      if (defer && STARTS_EFFECT.has(command.type)) continue;
      // A write that reads the event inbox is not folded into an action call: its answer is needed here.
      if (command.type === 'RunAction' && !carried && !this.#projection.readsInbox) {
        carried = true;
        this.execute(command, this.#projection.take());
      } else {
        this.execute(command, undefined);
      }
    }
    if (defer) this.#continueWithState = true;
    else if (!carried) await this.flush();
  }

  /** Records what the result changed in the projection buffer. */
  private project(result: AdvanceResult, input: InterpreterInput | undefined): void {
    const state = result.state;
    const now = state.updatedAt;
    const before = this.#state;
    this.#state = state;
    this.#pending = this.#queries.pendingCommands(state);
    this.#projection.addSteps(result.steps);

    // runtime-core says which waits opened and closed, and how; this only fills the projection batch.
    const changes = waitChanges(before, state, result.commands, this.#queries);
    for (const { wait, closure: outcome } of changes.closed) {
      const waitId = wait.waitId;
      const takenEvent = outcome === 'RESOLVED' && input?.type === 'EventReceived' && input.waitId === waitId ? input.event.eventId : undefined;
      this.#projection.closeWait({ waitId, outcome, at: now, ...(takenEvent !== undefined ? { resolvedBy: takenEvent } : {}) });
      if (wait.type !== 'HUMAN_TASK') continue;
      if (outcome === 'RESOLVED' && input?.type === 'HumanTaskCompleted' && input.taskId === waitId) {
        this.#projection.resolveTask({
          taskId: waitId,
          response: input.response,
          ...(input.completedBy !== undefined ? { completedBy: input.completedBy } : {}),
          at: now,
        });
      } else if (outcome !== 'RESOLVED') {
        this.#projection.closeTask({ taskId: waitId, status: outcome, at: now });
        this.rememberClosedTask(waitId, outcome);
      }
    }
    const inboxRequests = eventInboxRequests(state);
    for (const wait of changes.opened) {
      this.#projection.openWait(wait);
      const request = inboxRequests.find((r) => r.waitId === wait.waitId);
      if (request) this.#projection.readInbox(request);
    }
    for (const task of changes.openedTasks) {
      const wait = changes.opened.find((w) => w.waitId === task.taskId);
      this.#projection.openTask({
        taskId: task.taskId,
        stepId: task.stepId,
        taskType: task.taskType,
        title: task.title,
        createdAt: wait?.createdAt ?? now,
        ...(task.formSchema !== undefined ? { formSchema: task.formSchema } : {}),
        ...(task.assignee !== undefined ? { assignee: task.assignee } : {}),
        ...(task.timeoutAt !== undefined ? { timeoutAt: task.timeoutAt } : {}),
      });
    }
    this.#waits = new Map(this.#queries.openWaits(state).map((w) => [w.waitId, w]));

    const outcome = runOutcome(state);
    const finished = outcome.status === 'SUCCEEDED' || outcome.status === 'FAILED' || outcome.status === 'CANCELED';
    const currentStepId = finished ? null : (this.#pending[0]?.stepId ?? null);
    const key = `${outcome.status}\u0000${currentStepId}`;
    if (key !== this.#lastRunPatch || finished) {
      this.#lastRunPatch = key;
      this.#projection.patchRun({
        status: outcome.status,
        currentStepId,
        updatedAt: now,
        ...(finished ? { completedAt: now } : {}),
        ...(outcome.output !== undefined ? { output: outcome.output } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      });
    }
  }

  /** Writes pending projection changes (a local activity: no extra activity events in the history). */
  private async flush(): Promise<void> {
    if (this.#projection.isEmpty) return;
    const batch = this.#projection.take();
    let written;
    try {
      written = await writeProjection(batch);
    } catch (error) {
      this.#projection.restore(batch);
      throw error;
    }
    // Histories recorded before the event inbox answer nothing here.
    for (const events of Object.values(written?.inbox ?? {})) for (const event of events) this.#messages.offerEvent(event);
  }

  private execute(command: InterpreterCommand, projection: ProjectionBatch | undefined): void {
    switch (command.type) {
      case 'RunAction':
        this.startAction(command, projection);
        return;
      case 'StartTimer':
        this.startTimer(command);
        return;
      case 'CancelTimer':
        this.#timers.get(command.timerId)?.cancel();
        this.#timers.delete(command.timerId);
        return;
      case 'StartChild':
        this.startChildRun(command);
        return;
      case 'CancelChild':
        this.cancelChild(command.childRunId);
        return;
      case 'ContinueAsNew':
        this.#continueRequest = command;
        return;
      // Waits are matched against the pending commands; finishing reads the state.
      case 'AwaitEvent':
      case 'AwaitHumanTask':
      case 'CancelWait':
      case 'Complete':
      case 'Fail':
      case 'Canceled':
        return;
    }
  }

  private actionProxy(timeoutMs: number): BatonActivities['batonRunAction'] {
    let proxy = this.#actionProxies.get(timeoutMs);
    if (!proxy) {
      // The interpreter decides retries of the step (its retry policy): every action error is a
      // non-retryable ApplicationFailure. Temporal retries only an attempt whose worker stopped
      // reporting (no heartbeat, start-to-close passed: the action's own timeout is enforced in the
      // worker) or failed outside the action; the retried attempt reuses a completed invocation's output.
      proxy = proxyActivities<Pick<BatonActivities, 'batonRunAction'>>({
        startToCloseTimeout: timeoutMs,
        heartbeatTimeout: this.#actionHeartbeatTimeoutMs,
        retry: { maximumAttempts: this.#lostActionAttempts, initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s' },
      }).batonRunAction;
      this.#actionProxies.set(timeoutMs, proxy);
    }
    return proxy;
  }

  private startAction(command: RunActionCommand, projection: ProjectionBatch | undefined): void {
    const { tenant, runId } = this.#args.context;
    const folded = projection && !isEmptyBatch(projection) ? projection : undefined;
    const run = this.actionProxy((command.timeoutMs ?? this.#actionTimeoutMs) + ACTION_TIMEOUT_MARGIN_MS);
    this.#inFlight += 1;
    const { shadow } = this.#args;
    run({ tenant, runId, command, ...(folded ? { projection: foldProjection(folded) } : {}), ...(shadow ? { shadow } : {}) }).then(
      (response) => {
        this.#inFlight -= 1;
        if (response.projectionFailed && folded) this.#projection.restore(folded);
        this.#effects.push(stamp({ type: 'ActionCompleted', commandId: command.commandId, output: response.output }));
      },
      (error: unknown) => {
        this.#inFlight -= 1;
        // Only a cancel of the whole run cancels an activity; the cancel path takes over.
        if (this.#canceling || isCancellation(error)) return;
        if (folded && actionFailureNoteOf(error).projectionFailed) this.#projection.restore(folded);
        const failure = workflowErrorOf(error, command.stepId);
        if (shadow?.role === 'shadow' && isShadowStop(failure)) {
          this.#shadowStop = failure;
          return;
        }
        this.#effects.push(stamp({ type: 'ActionFailed', commandId: command.commandId, error: failure }));
      },
    );
  }

  private startTimer(command: StartTimerCommand): void {
    const delay = Math.max(1, Date.parse(command.fireAt) - Date.now());
    const scope = new CancellationScope();
    this.#timers.set(command.timerId, scope);
    scope.run(() => sleep(delay)).then(
      () => {
        this.#timers.delete(command.timerId);
        this.#effects.push(stamp({ type: 'TimerFired', timerId: command.timerId }));
      },
      (error: unknown) => {
        this.#timers.delete(command.timerId);
        if (!isCancellation(error)) this.#fatal = { error };
      },
    );
  }

  private startChildRun(command: StartChildCommand): void {
    const { context, shadow } = this.#args;
    const childShadow = shadow && command.attemptId !== undefined ? childShadowLink(shadow, context.runId, 'temporal', command.attemptId) : undefined;
    this.#inFlight += 1;
    const started = nowIso();
    let unresolvable: WorkflowError | undefined;
    const run = async (): Promise<JsonValue> => {
      let resolved: ResolvedDefinition;
      try {
        resolved = await resolveDefinition({
          tenant: context.tenant,
          workflow: command.workflow,
          runKey: command.childRunId,
          ...(command.versionRange !== undefined ? { range: command.versionRange } : {}),
          child: { runId: command.childRunId, parentRunId: context.runId, input: command.input, createdAt: started, ...(childShadow ? { shadow: childShadow } : {}) },
        });
      } catch (error) {
        const cause = workflowErrorOf(error);
        // A definition that does not resolve is the same failure on every engine (runtime-core decides).
        if (cause.category === 'ValidationError') unresolvable = childFailureError({ kind: 'unresolvable', workflow: command.workflow, reason: cause.message, reasonCode: cause.code });
        throw error;
      }
      // A child serves no entity: the parent's entity key stays with the parent.
      const { entityKey: _parentEntity, ...parentContext } = context;
      const childArgs: BatonRunArgs = {
        context: { ...parentContext, runId: command.childRunId, workflow: command.workflow, version: resolved.version, startedAt: started },
        definition: resolved.definition,
        definitionHash: resolved.hash,
        input: command.input,
        runKey: command.childRunId,
        ...(this.#args.settings ? { settings: this.#args.settings } : {}),
        ...(childShadow ? { shadow: childShadow } : {}),
      };
      // Started outside the run's cancellation scope: a cancelled parent cancels its child
      // explicitly (CancelChild), after the interpreter decided so.
      const handle = await CancellationScope.nonCancellable(() =>
        startChild<(args: BatonRunArgs) => Promise<JsonValue>>(BATON_WORKFLOW_TYPE, {
          workflowId: workflowIdForRun(command.childRunId),
          args: [childArgs],
          parentClosePolicy: 'REQUEST_CANCEL',
        }),
      );
      return handle.result();
    };
    run().then(
      (output) => {
        this.#inFlight -= 1;
        this.#effects.push(stamp({ type: 'ChildCompleted', childRunId: command.childRunId, output }));
      },
      (error: unknown) => {
        this.#inFlight -= 1;
        if (this.#canceling) return;
        this.#effects.push(stamp({ type: 'ChildFailed', childRunId: command.childRunId, error: unresolvable ?? childErrorOf(error) }));
      },
    );
  }

  private cancelChild(childRunId: string): void {
    void CancellationScope.nonCancellable(() => getExternalWorkflowHandle(workflowIdForRun(childRunId)).cancel()).catch(() => {
      // The child finished in the meantime: nothing to cancel.
    });
  }

  /** Completes the Temporal run with the run's outcome (after the last projection write). */
  private async finish(): Promise<JsonValue> {
    this.settleClosedTasks();
    await this.flush();
    // runtime-core decides the outcome (and throws on a state that has none): no status or error of our own.
    const outcome = terminalOutcome(this.#state!);
    if (outcome.status === 'SUCCEEDED') return outcome.output;
    throw toApplicationFailure(outcome.error);
  }

  /** The Temporal cancel request arrived: let the interpreter cancel, record it, end CANCELED. */
  private async cancel(cancellation: unknown): Promise<JsonValue> {
    this.#canceling = true;
    const state = this.#state;
    const status = state ? runStatus(state) : undefined;
    if (state && !this.#continueRequest && (status === 'RUNNING' || status === 'WAITING')) {
      const result = await this.#advancer.advance(state, stamp({ type: 'Cancel', reason: this.#cancelReason ?? 'canceled' }));
      if (result.accepted) {
        this.project(result, undefined);
        for (const command of result.commands) this.execute(command, undefined);
        this.settleClosedTasks();
      }
    } else if (status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELED') {
      // The run had already finished; the cancel came too late to change it.
      return this.finish();
    } else {
      // Not started yet, or between generations: nothing is open, the run ends with the error a Cancel gives.
      const now = nowIso();
      const outcome = canceledRunOutcome(this.#cancelReason ?? 'canceled');
      this.#projection.patchRun({ status: outcome.status, error: outcome.error, currentStepId: null, updatedAt: now, completedAt: now });
    }
    await this.flush();
    throw cancellation;
  }

  /** `control.continueAsNew`: start the next generation as runtime-core plans it (version, back-to-back cap). */
  private async continueGeneration(command: ContinueAsNewCommand): Promise<JsonValue> {
    await this.flush();
    const { context, definition, definitionHash } = this.#args;
    const backToBack = this.#tookInput ? 0 : (this.#args.backToBack ?? 0);
    const plan = planNextGeneration(command, { workflow: context.workflow, version: context.version, runKey: this.#args.runKey }, backToBack, this.#maxBackToBack);
    if (plan.kind === 'limit') {
      // The run fails as runtime-core says; its projection and the workflow's result follow the state.
      this.#continueRequest = undefined;
      this.project({ state: generationLimitState(this.#state!, plan.error, nowIso()), commands: [], steps: [], accepted: true }, undefined);
      return this.finish();
    }
    const next: ResolvedDefinition = plan.keepCurrent
      ? { version: context.version, hash: definitionHash, definition }
      : await resolveDefinition({ tenant: context.tenant, ...plan.request });
    await condition(allHandlersFinished);
    const continueWith = makeContinueAsNewFunc<(args: BatonRunArgs) => Promise<JsonValue>>({
      // A new generation may run on the current worker build (a pinned run stays pinned otherwise).
      initialVersioningBehavior: 'AUTO_UPGRADE',
    });
    return continueWith({
      ...this.#args,
      context: { ...context, version: next.version },
      definition: next.definition,
      definitionHash: next.hash,
      input: command.input,
      generation: command.generation,
      backToBack: plan.backToBack,
      carried: this.#messages.carry(),
    });
  }

  /** History is long: hand the interpreter state and the inbox to a fresh Temporal run. */
  private async continueWithState(): Promise<never> {
    await this.flush();
    await condition(allHandlersFinished);
    return makeContinueAsNewFunc<(args: BatonRunArgs) => Promise<JsonValue>>()({
      ...this.#args,
      backToBack: this.#tookInput ? 0 : (this.#args.backToBack ?? 0),
      carried: { state: this.#state!, ...this.#messages.carry(), ...(this.#advancer.sequence !== undefined ? { advanceSequence: this.#advancer.sequence } : {}) },
    });
  }
}

function isEmptyBatch(batch: ProjectionBatch): boolean {
  return (
    batch.steps.length === 0 &&
    batch.openedWaits.length === 0 &&
    batch.openedTasks.length === 0 &&
    batch.closedWaits.length === 0 &&
    batch.resolvedTasks.length === 0 &&
    batch.closedTasks.length === 0 &&
    batch.run === undefined
  );
}
