import jsonata from 'jsonata';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';
import { Re2RegExp } from './re2-regexp.js';

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

/** JSONata options of every parse: regular expressions run on RE2 (linear time). */
const JSONATA_OPTIONS = { RegexEngine: Re2RegExp as unknown as RegExpConstructor };

/**
 * Indexes of the second `=` of each `==` that could be the equality operator: outside string
 * literals, names in backticks and comments, and not part of `===`, `!==`, `<==`, `>==`, `:==`.
 * One pass over the source. (A regex literal cannot be told apart without parsing; see
 * {@link parseSource}.)
 */
function doubleEqualsCandidates(source: string): number[] {
  const found: number[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      i = end < 0 ? source.length : end + 1;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === '=' && source[i + 1] === '=' && source[i + 2] !== '=' && !NOT_EQUALITY_PREFIX.has(source[i - 1] ?? '')) {
      found.push(i + 1);
      i += 2;
    } else {
      i++;
    }
  }
  return found;
}

/** `text` with the character at each index of `at` replaced by a space (same length). */
function blankOut(text: string, at: readonly number[]): string {
  if (at.length === 0) return text;
  const chars = text.split('');
  for (const index of at) chars[index] = ' ';
  return chars.join('');
}

/**
 * Source spans `[start, end)` of the regex literals of a parsed expression, or undefined when one
 * cannot be located exactly.
 */
function regexSpans(expression: jsonata.Expression, text: string): Array<[number, number]> | undefined {
  const spans: Array<[number, number]> = [];
  const stack: unknown[] = [expression.ast()];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || value instanceof RegExp || seen.has(value)) continue;
    seen.add(value);
    const node = value as { type?: unknown; value?: unknown; position?: unknown };
    if (node.type === 'regex' && node.value instanceof RegExp && typeof node.position === 'number') {
      let close = node.position;
      while (close > 0 && (text[close - 1] === 'i' || text[close - 1] === 'm')) close--;
      close--;
      const pattern = node.value.source;
      const start = close - pattern.length - 1;
      if (text[close] !== '/' || text[start] !== '/' || text.slice(start + 1, close) !== pattern) return undefined;
      spans.push([start, node.position]);
    }
    for (const child of Object.values(value)) stack.push(child);
  }
  return spans;
}

function syntaxError(source: string, error: unknown): ExpressionError {
  if (isStackOverflow(error)) {
    return new ExpressionError({
      code: ExpressionErrorCode.BUDGET_EXCEEDED,
      message: 'expression nests too deeply to parse',
      source,
      details: { limit: 'maxDepth' },
    });
  }
  if (!isJsonataError(error)) throw error;
  return new ExpressionError({
    code: ExpressionErrorCode.SYNTAX,
    message: `syntax error: ${error.message ?? error.code}`,
    source,
    position: error.position,
    details: jsonataErrorDetails(error),
  });
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
 *
 * Linear in the number of `==`: every candidate is rewritten at once and the source parsed once;
 * only when a rewritten `==` turns out to sit inside a regex literal is it put back and the
 * source parsed a second time.
 */
export function parseSource(source: string): ParsedSource {
  const candidates = doubleEqualsCandidates(source);
  const text = blankOut(source, candidates);
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, JSONATA_OPTIONS);
  } catch (error) {
    throw syntaxError(source, error);
  }
  if (candidates.length === 0) return { expression, normalizedSource: text };
  const spans = regexSpans(expression, text);
  const inRegex = spans === undefined ? candidates : candidates.filter((at) => spans.some(([start, end]) => at > start && at < end));
  if (inRegex.length === 0) return { expression, normalizedSource: text };
  const kept = new Set(inRegex);
  const corrected = blankOut(source, candidates.filter((at) => !kept.has(at)));
  try {
    return { expression: jsonata(corrected, JSONATA_OPTIONS), normalizedSource: corrected };
  } catch (error) {
    throw syntaxError(source, error);
  }
}
