import { DEFAULT_ALLOWED_FUNCTIONS, bareFunctionName } from './allowed-functions.js';

/** Deterministic guardrails applied while an expression evaluates. */
export interface ExpressionLimits {
  /**
   * Evaluation budget in steps: one per JSONata node evaluated, plus one per element of each
   * array produced by a path, constructor or function, plus one per 64 characters of each string
   * produced by a function or `&`.
   * @default 100_000
   */
  readonly maxSteps?: number;
  /**
   * Maximum nesting depth, both of the expression as it evaluates and of the JSON result.
   * @default 200
   */
  readonly maxDepth?: number;
  /**
   * Maximum size in UTF-8 bytes of the serialized result, and of any string, array or object
   * produced during evaluation.
   * @default 262_144 (256 KiB)
   */
  readonly maxOutputBytes?: number;
}

/** Options of {@link compileExpression} and {@link validateExpression}. */
export interface ExpressionOptions {
  /**
   * Functions the expression may call, with or without `$` (`'$sum'` or `'sum'`); replaces the
   * default list. Functions that read the clock, randomness or the host are never allowed.
   * @default DEFAULT_ALLOWED_FUNCTIONS
   */
  readonly allowedFunctions?: readonly string[];
  /**
   * Return `null` instead of failing with `NOT_SERIALIZABLE` when the result is undefined
   * (for example a path that matches nothing).
   * @default false
   */
  readonly undefinedAsNull?: boolean;
  /** Guardrails; each field has its own default. */
  readonly limits?: ExpressionLimits;
}

/** Default guardrails. */
export const DEFAULT_LIMITS = {
  maxSteps: 100_000,
  maxDepth: 200,
  maxOutputBytes: 256 * 1024,
} as const;

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly allowedFunctions: ReadonlySet<string>;
  readonly undefinedAsNull: boolean;
  readonly maxSteps: number;
  readonly maxDepth: number;
  readonly maxOutputBytes: number;
  /** A string that is equal for two option objects exactly when they behave the same. */
  readonly key: string;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`limits.${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Applies defaults to `options` and checks the limits (throws RangeError on a bad limit). */
export function resolveOptions(options: ExpressionOptions | undefined): ResolvedOptions {
  const names = (options?.allowedFunctions ?? DEFAULT_ALLOWED_FUNCTIONS).map(bareFunctionName);
  const allowedFunctions = new Set(names);
  const undefinedAsNull = options?.undefinedAsNull ?? false;
  const limits = options?.limits;
  const maxSteps = positiveInteger(limits?.maxSteps, DEFAULT_LIMITS.maxSteps, 'maxSteps');
  const maxDepth = positiveInteger(limits?.maxDepth, DEFAULT_LIMITS.maxDepth, 'maxDepth');
  const maxOutputBytes = positiveInteger(limits?.maxOutputBytes, DEFAULT_LIMITS.maxOutputBytes, 'maxOutputBytes');
  const key = JSON.stringify([[...allowedFunctions].sort(), undefinedAsNull, maxSteps, maxDepth, maxOutputBytes]);
  return { allowedFunctions, undefinedAsNull, maxSteps, maxDepth, maxOutputBytes, key };
}
