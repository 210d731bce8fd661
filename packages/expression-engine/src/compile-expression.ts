import type { JsonValue } from '@baton/event-schemas';
import type jsonata from 'jsonata';
import { type AstNode, type AstSummary, analyzeAst } from './analyze-ast.js';
import { LruCache } from './compile-cache.js';
import { copyContext } from './copy-context.js';
import { BOUND_FUNCTIONS } from './custom-functions.js';
import { installEvaluationHooks } from './evaluation-hooks.js';
import { type BudgetDetails, EvaluationMeter, METER_BINDING } from './evaluation-meter.js';
import { ExpressionError, ExpressionErrorCode, isExpressionError } from './expression-error.js';
import { type ExpressionOptions, type ResolvedOptions, resolveOptions } from './expression-options.js';
import { toJsonResult } from './json-result.js';
import { isJsonataError, isStackOverflow, jsonataErrorDetails, parseSource } from './parse-source.js';

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

class MeteredExpression implements CompiledExpression {
  readonly #expression: jsonata.Expression;
  readonly #options: ResolvedOptions;
  readonly #depth: number;
  readonly #writesInput: boolean;

  constructor(
    readonly source: string,
    expression: jsonata.Expression,
    options: ResolvedOptions,
    summary: AstSummary,
  ) {
    this.#expression = expression;
    this.#options = options;
    this.#depth = summary.maxDepth;
    this.#writesInput = summary.writesInput;
  }

  evaluate(context: object, env?: EvaluationEnv): Promise<JsonValue> {
    return this.#evaluate(new EvaluationMeter(this.#options, this.source, env?.now), context);
  }

  /** Evaluates, also reporting the steps the evaluation used. */
  async evaluateCounted(context: object, env?: EvaluationEnv): Promise<{ value: JsonValue; steps: number }> {
    const meter = new EvaluationMeter(this.#options, this.source, env?.now);
    const value = await this.#evaluate(meter, context);
    return { value, steps: meter.steps };
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

/**
 * Evaluates `compiled` and reports the steps used (for tests of the budget; not exported from
 * the package).
 */
export function evaluateCounted(
  compiled: CompiledExpression,
  context: object,
  env?: EvaluationEnv,
): Promise<{ value: JsonValue; steps: number }> {
  if (!(compiled instanceof MeteredExpression)) throw new TypeError('not an expression compiled by this module');
  return compiled.evaluateCounted(context, env);
}

function compileUncached(source: string, options: ResolvedOptions): CompiledExpression {
  if (typeof source !== 'string') throw new TypeError('expression source must be a string');
  const { expression } = parseSource(source);
  const summary = analyzeAst(expression.ast() as AstNode, source, options);
  for (const fn of BOUND_FUNCTIONS) {
    expression.registerFunction(fn.name, fn.implementation as (this: jsonata.Focus, ...args: unknown[]) => unknown, fn.signature);
  }
  installEvaluationHooks(expression, { chargesResults: summary.chargesResults, deepestNode: summary.maxDepth, maxDepth: options.maxDepth });
  return new MeteredExpression(source, expression, options, summary);
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
