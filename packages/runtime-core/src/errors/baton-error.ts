import type { ValidationIssue } from '@baton/event-schemas';
import { ERROR_HTTP_STATUS, ErrorCode } from './error-code.js';

/** Extra fields of an error body; they sit beside `code` and `message` (SPEC-api "Errors"). */
export type ErrorDetails = { readonly [key: string]: unknown };

/** Options of {@link BatonError}. */
export interface BatonErrorOptions {
  /** fields added to the error body next to `code` and `message` @default {} */
  readonly details?: ErrorDetails;
  /** the HTTP status hint @default the status of the code in {@link ERROR_HTTP_STATUS} */
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

// A global symbol, so a BatonError from another copy of this package (dist and source, two
// versions in node_modules) is still recognised by isBatonError.
const BATON_ERROR = Symbol.for('@baton/runtime-core/BatonError');

/** A typed error of the Baton API: a code from {@link ErrorCode}, a message, a status hint and details. */
export class BatonError extends Error {
  readonly [BATON_ERROR] = true;
  override readonly name: string = 'BatonError';
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = options.httpStatus ?? ERROR_HTTP_STATUS[code];
    this.details = options.details ?? {};
  }
}

/** A `VALIDATION_ERROR` (or another code) carrying an `issues` list. */
export function validationError(message: string, issues: readonly ValidationIssue[], code: ErrorCode = ErrorCode.VALIDATION_ERROR): BatonError {
  return new BatonError(code, message, { details: { issues } });
}

/**
 * The `VALIDATION_ERROR` of a page cursor that is no `nextCursor` the list answered (unreadable, of
 * another list, or naming an item the tenant does not have): issue `{path: 'cursor', code: 'INVALID_CURSOR'}`.
 */
export function invalidCursorError(message: string, issue = 'not a nextCursor of this list'): BatonError {
  return validationError(message, [{ path: 'cursor', message: issue, code: 'INVALID_CURSOR' }]);
}

/** True when `err` is a {@link BatonError}, optionally of the given code. */
export function isBatonError(err: unknown, code?: ErrorCode): err is BatonError {
  const branded = err instanceof BatonError || (typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BATON_ERROR] === true);
  return branded && (code === undefined || (err as BatonError).code === code);
}

/** The body of an error response of SPEC-api. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly [key: string]: unknown };
}

/**
 * Turns any thrown value into SPEC-api's `{ error: { code, message, ...details } }`; anything that
 * is not a {@link BatonError} becomes `INTERNAL` without leaking its message or stack.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (isBatonError(err)) {
    return { error: { ...err.details, code: err.code, message: err.message } };
  }
  return { error: { code: ErrorCode.INTERNAL, message: 'internal error' } };
}

/** The HTTP status hint of any thrown value: a {@link BatonError}'s, else 500. */
export function httpStatusOf(err: unknown): number {
  return isBatonError(err) ? err.httpStatus : 500;
}
