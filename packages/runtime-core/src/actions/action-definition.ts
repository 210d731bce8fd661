import type { JsonValue } from '@baton/event-schemas';
import type { z } from 'zod';

/** Where an action log line goes. */
export interface ActionLogger {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, JsonValue>): void;
}

/** What a handler knows about the invocation. */
export interface ActionContext {
  readonly runId: string;
  readonly tenant: string;
  readonly stepId: string;
  /** 1-based, per step, cumulative across retries and operator retries */
  readonly attempt: number;
  /** `${tenant}:${key}`; the same for every attempt of one step execution */
  readonly idempotencyKey: string;
  /** Aborted when the step's `timeoutMs` elapses or the worker shuts down. */
  readonly signal?: AbortSignal;
  readonly logger?: ActionLogger;
}

/** A registered action: id@version, zod schemas of its input and output, and its handler. */
export interface ActionDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** e.g. `http.request` */
  readonly id: string;
  /** integer version, e.g. 1 for `http.request@1` */
  readonly version: number;
  readonly description?: string;
  readonly input: I;
  readonly output: O;
  /** Decides whether an error the handler threw is retryable (TransientError). @default () => false */
  readonly retryable?: (error: unknown) => boolean;
  readonly handler: (input: z.output<I>, context: ActionContext) => Promise<z.input<O>> | z.input<O>;
}

/** Any action definition, whatever its schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionDefinition = ActionDefinition<any, any>;

/** Declares an action (typed handler from its schemas). */
export function defineAction<I extends z.ZodType, O extends z.ZodType>(definition: ActionDefinition<I, O>): ActionDefinition<I, O> {
  if (!/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/.test(definition.id)) throw new TypeError(`invalid action id "${definition.id}"`);
  if (!Number.isInteger(definition.version) || definition.version < 1) throw new TypeError(`invalid action version ${definition.version}`);
  return Object.freeze({ ...definition });
}

/** Thrown by handlers to choose how a failure is classified (else `retryable(err)` decides). */
export class ActionFailure extends Error {
  override readonly name = 'ActionFailure';
  readonly code: string;
  readonly retryable: boolean;
  readonly details?: JsonValue;
  constructor(message: string, options: { code?: string; retryable?: boolean; details?: JsonValue } = {}) {
    super(message);
    this.retryable = options.retryable ?? false;
    this.code = options.code ?? (this.retryable ? 'ACTION_TRANSIENT' : 'ACTION_FAILED');
    if (options.details !== undefined) this.details = options.details;
  }
}
