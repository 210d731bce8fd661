import type { JsonValue } from '@baton/event-schemas';
import type jsonata from 'jsonata';
import { type AstNode, type AstSummary, analyzeAst } from './analyze-ast.js';
import { LruCache } from './compile-cache.js';
import { copyContext } from './copy-context.js';
import { BUILTIN_OVERRIDES } from './builtin-overrides.js';
import { BOUND_FUNCTIONS } from './custom-functions.js';
import { installEvaluationHooks } from './evaluation-hooks.js';
import { type BudgetDetails, EvaluationMeter, METER_BINDING } from './evaluation-meter.js';
import { ExpressionError, ExpressionErrorCode, isExpressionError } from './expression-error.js';
import { type ExpressionOptions, type ResolvedOptions, resolveOptions } from './expression-options.js';
import { DECLINED } from './jsonata-values.js';
import { toJsonResult } from './json-result.js';
import { isJsonataError, isStackOverflow, jsonataErrorDetails, parseSource } from './parse-source.js';
import { type SynchronousEvaluator, compileSynchronousEvaluator } from './synchronous-evaluator.js';

/** Deepest expression the synchronous evaluator takes (its recursion stays far from the stack limit). */
const SYNCHRONOUS_MAX_DEPTH = 200;

/** What an evaluation may know about its run besides the context. */
export interface EvaluationEnv {
  /** The run's logical clock, returned by `nowIso()`; without it `nowIso()` fails with EVALUATION. */
  readonly now?: Date;
}

/** A validated, compiled expression; safe to share and to evaluate concurrently. */
export interface CompiledExpression {
  /** The source as given to {@link compileExpression}. */
  readonly source: string;
  /** Evaluates against `context`; resolves to JSON or rejects with an {@link ExpressionError}. */
  evaluate(context: object, env?: EvaluationEnv): Promise<JsonValue>;
  /**
   * Evaluates without a promise when the expression is simple enough (field paths, literals,
   * operators, conditions, constructors, a few aggregate functions) and `context` is a plain
   * object; returns undefined when it is not, and the caller then uses {@link evaluate}. A value
   * returned here is exactly what `evaluate` resolves to, under the same guardrails; throws the
   * `ExpressionError` that `evaluate` would reject with when the result is not JSON or too large.
   */
  tryEvaluateSync(context: object, env?: EvaluationEnv): JsonValue | undefined;
}

/**
 * Compiled expressions kept per process, by source then by options, so an expression is compiled
 * once per (source, options). Bounded by the number of distinct sources.
 */
export const COMPILE_CACHE_CAPACITY = 1000;
const cache = new LruCache<Map<string, CompiledExpression>>(COMPILE_CACHE_CAPACITY);

const defaultOptions = resolveOptions(undefined);
const resolvedByOptions = new WeakMap<ExpressionOptions, ResolvedOptions>();

function resolved(options: ExpressionOptions | undefined): ResolvedOptions {
  if (options === undefined) return defaultOptions;
  let result = resolvedByOptions.get(options);
  if (result === undefined) resolvedByOptions.set(options, (result = resolveOptions(options)));
  return result;
}

/** JSONata's own limits on sequence sizes (a backstop: the meter refuses large ranges first). */
const JSONATA_BUDGET_CODES = new Set(['D2014', 'D2015']);

function evaluationError(error: unknown, meter: EvaluationMeter, expressionDepth: number): ExpressionError {
  if (isExpressionError(error)) return error;
  // The JavaScript stack ran out first (only possible with a maxDepth far above the default).
  if (isStackOverflow(error)) return meter.depthExceeded(expressionDepth, undefined);
  if (error instanceof RangeError && /invalid (string|array) length/i.test(error.message)) {
    return meter.outputTooLarge(meter.limits.maxOutputBytes + 1, undefined);
  }
  if (isJsonataError(error)) {
    if (JSONATA_BUDGET_CODES.has(error.code)) {
      const requested = typeof error.value === 'number' ? error.value : meter.limits.maxSteps + 1;
      const details: BudgetDetails = { limit: 'maxSteps', max: meter.limits.maxSteps, used: meter.steps, requested };
      return meter.error(
        ExpressionErrorCode.BUDGET_EXCEEDED,
        `expression exceeded its budget of ${meter.limits.maxSteps} evaluation steps (a sequence of ${requested} items)`,
        error.position,
        details,
      );
    }
    return new ExpressionError({
      code: ExpressionErrorCode.EVALUATION,
      message: error.message ?? `evaluation failed (${error.code})`,
      source: meter.source,
      position: error.position,
      details: jsonataErrorDetails(error),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExpressionError({ code: ExpressionErrorCode.EVALUATION, message: `evaluation failed: ${message}`, source: meter.source, cause: error });
}

/** Which evaluator an evaluation uses: the synchronous one when it can, or JSONata's always (tests compare them). */
export type EvaluatorChoice = 'auto' | 'jsonata';

class MeteredExpression implements CompiledExpression {
  readonly #expression: jsonata.Expression;
  readonly #options: ResolvedOptions;
  readonly #depth: number;
  readonly #writesInput: boolean;
  readonly #synchronous: SynchronousEvaluator | undefined;

  constructor(
    readonly source: string,
    expression: jsonata.Expression,
    options: ResolvedOptions,
    summary: AstSummary,
    synchronous: SynchronousEvaluator | undefined,
  ) {
    this.#expression = expression;
    this.#options = options;
    this.#depth = summary.maxDepth;
    this.#writesInput = summary.writesInput;
    this.#synchronous = synchronous;
  }

  #meter(env: EvaluationEnv | undefined): EvaluationMeter {
    return new EvaluationMeter(this.#options, this.source, env?.now);
  }

  evaluate(context: object, env?: EvaluationEnv): Promise<JsonValue> {
    if (this.#synchronous !== undefined) {
      try {
        const value = this.#evaluateSynchronously(this.#meter(env), context);
        if (value !== DECLINED) return Promise.resolve(value);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return this.#evaluate(this.#meter(env), context);
  }

  tryEvaluateSync(context: object, env?: EvaluationEnv): JsonValue | undefined {
    if (this.#synchronous === undefined) return undefined;
    const value = this.#evaluateSynchronously(this.#meter(env), context);
    return value === DECLINED ? undefined : value;
  }

  /** Evaluates, also reporting the steps the evaluation used. */
  async evaluateCounted(context: object, env: EvaluationEnv | undefined, evaluator: EvaluatorChoice): Promise<{ value: JsonValue; steps: number }> {
    if (evaluator === 'auto') {
      const synchronous = this.evaluateSynchronouslyCounted(context, env);
      if (synchronous !== undefined) return synchronous;
    }
    const meter = this.#meter(env);
    const value = await this.#evaluate(meter, context);
    return { value, steps: meter.steps };
  }

  /** The synchronous evaluation with the steps it used, or undefined when it declines. */
  evaluateSynchronouslyCounted(context: object, env: EvaluationEnv | undefined): { value: JsonValue; steps: number } | undefined {
    if (this.#synchronous === undefined) return undefined;
    const meter = this.#meter(env);
    const value = this.#evaluateSynchronously(meter, context);
    return value === DECLINED ? undefined : { value, steps: meter.steps };
  }

  /**
   * The result of the synchronous evaluator checked as JSON, or DECLINED when JSONata must
   * evaluate instead (with a fresh meter: the declined attempt's steps do not count). Throws
   * only the result check's ExpressionError, which JSONata's result would raise the same way.
   */
  #evaluateSynchronously(meter: EvaluationMeter, context: object): JsonValue | typeof DECLINED {
    // JSONata wraps an array context in a sequence first; only a plain object context is handled here.
    if (typeof context !== 'object' || context === null || Array.isArray(context)) return DECLINED;
    let result: unknown;
    try {
      result = this.#synchronous!(context, meter);
    } catch {
      return DECLINED;
    }
    return toJsonResult(result, meter, this.#options.undefinedAsNull);
  }

  async #evaluate(meter: EvaluationMeter, context: object): Promise<JsonValue> {
    let result: unknown;
    try {
      // The caller's context (a run's state) must come out unchanged, and may be frozen.
      const input = this.#writesInput ? copyContext(context) : context;
      result = await this.#expression.evaluate(input, { [METER_BINDING]: meter });
    } catch (error) {
      throw evaluationError(error, meter, this.#depth);
    }
    return toJsonResult(result, meter, this.#options.undefinedAsNull);
  }
}

function metered(compiled: CompiledExpression): MeteredExpression {
  if (!(compiled instanceof MeteredExpression)) throw new TypeError('not an expression compiled by this module');
  return compiled;
}

/**
 * Evaluates `compiled` and reports the steps used (for tests of the budget; not exported from
 * the package). `evaluator: 'jsonata'` skips the synchronous evaluator.
 */
export function evaluateCounted(
  compiled: CompiledExpression,
  context: object,
  env?: EvaluationEnv,
  evaluator: EvaluatorChoice = 'auto',
): Promise<{ value: JsonValue; steps: number }> {
  return metered(compiled).evaluateCounted(context, env, evaluator);
}

/**
 * Evaluates `compiled` with the synchronous evaluator only, reporting the steps used; undefined
 * when it declines (for tests; not exported from the package).
 */
export function evaluateSynchronouslyCounted(
  compiled: CompiledExpression,
  context: object,
  env?: EvaluationEnv,
): { value: JsonValue; steps: number } | undefined {
  return metered(compiled).evaluateSynchronouslyCounted(context, env);
}

function compileUncached(source: string, options: ResolvedOptions): CompiledExpression {
  if (typeof source !== 'string') throw new TypeError('expression source must be a string');
  const { expression } = parseSource(source);
  const summary = analyzeAst(expression.ast() as AstNode, source, options);
  for (const fn of [...BOUND_FUNCTIONS, ...BUILTIN_OVERRIDES]) {
    expression.registerFunction(fn.name, fn.implementation as (this: jsonata.Focus, ...args: unknown[]) => unknown, fn.signature);
  }
  installEvaluationHooks(expression, {
    chargesResults: summary.chargesResults,
    deepestNode: summary.maxDepth,
    maxDepth: options.maxDepth,
    definesFunctions: summary.definesFunctions,
    usesRegex: summary.usesRegex,
  });
  // The synchronous evaluator does not check depth per node: only for expressions within the limit.
  const synchronous =
    summary.maxDepth <= options.maxDepth && summary.maxDepth <= SYNCHRONOUS_MAX_DEPTH && !summary.writesInput
      ? compileSynchronousEvaluator(expression.ast() as AstNode)
      : undefined;
  return new MeteredExpression(source, expression, options, summary, synchronous);
}

/**
 * Validates and compiles `source` (cached per source and options); throws {@link ExpressionError}
 * (`SYNTAX`, `DISALLOWED_FUNCTION`, `DISALLOWED_CONSTRUCT`) when it is not an allowed expression.
 */
export function compileExpression(source: string, options?: ExpressionOptions): CompiledExpression {
  const resolvedOptions = resolved(options);
  let bySource = cache.get(source);
  let compiled = bySource?.get(resolvedOptions.key);
  if (compiled === undefined) {
    compiled = compileUncached(source, resolvedOptions);
    if (bySource === undefined) cache.set(source, (bySource = new Map()));
    bySource.set(resolvedOptions.key, compiled);
  }
  return compiled;
}

/** Checks `source` the way {@link compileExpression} does, returning the error instead of throwing it. */
export function validateExpression(
  source: string,
  options?: ExpressionOptions,
): { ok: true } | { ok: false; error: ExpressionError } {
  try {
    compileExpression(source, options);
    return { ok: true };
  } catch (error) {
    if (isExpressionError(error)) return { ok: false, error };
    throw error;
  }
}

/** Empties the compile cache (for tests and benchmarks that measure compilation). */
export function clearCompileCache(): void {
  cache.clear();
}
