import { type AstNode, NodeCharge, type NodeInfo } from './analyze-ast.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';
import { jsonNumberBytes, jsonStringBytes } from './json-string-bytes.js';

/**
 * Name under which the meter of the current evaluation is bound in JSONata's environment. JSONata
 * variable names cannot contain a space, so no expression can read or rebind it.
 */
export const METER_BINDING = ' baton evaluation meter';

/** Characters of a produced string that cost one extra step. */
export const STRING_CHARS_PER_STEP = 64;

/** Limits one evaluation runs under. */
export interface MeterLimits {
  readonly maxSteps: number;
  readonly maxDepth: number;
  readonly maxOutputBytes: number;
}

/** Which limit a `BUDGET_EXCEEDED` error hit, with the numbers (its `details`). */
export type BudgetDetails =
  | { readonly limit: 'maxSteps'; readonly max: number; readonly used: number; readonly requested: number }
  | { readonly limit: 'maxDepth'; readonly max: number; readonly depth: number };

/** A JSONata function value (built-in or lambda): a plain object JSONata knows how to call. */
export function isJsonataFunction(value: object): boolean {
  const marker = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return marker._jsonata_function === true || marker._jsonata_lambda === true;
}

/** The value JSONata will use for a node's result: a one-item sequence stands for its item. */
function sequenceValue(result: unknown, keepArray: boolean): unknown {
  if (!Array.isArray(result) || (result as { sequence?: unknown }).sequence !== true) return result;
  if (result.length === 0) return undefined;
  const keep = keepArray || (result as { keepSingleton?: unknown }).keepSingleton === true;
  return result.length === 1 && !keep ? result[0] : result;
}

/**
 * The deterministic budget of one evaluation: counts steps (never past `maxSteps`), checks
 * nesting depth, and measures produced values against `maxOutputBytes`. One per `evaluate()`
 * call, so concurrent evaluations of a cached expression never share a count.
 */
export class EvaluationMeter {
  /** Steps consumed so far; never greater than `limits.maxSteps`. */
  steps = 0;
  /** `limits.maxSteps`, kept on the meter itself for the per-node check. */
  readonly maxSteps: number;
  /** Serialized sizes of objects and arrays already measured in this evaluation (values are never re-walked). */
  #sizes: WeakMap<object, number> | undefined;
  /** Lower bounds of ranges whose upper bound is being evaluated, by range node. */
  #rangeStarts: Map<AstNode, Array<{ input: unknown; value: unknown }>> | undefined;

  constructor(
    readonly limits: MeterLimits,
    readonly source: string,
    /** The run's logical clock, read by `nowIso()`. */
    readonly now: Date | undefined,
  ) {
    this.maxSteps = limits.maxSteps;
  }

  /** Counts the evaluation of one node (called on entry of every node). */
  step(position: number | undefined): void {
    if (this.steps >= this.maxSteps) throw this.stepsExceeded(1, position);
    this.steps++;
  }

  /** Counts the evaluation of one node and checks its nesting depth. */
  enter(info: NodeInfo | undefined, position: number | undefined): void {
    if (this.steps >= this.maxSteps) throw this.stepsExceeded(1, position);
    this.steps++;
    if (info !== undefined && info.depth > this.limits.maxDepth) throw this.depthExceeded(info.depth, position);
  }

  /** Consumes `units` steps, or throws BUDGET_EXCEEDED without consuming any when they do not fit. */
  charge(units: number, position: number | undefined): void {
    if (units <= 0) return;
    if (units > this.maxSteps - this.steps) throw this.stepsExceeded(units, position);
    this.steps += units;
  }

  /** Charges for a node's result according to the node's {@link NodeCharge}. */
  account(charge: NodeCharge, result: unknown, position: number | undefined): void {
    if (Array.isArray(result)) {
      this.charge(result.length, position);
      if (charge === NodeCharge.PRODUCED) this.checkSize(result, position);
    } else if (charge === NodeCharge.PRODUCED) {
      if (typeof result === 'string') {
        this.charge(Math.floor(result.length / STRING_CHARS_PER_STEP), position);
        this.checkSize(result, position);
      } else if (typeof result === 'object' && result !== null) {
        this.checkSize(result, position);
      }
    }
  }

  /** Throws OUTPUT_TOO_LARGE (or BUDGET_EXCEEDED for nesting) when `value` is over the limits. */
  checkSize(value: unknown, position: number | undefined): void {
    // Each UTF-16 unit is at most 6 bytes escaped: a short string cannot be over the limit.
    if (typeof value === 'string' && value.length * 6 + 2 <= this.limits.maxOutputBytes) return;
    this.#sizeOf(value, 0, position);
  }

  /**
   * Records a bound of a range as it is evaluated; once the upper bound is known, charges the
   * range's length — before JSONata allocates the array, so `[1..100000000]` costs no memory.
   */
  rangeBound(bound: NonNullable<NodeInfo['rangeBound']>, node: AstNode, input: unknown, result: unknown): void {
    const value = sequenceValue(result, (node as { keepArray?: unknown }).keepArray === true);
    const position = bound.range.position;
    // Group-by evaluates one range node for several groups at once; the input tells them apart.
    let pending = this.#rangeStarts?.get(bound.range);
    if (bound.side === 'lhs') {
      if (pending === undefined) (this.#rangeStarts ??= new Map()).set(bound.range, (pending = []));
      pending.push({ input, value });
      return;
    }
    const index = pending?.findIndex((entry) => entry.input === input) ?? -1;
    if (pending === undefined || index < 0) return;
    const start = pending[index]!.value;
    pending.splice(index, 1);
    if (Number.isInteger(start) && Number.isInteger(value) && (value as number) >= (start as number)) {
      this.charge((value as number) - (start as number) + 1, position);
    }
  }

  /**
   * Serialized size of `value` in UTF-8 bytes (functions and undefined count as nothing); throws
   * OUTPUT_TOO_LARGE as soon as it passes `maxOutputBytes`, and BUDGET_EXCEEDED when it nests
   * deeper than `maxDepth`. Shared sub-values are measured once, so a value built by doubling a
   * variable cannot make this walk exponential.
   */
  measure(value: unknown, position: number | undefined): number {
    return this.#sizeOf(value, 0, position);
  }

  #sizeOf(value: unknown, depth: number, position: number | undefined): number {
    switch (typeof value) {
      case 'string': {
        const bytes = jsonStringBytes(value);
        if (bytes > this.limits.maxOutputBytes) throw this.outputTooLarge(bytes, position);
        return bytes;
      }
      case 'number':
        return Number.isFinite(value) ? jsonNumberBytes(value) : 4;
      case 'boolean':
        return value ? 4 : 5;
      case 'object': {
        if (value === null) return 4;
        if (isJsonataFunction(value)) return 0;
        const known = this.#sizes?.get(value);
        if (known !== undefined) return known;
        if (depth >= this.limits.maxDepth) throw this.depthExceeded(depth + 1, position);
        const max = this.limits.maxOutputBytes;
        let bytes = 2;
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            bytes += (i > 0 ? 1 : 0) + this.#sizeOf(value[i], depth + 1, position);
            if (bytes > max) throw this.outputTooLarge(bytes, position);
          }
        } else {
          let first = true;
          for (const key of Object.keys(value)) {
            const member: unknown = (value as Record<string, unknown>)[key];
            if (member === undefined || typeof member === 'function') continue;
            bytes += (first ? 0 : 1) + jsonStringBytes(key) + 1 + this.#sizeOf(member, depth + 1, position);
            first = false;
            if (bytes > max) throw this.outputTooLarge(bytes, position);
          }
        }
        (this.#sizes ??= new WeakMap()).set(value, bytes);
        return bytes;
      }
      default:
        return 0;
    }
  }

  /** A BUDGET_EXCEEDED error for nesting deeper than `maxDepth`. */
  depthExceeded(depth: number, position: number | undefined): ExpressionError {
    const details: BudgetDetails = { limit: 'maxDepth', max: this.limits.maxDepth, depth };
    return this.error(ExpressionErrorCode.BUDGET_EXCEEDED, `expression exceeded the nesting depth limit of ${this.limits.maxDepth}`, position, details);
  }

  /** An OUTPUT_TOO_LARGE error for a value of at least `bytes` bytes. */
  outputTooLarge(bytes: number, position: number | undefined): ExpressionError {
    return this.error(
      ExpressionErrorCode.OUTPUT_TOO_LARGE,
      `expression produced a value larger than ${this.limits.maxOutputBytes} bytes`,
      position,
      { limit: 'maxOutputBytes', max: this.limits.maxOutputBytes, bytes },
    );
  }

  /** An ExpressionError about this evaluation's expression. */
  error(code: ExpressionErrorCode, message: string, position: number | undefined, details?: unknown): ExpressionError {
    return new ExpressionError({ code, message, source: this.source, position, details });
  }

  /** A BUDGET_EXCEEDED error for `requested` more steps than are left. */
  stepsExceeded(requested: number, position: number | undefined): ExpressionError {
    const details: BudgetDetails = { limit: 'maxSteps', max: this.limits.maxSteps, used: this.steps, requested };
    return this.error(ExpressionErrorCode.BUDGET_EXCEEDED, `expression exceeded its budget of ${this.limits.maxSteps} evaluation steps`, position, details);
  }
}
