// Expression resolution for steps: the context of SPEC-dsl "Values and expressions", value
// templates resolved recursively, and expression failures mapped to ExpressionError data.
import { isExpr, type JsonObject, type JsonValue } from '@baton/event-schemas';
import { compileExpression, isExpressionError, type ExpressionError, type ExpressionOptions } from '@baton/expression-engine';
import type { InterpreterState } from './state.js';
import { StepFailure } from './step-failure.js';
import { checkStorable } from './storable-value.js';
import type { Tick } from './tick.js';
import type { Work } from './work.js';
import { STEP_ERROR_CODE, workflowError } from './workflow-errors.js';

const optionsByOutputLimit = new Map<number, ExpressionOptions>();

// One options object per output limit, so the expression engine's compile cache is shared.
function expressionOptions(maxOutputBytes: number): ExpressionOptions {
  let options = optionsByOutputLimit.get(maxOutputBytes);
  if (!options) {
    options = Object.freeze({ undefinedAsNull: true, limits: Object.freeze({ maxOutputBytes }) });
    optionsByOutputLimit.set(maxOutputBytes, options);
  }
  return options;
}

/** Names in scope at the current position: loop item/index and the caught error, innermost wins. */
export function scopeOf(state: InterpreterState): JsonObject {
  const scope: JsonObject = {};
  for (const frame of state.stack) {
    if (frame.kind !== 'control') continue;
    if (frame.loop) {
      scope[frame.loop.itemVar] = frame.loop.items[frame.loop.index] ?? null;
      scope.index = frame.loop.index;
    }
    if (frame.caught) scope.error = frame.caught;
  }
  return scope;
}

/** The expression context at the current position, plus `extra` names (e.g. `event`). */
export function expressionContext(state: InterpreterState, extra?: JsonObject): JsonObject {
  const { context } = state;
  return {
    ...scopeOf(state),
    input: state.input,
    vars: state.vars,
    run: {
      id: context.runId,
      workflow: context.workflow,
      version: context.version,
      tenant: context.tenant,
      engine: context.engine,
      startedAt: context.startedAt,
      ...(context.entityKey !== undefined ? { entityKey: context.entityKey } : {}),
    },
    ...extra,
  };
}

function withExpressionDetails(failure: StepFailure, source: string, field: string): StepFailure {
  const details = failure.error.details;
  const extra = details !== null && typeof details === 'object' && !Array.isArray(details) ? details : {};
  return new StepFailure({ ...failure.error, details: { field, source, ...extra } });
}

function expressionFailure(error: ExpressionError, source: string, field: string): StepFailure {
  const details: JsonObject = { field, source, expressionCode: error.code };
  if (error.position !== undefined) details.position = error.position;
  return new StepFailure(
    workflowError('ExpressionError', `${STEP_ERROR_CODE.EXPRESSION_PREFIX}${error.code}`, `${field}: ${error.message}`, undefined, details),
  );
}

/**
 * Evaluates one expression source; failures raise an ExpressionError naming the field. Simple
 * expressions are evaluated synchronously; others wait for the expression engine's promise.
 */
export function* evaluateExpression(tick: Tick, source: string, field: string, extra?: JsonObject): Work<JsonValue> {
  try {
    const compiled = compileExpression(source, expressionOptions(tick.state.limits.maxOutputBytes));
    const context = expressionContext(tick.state, extra);
    const env = { now: new Date(tick.now) };
    let value = compiled.tryEvaluateSync(context, env);
    if (value === undefined) value = (yield compiled.evaluate(context, env)) as JsonValue;
    checkStorable(value, `${field}: the expression result`, 'ExpressionError');
    return value;
  } catch (error) {
    if (error instanceof StepFailure) throw withExpressionDetails(error, source, field);
    if (!isExpressionError(error)) throw error;
    throw expressionFailure(error, source, field);
  }
}

/** Resolves a value template: literals as is, `{"$expr"}` evaluated, objects/arrays recursively (in order). */
export function* resolveTemplate(tick: Tick, template: JsonValue | undefined, field: string, extra?: JsonObject): Work<JsonValue> {
  if (template === undefined || template === null || typeof template !== 'object') return template ?? null;
  if (isExpr(template)) return yield* evaluateExpression(tick, template.$expr, field, extra);
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < template.length; i++) out.push(yield* resolveTemplate(tick, template[i], `${field}[${i}]`, extra));
    return out;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) out[key] = yield* resolveTemplate(tick, value, `${field}.${key}`, extra);
  return out;
}

/** Raises EXPRESSION_TYPE: a value (usually an expression result) has the wrong type. */
export function typeFailure(field: string, expected: string, value: JsonValue): StepFailure {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return new StepFailure(
    workflowError('ExpressionError', STEP_ERROR_CODE.EXPRESSION_TYPE, `${field} must be ${expected}, got ${actual}`, undefined, {
      field,
      expected,
      actual,
    }),
  );
}

/** Resolves a template that must produce a string (numbers are converted). */
export function* resolveString(tick: Tick, template: JsonValue, field: string): Work<string> {
  const value = yield* resolveTemplate(tick, template, field);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw typeFailure(field, 'a string', value);
}

/**
 * Resolves a duration field (literal or expression) to whole milliseconds; `min` is the least
 * allowed value (0 for sleeps, 1 for timeouts). A wrong type is an ExpressionError.
 */
export function* resolveDurationMs(tick: Tick, template: JsonValue, field: string, min: number): Work<number> {
  const value = yield* resolveTemplate(tick, template, field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw typeFailure(field, `a number of milliseconds >= ${min}`, value);
  }
  return Math.round(value);
}

