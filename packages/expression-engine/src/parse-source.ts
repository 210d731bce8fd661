import jsonata from 'jsonata';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';

/** A JSONata error as the library throws it: a plain object, not an Error. */
export interface JsonataErrorLike {
  readonly code: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
  readonly value?: unknown;
}

/** Whether `value` looks like an error thrown by JSONata. */
export function isJsonataError(value: unknown): value is JsonataErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/** Whether `error` is the JavaScript engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Structured facts about a JSONata error, for `ExpressionError.details`. */
export function jsonataErrorDetails(error: JsonataErrorLike): { jsonataCode: string; token?: string; value?: unknown } {
  const details: { jsonataCode: string; token?: string; value?: unknown } = { jsonataCode: error.code };
  if (error.token !== undefined) details.token = error.token;
  if (error.value !== undefined && (typeof error.value !== 'object' || error.value === null)) details.value = error.value;
  return details;
}

/** Characters that, placed just before `==`, make it part of another operator (`!==`, `<==`, `:==`). */
const NOT_EQUALITY_PREFIX = new Set(['!', '<', '>', ':', '=']);

/**
 * Where `error` reports the second `=` of an `==` written as an operator, the index of that
 * second `=`; otherwise undefined. JSONata only reports tokens, so a `==` inside a string
 * literal, a name in backticks, a regex or a comment is never reported here.
 */
function doubleEqualsAt(source: string, error: JsonataErrorLike): number | undefined {
  if (error.code !== 'S0211' || error.token !== '=' || error.position === undefined) return undefined;
  const second = error.position - 1;
  if (source[second] !== '=' || source[second - 1] !== '=') return undefined;
  const before = source[second - 2];
  if (before !== undefined && NOT_EQUALITY_PREFIX.has(before)) return undefined;
  return second;
}

/** The parsed JSONata expression, with the source actually handed to JSONata. */
export interface ParsedSource {
  readonly expression: jsonata.Expression;
  /** `source` with each operator `==` turned into `= ` (same length, so positions still match). */
  readonly normalizedSource: string;
}

/**
 * Parses `source` with JSONata, accepting `==` as `=`; throws ExpressionError `SYNTAX`, or
 * `BUDGET_EXCEEDED` when the source nests too deeply for the parser.
 */
export function parseSource(source: string): ParsedSource {
  let text = source;
  // Each pass fixes one `==`; the bound only guards against a parser that keeps reporting one.
  for (let pass = 0; pass <= source.length; pass++) {
    try {
      return { expression: jsonata(text), normalizedSource: text };
    } catch (error) {
      if (isStackOverflow(error)) {
        throw new ExpressionError({
          code: ExpressionErrorCode.BUDGET_EXCEEDED,
          message: 'expression nests too deeply to parse',
          source,
          details: { limit: 'maxDepth' },
        });
      }
      if (!isJsonataError(error)) throw error;
      const at = doubleEqualsAt(text, error);
      if (at === undefined) {
        throw new ExpressionError({
          code: ExpressionErrorCode.SYNTAX,
          message: `syntax error: ${error.message ?? error.code}`,
          source,
          position: error.position,
          details: jsonataErrorDetails(error),
        });
      }
      text = `${text.slice(0, at)} ${text.slice(at + 1)}`;
    }
  }
  throw new ExpressionError({ code: ExpressionErrorCode.SYNTAX, message: 'syntax error', source });
}
