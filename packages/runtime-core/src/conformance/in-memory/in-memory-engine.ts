// The reference driver: a loop over `advance` with a logical clock and in-memory storage. It
// shows what a driver does with each command, and runs the conformance kit without services.
import type { EngineKind, JsonValue, RoutedEvent, StepRecord, WorkflowDefinition, WorkflowError, WorkflowEvent } from '@baton/event-schemas';
import semver from 'semver';
import type { AnyActionDefinition } from '../../actions/action-definition.js';
import { actionResultInput, executeAction, type ActionResultStore } from '../../actions/execute-action.js';
import { ActionRegistry } from '../../actions/action-registry.js';
import { builtinActions } from '../../actions/builtin/builtin-actions.js';
import { EMPTY_CORRELATION_CONFIG } from '../../correlation/correlation-config.js';
import { resolveCorrelationKey } from '../../correlation/resolve-correlation-key.js';
import { defineCapabilities, type EngineCapabilities } from '../../engine/engine-capabilities.js';
import { advance } from '../../interpreter/advance.js';
import { childFailureError } from '../../interpreter/child-failure.js';
import { eventInboxRequests } from '../../interpreter/event-inbox.js';
import { generationLimitState, nextGenerationStart, planNextGeneration } from '../../interpreter/next-generation.js';
import type { AdvanceResult, InterpreterCommand, InterpreterInput, InterpreterLimits } from '../../interpreter/protocol.js';
import { openWaits, runOutcome, validateTaskResponse } from '../../interpreter/queries.js';
import type { InterpreterState } from '../../interpreter/state.js';
import { InMemoryEventInbox } from '../../ports/in-memory/in-memory-event-inbox.js';
import { conformanceActions } from '../kit-actions.js';
import type { HarnessRunView } from '../harness.js';

/** Options of {@link InMemoryEngine}. */
export interface InMemoryEngineOptions {
  /** Actions the engine runs. @default built-ins (with test actions) + conformance actions */
  readonly actions?: readonly AnyActionDefinition[];
  /** Logical time of the engine's start. @default '2025-01-01T00:00:00.000Z' */
  readonly startTime?: string;
  /** Engine kind reported in `run.engine`. @default 'db' */
  readonly engine?: EngineKind;
  readonly limits?: Partial<InterpreterLimits>;
}

interface RunEntry {
  readonly runId: string;
  readonly tenant: string;
  definition: WorkflowDefinition;
  state?: InterpreterState;
  readonly steps: Map<string, StepRecord>;
  readonly parent?: { readonly runId: string; readonly childRunId: string };
  readonly deliveredEvents: Set<string>;
  /** events this run took (an event resumes a run at most once; kept across continue-as-new) */
  readonly taken: Set<string>;
  /** event waits whose inbox was read when they opened */
  readonly inboxRead: Set<string>;
  lock: Promise<unknown>;
  /** generations started back to back (runtime-core `planNextGeneration`) */
  backToBack: number;
}

interface Timer {
  readonly runId: string;
  readonly timerId: string;
  readonly fireAt: number;
}

const ignore = (): void => undefined;

/** Thrown for unknown workflows/runs. */
export class InMemoryEngineError extends Error {
  override readonly name = 'InMemoryEngineError';
  constructor(
    readonly code: 'WORKFLOW_NOT_FOUND' | 'RUN_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** An engine kept in memory, driven by a logical clock that only moves when all work is idle. */
export class InMemoryEngine {
  /**
   * What this engine supports, as a `WorkflowEngine` declares it: `retry` re-runs a failed run; a
   * delivery is a local call, so it stays in a batch's batched phase; `cancel` applies at once.
   */
  readonly capabilities: EngineCapabilities = defineCapabilities({ retryFailedRun: true, batchedDelivery: true });
  readonly #definitions = new Map<string, Map<string, WorkflowDefinition>>();
  readonly #runs = new Map<string, RunEntry>();
  readonly #timers: Timer[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #results = new Map<string, JsonValue>();
  /** SPEC-dsl "Event inbox": every event sent through {@link sendEvent} with a key */
  readonly #inbox = new InMemoryEventInbox((_tenant, runId) => this.#runs.get(runId)?.taken ?? new Set());
  /** (tenant, eventId) of every event sent through {@link sendEvent} (the audit's dedupe) */
  readonly #received = new Set<string>();
  readonly #registry: ActionRegistry;
  readonly #engine: EngineKind;
  readonly #limits: Partial<InterpreterLimits> | undefined;
  #clock: number;
  #runCounter = 0;

  constructor(options: InMemoryEngineOptions = {}) {
    this.#registry = new ActionRegistry(options.actions ?? [...builtinActions({ enableTestActions: true }), ...conformanceActions]);
    this.#clock = Date.parse(options.startTime ?? '2025-01-01T00:00:00.000Z');
    this.#engine = options.engine ?? 'db';
    this.#limits = options.limits;
  }

  /** The logical time. */
  now(): string {
    return new Date(this.#clock).toISOString();
  }

  /** Makes definitions startable. */
  publish(definitions: readonly WorkflowDefinition[]): void {
    for (const definition of definitions) {
      let versions = this.#definitions.get(definition.name);
      if (!versions) this.#definitions.set(definition.name, (versions = new Map()));
      versions.set(definition.version, definition);
    }
  }

  /** The highest published version of `name` satisfying `range` (any when absent). */
  resolve(name: string, range?: string): WorkflowDefinition {
    const versions = this.#definitions.get(name);
    const version = versions ? semver.maxSatisfying([...versions.keys()], range ?? '*') : null;
    if (!versions || !version) throw new InMemoryEngineError('WORKFLOW_NOT_FOUND', `no published version of ${name} satisfies ${range ?? '*'}`);
    return versions.get(version)!;
  }

  /** Starts a run and runs it until it waits; resolves to its run id. */
  async start(request: { tenant: string; workflow: string; version?: string; input: JsonValue; runId?: string; parent?: RunEntry['parent'] }): Promise<string> {
    const definition = this.resolve(request.workflow, request.version);
    const runId = request.runId ?? `run-${++this.#runCounter}`;
    const entry: RunEntry = {
      runId,
      tenant: request.tenant,
      definition,
      steps: new Map(),
      deliveredEvents: new Set(),
      taken: new Set(),
      inboxRead: new Set(),
      lock: Promise.resolve(),
      backToBack: 0,
      ...(request.parent ? { parent: request.parent } : {}),
    };
    this.#runs.set(runId, entry);
    const now = this.now();
    await this.#apply(entry, {
      type: 'Start',
      now,
      input: request.input,
      context: { runId, tenant: request.tenant, workflow: definition.name, version: definition.version, engine: this.#engine, startedAt: now },
    });
    return runId;
  }

  #entry(runId: string): RunEntry {
    const entry = this.#runs.get(runId);
    if (!entry) throw new InMemoryEngineError('RUN_NOT_FOUND', `no run ${runId}`);
    return entry;
  }

  /** Status, output, error and open waits of a run. */
  view(runId: string): HarnessRunView {
    const entry = this.#entry(runId);
    if (!entry.state) return { status: 'RUNNING', waits: [] };
    return { ...runOutcome(entry.state), waits: openWaits(entry.state) };
  }

  /** Step records of a run, ordered by (generation, seq). */
  steps(runId: string): StepRecord[] {
    return [...this.#entry(runId).steps.values()].sort((a, b) => a.generation - b.generation || a.seq - b.seq);
  }

  /**
   * The event ingress (`POST /v1/events`): a new event id is kept in the inbox under its correlation
   * key and routed to the first matching open wait of each run of the tenant; a repeated id routes
   * nothing. Each accepted event takes one logical millisecond, so a wait that opens after it has a
   * later start (as on a real clock) and `since: "waitStart"` leaves it alone.
   */
  async sendEvent(tenant: string, event: WorkflowEvent): Promise<{ duplicate: boolean; routed: number }> {
    const id = `${tenant}\u0000${event.eventId}`;
    if (this.#received.has(id)) return { duplicate: true, routed: 0 };
    this.#received.add(id);
    const receivedAt = this.now();
    this.#clock += 1;
    const key = resolveCorrelationKey(event, EMPTY_CORRELATION_CONFIG).key;
    if (key === null) return { duplicate: false, routed: 0 };
    const routed: RoutedEvent & { receivedAt: string } = { eventId: event.eventId, eventName: event.eventName, correlationKey: key, payload: event.payload, receivedAt };
    this.#inbox.add(tenant, routed);
    let count = 0;
    for (const entry of this.#runs.values()) {
      if (entry.tenant !== tenant || !entry.state) continue;
      if (!openWaits(entry.state).some((w) => w.type === 'EVENT' && w.eventName === routed.eventName && w.correlationKey === key)) continue;
      count += 1;
      await this.deliverEvent(entry.runId, routed);
    }
    return { duplicate: false, routed: count };
  }

  /** Delivers a routed event to the run's matching open waits (once per event id; never one the run took). */
  async deliverEvent(runId: string, event: RoutedEvent): Promise<void> {
    const entry = this.#entry(runId);
    if (entry.deliveredEvents.has(event.eventId) || entry.taken.has(event.eventId)) return;
    entry.deliveredEvents.add(event.eventId);
    const waits = entry.state ? openWaits(entry.state) : [];
    for (const wait of waits) {
      if (wait.type === 'EVENT' && wait.eventName === event.eventName && wait.correlationKey === event.correlationKey) {
        await this.#apply(entry, { type: 'EventReceived', now: this.now(), waitId: wait.waitId, event });
      }
    }
  }

  /** Completes a human task; a response the form schema refuses is not applied. */
  async completeTask(runId: string, taskId: string, response: JsonValue, completedBy?: string): Promise<{ accepted: boolean; error?: WorkflowError }> {
    const entry = this.#entry(runId);
    if (!entry.state) return { accepted: false };
    const verdict = validateTaskResponse(entry.state, taskId, response);
    if (!verdict.ok) return { accepted: false, error: verdict.error };
    const result = await this.#apply(entry, {
      type: 'HumanTaskCompleted',
      now: this.now(),
      taskId,
      response,
      ...(completedBy !== undefined ? { completedBy } : {}),
    });
    return result?.accepted ? { accepted: true } : { accepted: false, ...(result?.rejection ? { error: result.rejection } : {}) };
  }

  /** Cancels a run. */
  async cancel(runId: string, reason: string): Promise<void> {
    await this.#apply(this.#entry(runId), { type: 'Cancel', now: this.now(), reason });
  }

  /** Operator retry of a failed run. */
  async retry(runId: string, reason: string): Promise<AdvanceResult | undefined> {
    return this.#apply(this.#entry(runId), { type: 'RetryFailed', now: this.now(), reason });
  }

  /**
   * One step of progress: waits until one piece of in-flight work (an action, a child start) has
   * finished, if any, so a caller sees each state in between (e.g. the next action RUNNING);
   * otherwise moves the clock to the earliest timer and fires every timer due then. False when idle.
   */
  async tick(): Promise<boolean> {
    if (this.#pending.size > 0) {
      await Promise.race([...this.#pending].map((work) => work.then(ignore, ignore)));
      return true;
    }
    if (this.#timers.length === 0) return false;
    const next = Math.min(...this.#timers.map((t) => t.fireAt));
    this.#clock = Math.max(this.#clock, next);
    const due = this.#timers.filter((t) => t.fireAt <= this.#clock);
    for (const timer of due) this.#removeTimer(timer.timerId);
    for (const timer of due) await this.#apply(this.#entry(timer.runId), { type: 'TimerFired', now: this.now(), timerId: timer.timerId });
    return true;
  }

  #removeTimer(timerId: string): void {
    const index = this.#timers.findIndex((t) => t.timerId === timerId);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  #spawn(work: () => Promise<unknown>): void {
    const promise: Promise<unknown> = work().finally(() => this.#pending.delete(promise));
    this.#pending.add(promise);
  }

  // Inputs of one run are applied one at a time, in arrival order.
  #apply(entry: RunEntry, input: InterpreterInput): Promise<AdvanceResult | undefined> {
    const next = entry.lock.then(() => this.#advance(entry, input));
    entry.lock = next.catch(() => undefined);
    return next;
  }

  async #advance(entry: RunEntry, input: InterpreterInput): Promise<AdvanceResult | undefined> {
    if (input.type !== 'Start' && !entry.state) return undefined;
    const result = await advance(entry.definition, input.type === 'Start' ? undefined : entry.state, input, this.#limits ? { limits: this.#limits } : {});
    if (!result.accepted) return result;
    if (input.type !== 'Start') entry.backToBack = 0;
    entry.state = result.state;
    for (const step of result.steps) entry.steps.set(step.key, step);
    if (input.type === 'EventReceived') entry.taken.add(input.event.eventId);
    for (const command of result.commands) await this.#perform(entry, command);
    await this.#takeFromInbox(entry);
    return result;
  }

  /**
   * SPEC-dsl "Event inbox": each event wait that opened is offered the inbox events it may take
   * (runtime-core's window and order), earliest first, until the interpreter accepts one.
   */
  async #takeFromInbox(entry: RunEntry): Promise<void> {
    if (!entry.state) return;
    for (const request of eventInboxRequests(entry.state)) {
      if (entry.inboxRead.has(request.waitId)) continue;
      entry.inboxRead.add(request.waitId);
      for (const event of await this.#inbox.candidates(entry.tenant, { ...request, runId: entry.runId })) {
        const result = await this.#advance(entry, { type: 'EventReceived', now: this.now(), waitId: request.waitId, event });
        // The wait took it; waits opened since were read by that advance.
        if (result?.accepted) return;
      }
    }
  }

  async #perform(entry: RunEntry, command: InterpreterCommand): Promise<void> {
    switch (command.type) {
      case 'RunAction':
        this.#spawn(async () => {
          const results: ActionResultStore = {
            get: async (key) => this.#results.get(key),
            put: async (key, output) => void this.#results.set(key, output),
          };
          const result = await executeAction(this.#registry, command, { runId: entry.runId, tenant: entry.tenant, results });
          await this.#apply(entry, actionResultInput(command, result, this.now()));
        });
        return;
      case 'StartTimer':
        this.#timers.push({ runId: entry.runId, timerId: command.timerId, fireAt: Date.parse(command.fireAt) });
        return;
      case 'CancelTimer':
        this.#removeTimer(command.timerId);
        return;
      case 'AwaitEvent':
      case 'AwaitHumanTask':
      case 'CancelWait':
        // Waits live in the state (openWaits); a database engine writes rows here.
        return;
      case 'StartChild':
        this.#spawn(async () => {
          try {
            await this.start({
              tenant: entry.tenant,
              workflow: command.workflow,
              ...(command.versionRange !== undefined ? { version: command.versionRange } : {}),
              input: command.input,
              runId: command.childRunId,
              parent: { runId: entry.runId, childRunId: command.childRunId },
            });
          } catch (error) {
            if (!(error instanceof InMemoryEngineError)) throw error;
            await this.#apply(entry, {
              type: 'ChildFailed',
              now: this.now(),
              childRunId: command.childRunId,
              error: childFailureError({ kind: 'unresolvable', workflow: command.workflow, reason: error.message, reasonCode: error.code }),
            });
          }
        });
        return;
      case 'CancelChild':
        this.#spawn(() => this.cancel(command.childRunId, command.reason));
        return;
      case 'Complete':
      case 'Fail':
      case 'Canceled':
        if (entry.parent) {
          const parent = this.#entry(entry.parent.runId);
          const childRunId = entry.parent.childRunId;
          const input: InterpreterInput =
            command.type === 'Complete'
              ? { type: 'ChildCompleted', now: this.now(), childRunId, output: command.output }
              : {
                  type: 'ChildFailed',
                  now: this.now(),
                  childRunId,
                  error: childFailureError(command.type === 'Fail' ? { kind: 'failed', error: command.error } : { kind: 'canceled', reason: command.reason }),
                };
          this.#spawn(() => this.#apply(parent, input));
        }
        return;
      case 'ContinueAsNew': {
        // runtime-core plans the generation (this engine has no version policies: the highest version is `latest`).
        const previous = entry.state!;
        const plan = planNextGeneration(command, { workflow: entry.definition.name, version: entry.definition.version, runKey: entry.runId }, entry.backToBack);
        if (plan.kind === 'limit') {
          entry.state = generationLimitState(previous, plan.error, this.now());
          await this.#perform(entry, { type: 'Fail', error: plan.error });
          return;
        }
        const definition = plan.keepCurrent ? entry.definition : this.resolve(plan.request.workflow, plan.request.pinVersion);
        entry.definition = definition;
        entry.state = undefined;
        entry.backToBack = plan.backToBack;
        await this.#advance(entry, nextGenerationStart(previous, command, definition.version, this.now()));
        return;
      }
    }
  }
}
