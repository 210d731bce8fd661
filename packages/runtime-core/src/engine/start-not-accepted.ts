import type { EngineKind } from '@baton/event-schemas';
import { BatonError, isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';

/**
 * The `ENGINE_UNAVAILABLE` error an engine throws from `start` when it knows the start was NOT
 * accepted (e.g. the connection was refused, so the request never reached the engine). Its details
 * carry `startAccepted: false`; the runtime then fails the run instead of leaving it RUNNING.
 * An engine that cannot tell (a timeout, a lost answer) throws any other error: the run stays as
 * it is and a repeated start with the same `executionKey` hands it to the engine again.
 */
export function startNotAcceptedError(engine: EngineKind, runId: string, message: string, cause?: unknown): BatonError {
  return new BatonError(ErrorCode.ENGINE_UNAVAILABLE, message, {
    details: { engine, runId, startAccepted: false },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Whether an error thrown by `WorkflowEngine.start` proves the engine did not accept the start. */
export function isStartNotAccepted(err: unknown): err is BatonError {
  return isBatonError(err) && err.code === ErrorCode.ENGINE_UNAVAILABLE && (err.details as { startAccepted?: unknown } | undefined)?.startAccepted === false;
}
