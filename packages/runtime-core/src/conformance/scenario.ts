import type { ErrorCategory, JsonValue, RunStatus, StepType, WorkflowDefinition } from '@baton/event-schemas';

/** What a scenario exercises besides step types (for the coverage count). */
export type ScenarioFeature =
  | StepType
  | 'retry'
  | 'backoff'
  | 'onError'
  | 'onItemError'
  | 'captureErrorAs'
  | 'timeout'
  | 'filter'
  | 'formSchema'
  | 'cancel'
  | 'idempotency'
  | 'limits'
  | 'nested'
  | 'inputSchema'
  | 'inbox'
  | 'timing'
  | 'entity';

/**
 * When the runner performs a script action (exactly one of these):
 * - `whenWaitingOn`: the run has an open wait on this step id (event, task, timer or child);
 * - `whenRunning`: a step record at this path is RUNNING, i.e. during an action (trace format:
 *   `g<n>:` prefixes a later generation, e.g. `g1:prep`);
 * - `whenFinished`: a step record at this path has finished (SUCCEEDED, FAILED or CANCELED), e.g. the
 *   `control.continueAsNew` step of a generation, or a task step that timed out.
 */
export type ScriptTiming =
  | { readonly whenWaitingOn: string; readonly whenRunning?: never; readonly whenFinished?: never }
  | { readonly whenRunning: string; readonly whenWaitingOn?: never; readonly whenFinished?: never }
  | { readonly whenFinished: string; readonly whenWaitingOn?: never; readonly whenRunning?: never };

/** Where a script action is aimed: the run, or (with `child`) the child run of a callWorkflow step. */
export interface ScriptTarget {
  /**
   * The `control.callWorkflow` step id of the scenario's run whose child run the action targets; the
   * timing then refers to the child's steps. @default the scenario's run
   */
  readonly child?: string;
}

/** A scripted interaction, performed at its timing. */
export type ScriptAction = ScriptTiming &
  ScriptTarget &
  (
    | {
        /** Hands the event to the run's engine directly, as `engine.deliverEvent` does after routing. */
        readonly kind: 'deliverEvent';
        /** scoped per run by the runner (`${runId}:${eventId}`) so engines never dedupe across runs */
        readonly eventId: string;
        readonly eventName: string;
        /** default: the open wait's correlation key */
        readonly correlationKey?: string;
        readonly payload: JsonValue;
        /** The filter rejects it (or the run took it already): the wait stays open (the next action may target the same wait). */
        readonly expectIgnored?: boolean;
      }
    | {
        /**
         * Sends the event through the event ingress (`harness.sendEvent`): deduplicated by event id,
         * kept in the event inbox, routed to the waits open at that moment. It may come before any
         * wait for it has opened (SPEC-dsl "Event inbox").
         */
        readonly kind: 'sendEvent';
        /** scoped per scenario run like `deliverEvent` ids (`${runId}:${eventId}`) */
        readonly eventId: string;
        readonly eventName: string;
        readonly correlationKey: string;
        readonly payload: JsonValue;
        /** The ingress must answer it as a duplicate of an earlier event id (nothing routed). */
        readonly expectDuplicate?: boolean;
        /** How many runs the ingress must have routed it to (e.g. 0: no wait was open yet). */
        readonly expectRouted?: number;
        /** Entity scenarios: whether the event must start a new run (another than the scenario's run). */
        readonly expectStarted?: boolean;
      }
    | {
        readonly kind: 'completeTask';
        readonly response: JsonValue;
        readonly completedBy?: string;
        /**
         * Refusal expected: `true` = the response fails the form schema (VALIDATION_ERROR, the task
         * stays open); `'closed'` = the task is no longer open (its timeout won), refused with any code.
         */
        readonly expectRejected?: boolean | 'closed';
      }
    | { readonly kind: 'cancel'; readonly reason: string }
  );

/** A duration check on one step record (completedAt - startedAt). */
export interface StepTiming {
  /** the record's path, e.g. `flaky` or `loop[1]/call` */
  readonly path: string;
  /** every harness: at least this long (real time may only be longer) */
  readonly minMs: number;
  /** logical-clock harnesses: exactly this long */
  readonly logicalMs?: number;
}

/** What the run must end with. */
export interface ScenarioExpectation {
  readonly status: Extract<RunStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELED'>;
  /** deep-equal to the run output (SUCCEEDED) */
  readonly output?: JsonValue;
  /** matched field by field against the run error */
  readonly error?: { readonly category: ErrorCategory; readonly code?: string; readonly stepId?: string; readonly message?: string };
  /**
   * Step records as `path:STATUS`, `@attempt` appended when attempt > 1, `g<n>:` prefixed when
   * generation > 0, ordered by (generation, seq).
   */
  readonly stepTrace?: readonly string[];
  readonly timings?: readonly StepTiming[];
  /**
   * After the run ended, the runner keeps the engine going this long (real ms; a logical clock runs
   * every due timer) and checks that status and step trace did not change: e.g. a timer that was
   * pending when the run was cancelled never fires.
   */
  readonly stableForMs?: number;
}

/** One conformance scenario: a definition, its input, a script and the expected end. */
export interface ConformanceScenario {
  /** unique kebab-case name; the definition is named `conformance.<name>` */
  readonly name: string;
  readonly description: string;
  readonly covers: readonly ScenarioFeature[];
  readonly definition: WorkflowDefinition;
  /** definitions of child workflows it calls (published before the run starts) */
  readonly children?: readonly WorkflowDefinition[];
  readonly input: JsonValue;
  /**
   * Entity workflows: the run is not started by `harness.start` but by this event, sent through the
   * event ingress (`harness.sendEvent`, which must answer `startedRuns`); `input` is then unused. The
   * runner scopes the event ids *and* correlation keys (the entity key) of such a scenario per execution.
   */
  readonly startEvent?: { readonly eventId: string; readonly eventName: string; readonly correlationKey: string; readonly payload: JsonValue };
  readonly script?: readonly ScriptAction[];
  readonly expected: ScenarioExpectation;
}
