/** Why an expression was rejected or failed; stable strings that callers may switch on. */
export const ExpressionErrorCode = {
  /** The source is not valid JSONata. */
  SYNTAX: 'SYNTAX',
  /** The expression calls (or references) a function that is not allowed. */
  DISALLOWED_FUNCTION: 'DISALLOWED_FUNCTION',
  /** The expression uses a construct that is not allowed (lambda, dynamic call, regex, ...). */
  DISALLOWED_CONSTRUCT: 'DISALLOWED_CONSTRUCT',
  /** JSONata raised an error while evaluating (type error, bad argument, `nowIso()` without a clock, ...). */
  EVALUATION: 'EVALUATION',
  /** The result is not JSON (undefined, a function, a non-finite number, a non-plain object). */
  NOT_SERIALIZABLE: 'NOT_SERIALIZABLE',
  /** The result, or a value produced during evaluation, exceeds `limits.maxOutputBytes`. */
  OUTPUT_TOO_LARGE: 'OUTPUT_TOO_LARGE',
  /** Evaluation exceeded `limits.maxSteps` or `limits.maxDepth`. */
  BUDGET_EXCEEDED: 'BUDGET_EXCEEDED',
} as const;
export type ExpressionErrorCode = (typeof ExpressionErrorCode)[keyof typeof ExpressionErrorCode];

/** Construction fields of an {@link ExpressionError}. */
export interface ExpressionErrorInit {
  readonly code: ExpressionErrorCode;
  readonly message: string;
  readonly source: string;
  readonly position?: number | undefined;
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * The one error type of this package: every rejection or failure of an expression is an
 * `ExpressionError` carrying the expression source and, where known, the character position.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly code: ExpressionErrorCode;
  /** The expression source as the caller wrote it. */
  readonly source: string;
  /**
   * Character offset into `source` (JSONata's convention: the index just after the offending
   * token), when the error can be tied to a token.
   */
  position?: number;
  /** Structured facts about the error (the JSONata error code, the limit that was hit, ...). */
  readonly details?: unknown;

  constructor(init: ExpressionErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.source = init.source;
    if (init.position !== undefined) this.position = init.position;
    if (init.details !== undefined) this.details = init.details;
  }
}

/** Whether `value` is an {@link ExpressionError} (also across bundle copies of this package). */
export function isExpressionError(value: unknown): value is ExpressionError {
  if (value instanceof ExpressionError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown; source?: unknown };
  return (
    candidate.name === 'ExpressionError' &&
    typeof candidate.source === 'string' &&
    typeof candidate.code === 'string' &&
    Object.hasOwn(ExpressionErrorCode, candidate.code)
  );
}
