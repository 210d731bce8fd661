// Runs one RunAction command: the single place where action errors become WorkflowErrors, so
// both engines classify them identically.
import type { JsonValue, WorkflowError } from '@baton/event-schemas';
import type { z } from 'zod';
import { canonicalJson, NotJsonError } from '../hashing/content-hash.js';
import type { ActionCompletedInput, ActionFailedInput, RunActionCommand } from '../interpreter/protocol.js';
import { ActionFailure, type ActionLogger, type AnyActionDefinition } from './action-definition.js';
import type { ActionRegistry } from './action-registry.js';
import { redactJson, redactText, resolveSecretRefs } from '../secrets/resolve-secrets.js';
import type { SecretStore } from '../secrets/secret-store.js';

/** Codes of errors produced by {@link executeAction}. */
export const ACTION_ERROR_CODE = {
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  ACTION_INPUT_INVALID: 'ACTION_INPUT_INVALID',
  ACTION_OUTPUT_INVALID: 'ACTION_OUTPUT_INVALID',
  ACTION_TIMEOUT: 'ACTION_TIMEOUT',
  ACTION_FAILED: 'ACTION_FAILED',
  ACTION_TRANSIENT: 'ACTION_TRANSIENT',
  /** A `{"$secret": name}` of the input names a secret the tenant does not have (any more). */
  UNKNOWN_SECRET: 'UNKNOWN_SECRET',
} as const;

/** Which invocation a stored result belongs to (what a durable store records beside the output). */
export interface ActionInvocation {
  readonly tenant: string;
  readonly runId: string;
  readonly stepId: string;
  readonly action: string;
  readonly actionVersion: number;
  readonly attempt: number;
}

/** Stored outputs of completed invocations by idempotency key (a durable table in an engine). */
export interface ActionResultStore {
  /** The stored output of a completed invocation with this key, else undefined. */
  get(idempotencyKey: string, invocation: ActionInvocation): Promise<JsonValue | undefined>;
  /** Records a completed invocation; a key already completed keeps its first output. */
  put(idempotencyKey: string, output: JsonValue, invocation: ActionInvocation): Promise<void>;
}

/** Invocation context supplied by the driver. */
export interface ExecuteActionContext {
  readonly runId: string;
  readonly tenant: string;
  /** Aborts the handler (worker shutdown); the step's `timeoutMs` is added on top. */
  readonly signal?: AbortSignal;
  readonly logger?: ActionLogger;
  /** When given, a completed invocation with the same key returns its stored output instead of running again. */
  readonly results?: ActionResultStore;
  /** Where the input's `{"$secret": name}` references resolve from (the tenant's secrets). @default none: a reference fails `UNKNOWN_SECRET` */
  readonly secrets?: SecretStore;
}

/** Outcome of one action attempt. */
export type ActionResult = { readonly ok: true; readonly output: JsonValue; readonly reused?: boolean } | { readonly ok: false; readonly error: WorkflowError };

function failure(category: WorkflowError['category'], code: string, message: string, stepId: string, details?: JsonValue): ActionResult {
  const error: WorkflowError = { category, code, message, stepId };
  if (details !== undefined) error.details = details;
  return { ok: false, error };
}

function zodIssues(error: z.ZodError): JsonValue {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
}

class Timeout extends Error {}

/**
 * Validates the input, runs the handler (with the step's timeout), validates the output and
 * maps every failure to a WorkflowError: schema -> ValidationError, timeout -> TimeoutError,
 * retryable -> TransientError, else ActionError. Throws only if the result store throws.
 */
export async function executeAction(registry: ActionRegistry, command: RunActionCommand, context: ExecuteActionContext): Promise<ActionResult> {
  const { stepId } = command;
  const action = registry.get(command.action, command.actionVersion);
  if (!action) {
    return failure('ActionError', ACTION_ERROR_CODE.UNKNOWN_ACTION, `action ${command.action}@${command.actionVersion} is not registered on this worker`, stepId);
  }
  const invocation: ActionInvocation = {
    tenant: context.tenant,
    runId: context.runId,
    stepId,
    action: command.action,
    actionVersion: command.actionVersion,
    attempt: command.attempt,
  };
  const reused = context.results ? await context.results.get(command.idempotencyKey, invocation) : undefined;
  if (reused !== undefined) return { ok: true, output: reused, reused: true };

  let input: JsonValue = command.input;
  let secretValues: readonly string[] = [];
  if (command.secrets !== undefined && command.secrets.length > 0) {
    const resolution = await resolveSecretRefs(command.input, command.secrets, context.tenant, context.secrets);
    if (!resolution.ok) {
      const at = resolution.path.length ? `input.${resolution.path.join('.')}` : 'input';
      return failure('ActionError', ACTION_ERROR_CODE.UNKNOWN_SECRET, `${at} names the secret "${resolution.missing}", which this tenant does not have`, stepId, { secret: resolution.missing });
    }
    ({ input, values: secretValues } = resolution);
  }
  if (secretValues.length === 0) return runResolved(action, command, input, invocation, context);
  // The values exist only inside this attempt: whatever it says about itself is redacted.
  const logger = context.logger;
  const result = await runResolved(action, command, input, invocation, {
    ...context,
    ...(logger ? { logger: { log: (level, message, fields) => logger.log(level, redactText(message, secretValues), fields && redactJson(fields, secretValues)) } } : {}),
  });
  if (result.ok) return result;
  const error: WorkflowError = { ...result.error, message: redactText(result.error.message, secretValues) };
  if (result.error.details !== undefined) error.details = redactJson(result.error.details, secretValues);
  return { ok: false, error };
}

async function runResolved(action: AnyActionDefinition, command: RunActionCommand, rawInput: JsonValue, invocation: ActionInvocation, context: ExecuteActionContext): Promise<ActionResult> {
  const { stepId } = command;
  const input = (action.input as z.ZodType).safeParse(rawInput);
  if (!input.success) {
    return failure('ValidationError', ACTION_ERROR_CODE.ACTION_INPUT_INVALID, `invalid input for ${action.id}@${action.version}: ${input.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, stepId, { issues: zodIssues(input.error) });
  }

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(context.signal?.reason);
  context.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let raw: unknown;
  try {
    const run = Promise.resolve().then(() =>
      action.handler(input.data, {
        runId: context.runId,
        tenant: context.tenant,
        stepId,
        attempt: command.attempt,
        idempotencyKey: command.idempotencyKey,
        signal: controller.signal,
        ...(context.logger ? { logger: context.logger } : {}),
      }),
    );
    raw =
      command.timeoutMs === undefined
        ? await run
        : await Promise.race([
            run,
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Timeout()), command.timeoutMs);
            }),
          ]);
  } catch (error) {
    if (error instanceof Timeout) {
      controller.abort(new Error('action timed out'));
      return failure('TimeoutError', ACTION_ERROR_CODE.ACTION_TIMEOUT, `${action.id}@${action.version} did not finish within ${command.timeoutMs} ms`, stepId);
    }
    if (error instanceof ActionFailure) {
      return failure(error.retryable ? 'TransientError' : 'ActionError', error.code, error.message, stepId, error.details);
    }
    const message = error instanceof Error ? error.message : String(error);
    let retryable = false;
    try {
      retryable = action.retryable?.(error) ?? false;
    } catch {
      retryable = false;
    }
    return retryable
      ? failure('TransientError', ACTION_ERROR_CODE.ACTION_TRANSIENT, message, stepId)
      : failure('ActionError', ACTION_ERROR_CODE.ACTION_FAILED, message, stepId);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    context.signal?.removeEventListener('abort', onOuterAbort);
  }

  const output = (action.output as z.ZodType).safeParse(raw);
  if (!output.success) {
    return failure('ValidationError', ACTION_ERROR_CODE.ACTION_OUTPUT_INVALID, `invalid output of ${action.id}@${action.version}: ${output.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, stepId, { issues: zodIssues(output.error) });
  }
  let json: JsonValue;
  try {
    canonicalJson(output.data);
    json = JSON.parse(JSON.stringify(output.data)) as JsonValue;
  } catch (error) {
    if (!(error instanceof NotJsonError)) throw error;
    return failure('ValidationError', ACTION_ERROR_CODE.ACTION_OUTPUT_INVALID, `output of ${action.id}@${action.version} is not JSON: ${error.message}`, stepId);
  }
  if (context.results) await context.results.put(command.idempotencyKey, json, invocation);
  return { ok: true, output: json };
}

/** The interpreter input reporting an action result. */
export function actionResultInput(command: RunActionCommand, result: ActionResult, now: string): ActionCompletedInput | ActionFailedInput {
  return result.ok
    ? { type: 'ActionCompleted', now, commandId: command.commandId, output: result.output }
    : { type: 'ActionFailed', now, commandId: command.commandId, error: result.error };
}
