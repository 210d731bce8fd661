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
  | 'inputSchema';

/** A scripted interaction, performed once the run waits on `whenWaitingOn` (a step id). */
export type ScriptAction =
  | {
      readonly kind: 'deliverEvent';
      readonly whenWaitingOn: string;
      /** scoped per run by the runner (`${runId}:${eventId}`) so engines never dedupe across runs */
      readonly eventId: string;
      readonly eventName: string;
      /** default: the open wait's correlation key */
      readonly correlationKey?: string;
      readonly payload: JsonValue;
      /** The filter rejects it: the wait stays open (the next action may target the same wait). */
      readonly expectIgnored?: boolean;
    }
  | {
      readonly kind: 'completeTask';
      readonly whenWaitingOn: string;
      readonly response: JsonValue;
      readonly completedBy?: string;
      /** The response fails the form schema: refused with VALIDATION_ERROR, the task stays open. */
      readonly expectRejected?: boolean;
    }
  | { readonly kind: 'cancel'; readonly whenWaitingOn: string; readonly reason: string };

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
  readonly script?: readonly ScriptAction[];
  readonly expected: ScenarioExpectation;
}
